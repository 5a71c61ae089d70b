// Route fault suite, hostile requests (issue 10 acceptance): every row of route-hostile-cases.ts goes
// over real HTTP (toNodeHandler on node:http, 127.0.0.1) to the real route in front of a recording
// fake upstream. Each row must get its documented status and code, reach the upstream only when
// allowed, and leave exactly one realtime.mint line at the right level. Across the whole suite: no
// smuggled text reached the upstream, no prototype was polluted, and the API key is in no response
// body, header or log line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE_CASES, type HostileCase } from './route-hostile-cases.js';
import { exchange, SESSION_COOKIE, SMUGGLE, startBench, type Bench, type MintLine, type WireRequest } from './route-hostile-harness.js';
import { openAIBehaviour, TEST_API_KEY } from '../../../src/server/test-fixtures.node.js';

let bench: Bench;

before(async () => {
  bench = await startBench();
});
after(() => bench.close());

function wireFor(row: HostileCase): WireRequest {
  const config = row.config ?? 'open';
  const headers: Record<string, string | null> = {
    'Content-Type': 'application/json',
    ...(config === 'strict' || config === 'live' ? { Cookie: SESSION_COOKIE } : {}),
    ...row.headers,
  };
  const chunks =
    row.wire?.chunks ??
    (row.body === undefined ? [] : [typeof row.body === 'string' || Buffer.isBuffer(row.body) ? (row.body as string | Buffer) : JSON.stringify(row.body)]);
  const clean = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null));
  // node:http frames bodies of DELETE (and a few others) only when told their length.
  const framed = Object.keys(clean).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
  if (!framed && !row.wire?.hold && chunks.length > 0) clean['Content-Length'] = String(chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0));
  return { ...row.wire, method: row.method ?? 'POST', headers: clean, chunks };
}

/** Rows that leave no realtime.mint line: allowed preflights, and requests the route never sees. */
function silent(row: HostileCase): boolean {
  return (row.method === 'OPTIONS' && row.expect.status === 204) || row.logged === false;
}

function expectedLevel(status: number): string {
  if (status < 400 || status === 499) return 'info';
  return status >= 500 ? 'error' : 'warn';
}

for (const row of HOSTILE_CASES) {
  test(row.name, { timeout: 30_000 }, async () => {
    const port = bench.port(row.config ?? 'open');
    bench.upstream.requests.length = 0;
    bench.upstream.behaviour = row.upstream ?? openAIBehaviour;
    const linesBefore = bench.mintLines.length;
    const wire = wireFor(row);

    let response;
    let line: MintLine | undefined;
    if (row.drive) {
      response = await row.drive(bench, wire, port);
    } else {
      const lineArrives = silent(row) ? undefined : bench.nextMintLine();
      response = await exchange(bench.watch, port, wire);
      // The line is written before the answer leaves; awaiting it only orders the check.
      line = await lineArrives;
    }
    line ??= bench.mintLines.at(-1);
    const upstreamRequests = [...bench.upstream.requests];
    bench.allUpstreamRequests.push(...upstreamRequests);

    const { status, code, field } = row.expect;
    if (response) {
      assert.equal(response.status, status, `status (${response.text.slice(0, 300)})`);
      if (code) assert.equal(response.json?.error?.code, code, 'error code');
      if (field) assert.equal(response.json?.error?.field, field, 'error field');
      if (status >= 400 && row.method !== 'HEAD') {
        assert.equal(typeof response.json?.error?.message, 'string', 'a message');
        assert.equal(response.headers['cache-control'], 'no-store');
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      }
      if (status === 405) assert.equal(response.headers.allow, 'POST, OPTIONS');
      if (status === 429) assert.ok(Number(response.headers['retry-after']) >= 1, 'Retry-After');
    }

    const expectedCalls = row.upstreamCalls ?? (status === 200 || status === 502 ? 1 : 0);
    assert.equal(upstreamRequests.length, expectedCalls, `upstream calls (${upstreamRequests.map((r) => r.path).join(', ')})`);

    const newLines = bench.mintLines.length - linesBefore;
    if (silent(row)) {
      assert.equal(newLines, 0, 'an allowed preflight, or a request the route never saw, logs nothing');
    } else {
      assert.equal(newLines, 1, 'exactly one realtime.mint line');
      assert.ok(line);
      assert.equal(line.fields.status, status, 'the line records the status');
      if (code) assert.equal(line.fields.code, code);
      assert.equal(line.level, expectedLevel(status), 'log level');
      if (response) assert.equal(response.headers['x-request-id'], line.fields.requestId, 'X-Request-Id matches the line');
    }
    row.check?.(response, upstreamRequests, line!);
  });
}

test('the suite has at least 120 named hostile requests, all names distinct', () => {
  assert.ok(HOSTILE_CASES.length >= 120, `${HOSTILE_CASES.length} cases`);
  assert.equal(new Set(HOSTILE_CASES.map((row) => row.name)).size, HOSTILE_CASES.length);
  const statuses = new Set(HOSTILE_CASES.map((row) => row.expect.status));
  for (const status of [200, 204, 400, 401, 403, 405, 408, 413, 415, 429, 499, 501, 502]) assert.ok(statuses.has(status), `a ${status} row`);
});

test('no smuggled text reached the upstream in any row', () => {
  assert.ok(bench.allUpstreamRequests.length > 10);
  const leaked = bench.allUpstreamRequests.filter((request) => request.body.toString('utf8').includes(SMUGGLE));
  assert.deepEqual(leaked.map((request) => request.body.toString('utf8').slice(0, 200)), []);
});

test('no prototype was polluted', () => {
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'instructions'), false);
});

test('the API key is in no response body or header and no log line of the suite', () => {
  assert.ok(bench.watch.responses.length >= 110, `${bench.watch.responses.length} responses checked`);
  assert.deepEqual(bench.watch.leaksOf(TEST_API_KEY), []);
  assert.ok(!bench.watch.logLines.some((line) => line.includes('ek_test_0123456789abcdef')), 'nor the client secrets');
});
