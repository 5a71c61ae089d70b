// Issue 11, items 8 and 10: a tool result is reported as a result only once the provider has it; one
// that fails to get there is a realtime:tool:error; a call without a call id is reported, not dropped.
import { expect } from '@open-wc/testing';
import type { RealtimeToolRegistration } from './index.js';
import { flush, next, setup } from '../../test/helpers/manager.js';

const ok: RealtimeToolRegistration = {
  definition: { type: 'function', name: 'ok', parameters: { type: 'object', properties: {} } },
  handler: () => ({ success: true }),
};

function recordingLogger() {
  const lines: Array<{ level: string; message: string; context: Record<string, unknown> }> = [];
  const make = (level: string) => (message: string, context: Record<string, unknown> = {}) => lines.push({ level, message, context });
  return { lines, logger: { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') } };
}

describe('Tool results reach the provider, or the app hears otherwise (issue 11, items 8 and 10)', () => {
  it('a result the transport fails to send is realtime:tool:error send_failed, never realtime:tool:result', async () => {
    const { manager, transport, named } = setup({ tools: [ok] });
    await manager.startSession();
    transport.failNext('sendToolResult', new Error('data channel closed'));
    transport.respond({ toolCalls: [{ callId: 'c1', name: 'ok', arguments: {} }] });
    await flush();
    expect(named('realtime:tool:result')).to.have.length(0);
    const [error] = named('realtime:tool:error');
    expect(error).to.deep.include({ callId: 'c1', name: 'ok', code: 'send_failed' });
    expect(error.error).to.contain('data channel closed');
    // Nothing was asked of the provider, so nothing is awaited.
    expect(manager.getState()).to.deep.include({ awaitingResponse: false, busy: false, pendingToolCalls: 0 });
  });

  it('realtime:tool:result fires once the transport accepted the result, then projectors run', async () => {
    const order: string[] = [];
    const { manager, transport } = setup({ tools: [ok], resultProjectors: [() => order.push('projector')] });
    manager.on('realtime:tool:result', () => order.push('result'));
    await manager.startSession();
    const held = transport.hold('sendToolResult');
    transport.respond({ toolCalls: [{ callId: 'c1', name: 'ok', arguments: {} }] });
    await held.reached;
    await flush();
    expect(order).to.deep.equal([]);
    held.resolve();
    await flush();
    expect(order).to.deep.equal(['result', 'projector']);
  });

  it('a finished result whose response is interrupted before it could be sent is an aborted tool error', async () => {
    const { manager, transport, named } = setup({ tools: [ok] });
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('tool:call', { responseId: 'r1', callId: 'c1', name: 'ok', arguments: '{}' });
    await flush();
    await manager.interrupt();
    await flush();
    expect(named('realtime:tool:result')).to.have.length(0);
    expect(named('realtime:tool:error').map((e) => [e.callId, e.code])).to.deep.equal([['c1', 'aborted']]);
    expect(transport.callsOf('sendToolResult')).to.have.length(0);
  });

  it('a tool call without a call id produces realtime:tool:error missing_call_id and a log line', async () => {
    const { lines, logger } = recordingLogger();
    const { manager, transport, named } = setup({ tools: [ok], logger });
    await manager.startSession();
    const error = next(manager, 'realtime:tool:error');
    transport.emit('tool:call', { responseId: 'r1', name: 'ok', arguments: '{}' } as never);
    expect(await error).to.deep.include({ callId: '', name: 'ok', code: 'missing_call_id' });
    transport.emit('tool:call', { responseId: 'r1', callId: 7, name: 'ok', arguments: '{}' } as never);
    expect(named('realtime:tool:error')).to.have.length(2);
    const warned = lines.filter((line) => line.level === 'warn' && line.context.tool === 'ok' && line.context.code === 'missing_call_id');
    expect(warned).to.have.length(2);
    expect(warned[0]!.context.sessionId).to.equal('session-1');
    await flush();
    expect(transport.callsOf('sendToolResult')).to.have.length(0);
  });
});
