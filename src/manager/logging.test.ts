import { expect } from '@open-wc/testing';
import { flush, next, setup } from '../../test/helpers/manager.js';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; context: Record<string, unknown> }> = [];
  const make = (level: string) => (message: string, context: Record<string, unknown> = {}) => lines.push({ level, message, context });
  return { lines, logger: { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') } };
}

describe('Logging and usage', () => {
  it("every log context carries the manager's sessionId, and the manager's value wins", async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport } = setup({ logger });
    await manager.startSession();
    transport.emit('error', { error: new Error('x') });
    expect(lines.length).to.be.greaterThan(1);
    for (const line of lines) expect(line.context.sessionId).to.equal('session-1');
  });

  it('a new sessionId per start, kept across patches and reconnects', async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport, named } = setup({ logger });
    await manager.startSession();
    await manager.updateSession({ voice: 'alloy' });
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection();
    await success;
    transport.emit('usage', { usage: { totalTokens: 1 } });
    expect(new Set(lines.map((l) => l.context.sessionId))).to.deep.equal(new Set(['session-1']));
    expect(named('realtime:usage')[0].sessionId).to.equal('session-1');
    await manager.stopSession();
    await manager.startSession();
    expect(manager.getState().session.id).to.equal('session-2');
    expect(lines.at(-1)!.context.sessionId).to.equal('session-2');
  });

  it('a throwing logger does not break the session', async () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const { manager } = setup({ logger: { debug: boom, info: boom, warn: boom, error: boom } });
    await manager.startSession();
    expect(manager.getState().session.status).to.equal('active');
  });
});

describe('Structured logging of patches and tool runs (issue 11, item 9)', () => {
  const tool = {
    definition: { type: 'function' as const, name: 'lookup', parameters: { type: 'object', properties: { secret: { type: 'string' } } } },
    handler: () => ({ found: true }),
  };

  it('session patches: sent, applied, refused and rolled back, with field names and never values', async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport } = setup({ logger });
    await manager.startSession();
    await manager.updateSession({ voice: 'alloy', instructions: 'private instructions' });
    transport.failNext('updateSession', new Error('invalid voice'));
    await manager.updateSession({ voice: 'nope' }).catch(() => {});
    const patchLines = lines.filter((line) => line.message.startsWith('session update'));
    expect(patchLines.map((line) => line.message)).to.deep.equal([
      'session update sent',
      'session update applied',
      'session update sent',
      'session update refused',
      'session update rolled back',
    ]);
    expect(patchLines[0]!.context).to.deep.include({ sessionId: 'session-1', fields: ['instructions', 'voice'] });
    expect(patchLines[3]!.context).to.deep.include({ sessionId: 'session-1', fields: ['voice'], error: 'invalid voice' });
    expect(JSON.stringify(lines)).to.not.contain('private instructions');
    expect(JSON.stringify(patchLines)).to.not.contain('alloy');
  });

  it('tool runs: name, duration and outcome, without argument values', async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport } = setup({ logger, tools: [tool] });
    await manager.startSession();
    transport.respond({ toolCalls: [{ callId: 'c1', name: 'lookup', arguments: { secret: 'hunter2' } }] });
    transport.respond({ toolCalls: [{ callId: 'c2', name: 'lookup', arguments: { secret: 42 } }] });
    await flush();
    // Sorted by call id: a call refused by validation settles before a handler that runs.
    const runs = lines.filter((line) => line.message === 'tool run').sort((a, b) => String(a.context.callId).localeCompare(String(b.context.callId)));
    expect(runs.map((line) => [line.context.tool, line.context.callId, line.context.outcome])).to.deep.equal([
      ['lookup', 'c1', 'ok'],
      ['lookup', 'c2', 'invalid_arguments'],
    ]);
    for (const line of runs) {
      expect(line.context.durationMs).to.be.a('number');
      expect(line.context.sessionId).to.equal('session-1');
    }
    expect(JSON.stringify(lines)).to.not.contain('hunter2');
  });

  it('argument values are logged only when the logger asks for them (logToolArguments)', async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport } = setup({ logger: { ...logger, logToolArguments: true }, tools: [tool] });
    await manager.startSession();
    transport.respond({ toolCalls: [{ callId: 'c1', name: 'lookup', arguments: { secret: 'hunter2' } }] });
    await flush();
    const run = lines.find((line) => line.message === 'tool run')!;
    expect(run.context.args).to.deep.equal({ secret: 'hunter2' });
  });
});
