import { expect } from '@open-wc/testing';
import { next, setup } from '../../test/helpers/manager.js';

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
