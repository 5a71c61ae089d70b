/**
 * Test fixtures for the server tests (Node only, not part of the package entry): a fake OpenAI
 * upstream on loopback that records every request, and a watcher that keeps every response and log
 * line so a test can prove the API key never left the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RealtimeRouteLogger } from './route.js';

/** The key the tests configure. Not key-shaped on purpose: only exact-match scrubbing can hide it. */
export const TEST_API_KEY = 'test-key-7f3a9c2e5b1d4a6f8e0c';

/** A minimal SDP offer, as a browser would send (no candidates). */
export const SDP_OFFER = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', ''].join('\r\n');
/** The SDP answer the fake upstream returns. */
export const SDP_ANSWER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', ''].join('\r\n');
/** The call id the fake upstream puts in Location. */
export const CALL_ID = 'rtc_u1_9c5a7e2f';
/** The GPT-Live session id the fake upstream answers `POST /v1/live/sessions` with. */
export const LIVE_SESSION_ID = 'live_u1_4b8d2e6a';

/** One request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Body parsed as JSON, when it was JSON. */
  json?: unknown;
  /** Multipart fields, when it was multipart/form-data. */
  form?: Map<string, string>;
}

/** Decides the fake upstream's answer; the default behaves like OpenAI. */
export type UpstreamBehaviour = (request: RecordedRequest, res: ServerResponse) => void;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Replace to change how the next requests are answered. */
  behaviour: UpstreamBehaviour;
  /** Resolves each time a request has been recorded (before it is answered). */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** Answers like OpenAI's GA endpoints (and GPT-Live's `POST /v1/live/sessions`). */
export const openAIBehaviour: UpstreamBehaviour = (request, res) => {
  if (request.method === 'POST' && request.path === '/v1/realtime/client_secrets') {
    const body = request.json as { expires_after?: { seconds?: number }; session?: { model?: string; instructions?: string } };
    const now = 1_760_000_000;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        value: 'ek_test_0123456789abcdef',
        expires_at: now + (body.expires_after?.seconds ?? 600),
        session: {
          type: 'realtime',
          object: 'realtime.session',
          id: 'sess_test',
          model: body.session?.model ?? 'gpt-realtime',
          output_modalities: ['audio'],
          instructions: body.session?.instructions ?? '',
          tools: [],
          tool_choice: 'auto',
          max_output_tokens: 'inf',
          tracing: null,
          truncation: 'auto',
          prompt: null,
          expires_at: 0,
          include: null,
        },
      }),
    );
    return;
  }
  if (request.method === 'POST' && request.path === '/v1/realtime/calls') {
    res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `/v1/realtime/calls/${CALL_ID}` });
    res.end(SDP_ANSWER);
    return;
  }
  if (request.method === 'POST' && request.path === '/v1/live/sessions') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ session: { id: LIVE_SESSION_ID }, transport: { type: 'webrtc', sdp: SDP_ANSWER } }));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `Unknown path ${request.path}`, type: 'invalid_request_error', code: null } }));
};

/** Answers like OpenAI does to a bad key: a 401 that quotes the key it was given. */
export const rejectKeyBehaviour: UpstreamBehaviour = (request, res) => {
  const auth = String(request.headers.authorization ?? '');
  res.writeHead(401, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({
      error: {
        message: `Incorrect API key provided: ${auth.replace(/^Bearer /, '')}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        param: null,
      },
    }),
  );
};

/** Never answers: for timeouts. The connection is dropped when the fake closes. */
export const hangBehaviour: UpstreamBehaviour = () => {};

/** Starts the fake upstream on 127.0.0.1 with an ephemeral port. */
export async function startFakeUpstream(behaviour: UpstreamBehaviour = openAIBehaviour): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const waiters: Array<(request: RecordedRequest) => void> = [];
  const upstream = { behaviour } as FakeUpstream;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void record(req, Buffer.concat(chunks)).then((recorded) => {
        requests.push(recorded);
        waiters.splice(0).forEach((resolve) => resolve(recorded));
        upstream.behaviour(recorded, res);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  Object.assign(upstream, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    nextRequest: () => new Promise<RecordedRequest>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return upstream;
}

async function record(req: IncomingMessage, body: Buffer): Promise<RecordedRequest> {
  const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    try {
      recorded.json = JSON.parse(body.toString('utf8'));
    } catch {
      // left undefined: the test asserting on it will say so
    }
  } else if (type.startsWith('multipart/form-data')) {
    // Parse with the platform's own multipart parser, so the test does not trust a hand-written one.
    const form = await new Response(new Uint8Array(body), { headers: { 'Content-Type': type } }).formData();
    recorded.form = new Map([...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : '[file]']));
  }
  return recorded;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a test saw of one response. */
export interface SeenResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

/** Keeps every response and log line of a test file, for the "the key never leaks" check. */
export class LeakWatch {
  readonly responses: SeenResponse[] = [];
  readonly logLines: string[] = [];

  /** A logger that records each line (message plus fields, as JSON). */
  readonly logger: RealtimeRouteLogger = {
    info: (message, fields) => this.logLines.push(`info ${message} ${JSON.stringify(fields ?? {})}`),
    warn: (message, fields) => this.logLines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
    error: (message, fields) => this.logLines.push(`error ${message} ${JSON.stringify(fields ?? {})}`),
  };

  /** Reads a response fully, records it, and returns what was seen. */
  async see(response: Response): Promise<SeenResponse> {
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const seen = { status: response.status, headers, text, json };
    this.responses.push(seen);
    return seen;
  }

  /** Every place `secret` (or a long piece of it) was found. */
  leaksOf(secret: string): string[] {
    const needles = [secret, secret.slice(-16), secret.slice(0, 16)];
    const found: string[] = [];
    const scan = (where: string, text: string) => {
      if (needles.some((needle) => text.includes(needle))) found.push(where);
    };
    this.responses.forEach((response, index) => {
      scan(`response ${index} (${response.status}) body`, response.text);
      for (const [name, value] of Object.entries(response.headers)) scan(`response ${index} header ${name}`, `${name}: ${value}`);
    });
    this.logLines.forEach((line, index) => scan(`log line ${index}`, line));
    return found;
  }
}
