import { expect } from '@open-wc/testing';
import { z } from 'zod';
import type { RealtimeToolRegistration } from './types.js';
import { flush, next, setup } from '../../test/helpers/manager.js';

const setExpression: RealtimeToolRegistration = {
  definition: {
    type: 'function',
    name: 'setExpression',
    description: 'Change the face.',
    parameters: {
      type: 'object',
      properties: { expressionId: { type: 'string', enum: ['Smile', 'Sad'] }, intensity: { type: 'number', minimum: 0, maximum: 1 } },
      required: ['expressionId'],
      additionalProperties: false,
    },
  },
  handler: (args: { expressionId: string }) => ({ success: true, expression: args.expressionId }),
};

function toolCall(name: string, args: unknown, callId = 'call_1') {
  return { name, arguments: args, callId };
}

describe('Tools', () => {
  it('registerTool, unregisterTool and getRegisteredTools manage the registry', () => {
    const { manager } = setup();
    manager.registerTool(setExpression);
    expect(manager.getRegisteredTools().map((t) => t.name)).to.deep.equal(['setExpression']);
    expect(manager.unregisterTool('setExpression')).to.equal(true);
    expect(manager.unregisterTool('setExpression')).to.equal(false);
    expect(manager.getRegisteredTools()).to.deep.equal([]);
  });

  it('the provider tool list comes only from the registry', async () => {
    const { manager, transport } = setup({ tools: [setExpression] });
    await manager.startSession({ tools: [{ type: 'function', name: 'other', parameters: {} }] } as never);
    expect(transport.callsOf('connect')[0]!.request.session.tools!.map((t) => t.name)).to.deep.equal(['setExpression']);
  });

  it('zod parameters are converted to JSON Schema for the provider and still validated', async () => {
    const { manager, transport, named } = setup({
      tools: [
        {
          definition: { type: 'function', name: 'lookAt', parameters: z.object({ x: z.number().min(-1).max(1), y: z.number().min(-1).max(1) }) },
          handler: ({ x, y }: { x: number; y: number }) => ({ success: true, x, y }),
        },
      ],
    });
    await manager.startSession();
    const [definition] = transport.callsOf('connect')[0]!.request.session.tools!;
    expect(definition!.parameters).to.deep.include({ type: 'object' });
    expect((definition!.parameters as { $schema?: string }).$schema).to.equal(undefined);
    transport.respond({ toolCalls: [toolCall('lookAt', { x: 2, y: 0 })] });
    await flush();
    expect(named('realtime:tool:error')[0]).to.include({ code: 'invalid_arguments' });
  });

  it('registerTool rejects malformed registrations with a clear message', () => {
    const { manager } = setup();
    expect(() => manager.registerTool({ definition: { type: 'function', name: 'bad name!', parameters: {} }, handler: () => ({}) })).to.throw(/name/);
    expect(() => manager.registerTool({ definition: { type: 'function', name: 'x', parameters: { type: 'string' } }, handler: () => ({}) })).to.throw(/object/);
    expect(() => manager.registerTool({ definition: { type: 'function', name: 'x', parameters: {} } } as never)).to.throw(/handler/);
  });

  it('a tool change while active refreshes the live session, deferred until the current response ends', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    manager.registerTool(setExpression);
    await flush();
    expect(transport.callsOf('updateSession')).to.have.length(0);
    transport.emit('assistant:done', { responseId: 'r1', text: 'hello', status: 'completed' });
    await flush();
    const [update] = transport.callsOf('updateSession');
    expect(update!.session.tools!.map((t) => t.name)).to.deep.equal(['setExpression']);
  });

  it('a tool change while idle in an active session refreshes at once', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    manager.registerTool(setExpression);
    await flush();
    expect(transport.callsOf('updateSession')).to.have.length(1);
  });

  it('success: the result is sent, realtime:tool:result fires, then projectors run', async () => {
    const order: string[] = [];
    const { manager, transport, named } = setup({
      tools: [setExpression],
      resultProjectors: [
        (execution, { emit }) => {
          order.push('projector');
          emit('avatar:expression', { expressionId: execution.args.expressionId });
        },
      ],
    });
    manager.on('realtime:tool:result', () => order.push('result'));
    await manager.startSession();
    transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Smile' })] });
    await flush();
    expect(order).to.deep.equal(['result', 'projector']);
    expect(named('realtime:tool:call')[0]).to.deep.include({ callId: 'call_1', name: 'setExpression', args: { expressionId: 'Smile' } });
    expect(named('realtime:tool:result')[0]).to.deep.include({ callId: 'call_1', result: { success: true, expression: 'Smile' } });
    expect(named('avatar:expression')).to.deep.equal([{ expressionId: 'Smile' }]);
    expect(transport.callsOf('sendToolResult')).to.deep.equal([
      { method: 'sendToolResult', callId: 'call_1', output: { success: true, expression: 'Smile' }, requestResponse: true },
    ]);
    expect(manager.getState().awaitingResponse).to.equal(true);
  });

  it('a throwing projector is logged, not fatal', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const { manager, transport } = setup({
      tools: [setExpression],
      logger,
      resultProjectors: [() => { throw new Error('projector bug'); }],
    });
    await manager.startSession();
    transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Sad' })] });
    await flush();
    expect(warnings.some((w) => w.includes('projector'))).to.equal(true);
    expect(transport.callsOf('sendToolResult')).to.have.length(1);
    expect(manager.getState().session.status).to.equal('active');
  });

  it('results of a multi-call response are sent after it ends, with one response request after the last', async () => {
    const { manager, transport } = setup({ tools: [setExpression] });
    await manager.startSession();
    transport.respond({
      toolCalls: [toolCall('setExpression', { expressionId: 'Smile' }, 'c1'), toolCall('setExpression', { expressionId: 'Sad' }, 'c2')],
    });
    await flush();
    expect(transport.callsOf('sendToolResult').map((c) => [c.callId, c.requestResponse])).to.deep.equal([
      ['c1', false],
      ['c2', true],
    ]);
  });

  describe('failures go back to the model as { success: false, error } with realtime:tool:error', () => {
    const cases: Array<[string, RealtimeToolRegistration | null, unknown, string, RegExp]> = [
      ['invalid arguments (enum)', setExpression, { expressionId: 'Angry' }, 'invalid_arguments', /one of/],
      ['invalid arguments (required)', setExpression, {}, 'invalid_arguments', /expressionId/],
      ['invalid arguments (additionalProperties)', setExpression, { expressionId: 'Smile', extra: 1 }, 'invalid_arguments', /extra/],
      ['invalid arguments (bounds)', setExpression, { expressionId: 'Smile', intensity: 3 }, 'invalid_arguments', /intensity/],
      ['arguments that are not JSON', setExpression, '{"expressionId": ', 'invalid_arguments', /JSON/],
      ['an unknown tool', null, {}, 'unknown_tool', /unknown tool/],
      ['a throw', { ...setExpression, handler: () => { throw new Error('kaput'); } }, { expressionId: 'Smile' }, 'handler_error', /kaput/],
      ['a rejection', { ...setExpression, handler: async () => Promise.reject(new Error('nope')) }, { expressionId: 'Smile' }, 'handler_error', /nope/],
      ['a result that is not an object', { ...setExpression, handler: () => 'ok' as never }, { expressionId: 'Smile' }, 'invalid_result', /object/],
      ['an undefined result', { ...setExpression, handler: () => undefined as never }, { expressionId: 'Smile' }, 'invalid_result', /undefined|object/],
      ['a cyclic result', { ...setExpression, handler: () => { const a: Record<string, unknown> = {}; a.self = a; return a; } }, { expressionId: 'Smile' }, 'invalid_result', /cyclic/],
    ];
    for (const [label, tool, args, code, message] of cases) {
      it(label, async () => {
        const { manager, transport, named } = setup({ tools: tool ? [tool] : [] });
        await manager.startSession();
        transport.respond({ toolCalls: [{ name: 'setExpression', arguments: args }] });
        await flush();
        const [error] = named('realtime:tool:error');
        expect(error.code).to.equal(code);
        expect(error.error).to.match(message);
        const [sent] = transport.callsOf('sendToolResult');
        expect(sent!.output.success).to.equal(false);
        expect(sent!.output.error).to.match(message);
        expect(manager.getState().session.status).to.equal('active');
      });
    }

    it('a timeout (default 10 s, here per tool) aborts the handler signal', async () => {
      let signal: AbortSignal | undefined;
      const { manager, transport } = setup({
        tools: [{ ...setExpression, timeoutMs: 20, handler: (_a, context) => { signal = context.signal; return new Promise(() => {}); } }],
      });
      await manager.startSession();
      transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Smile' })] });
      const error = await next(manager, 'realtime:tool:error');
      expect(error.code).to.equal('timeout');
      expect(signal!.aborted).to.equal(true);
      await flush();
      expect(transport.callsOf('sendToolResult')[0]!.output).to.deep.equal({ success: false, error: 'tool "setExpression" timed out after 20 ms' });
    });
  });

  for (const [label, act] of [
    ['interrupt', (m: any) => m.interrupt()],
    ['stop', (m: any) => m.stopSession()],
    ['reconnect', (_m: any, t: any) => t.loseConnection()],
  ] as const) {
    it(`the handler signal aborts on ${label} and the old call id is never answered`, async () => {
      let signal: AbortSignal | undefined;
      // The handler finishes when the test says, after the abort (a 30 ms timer here raced the test's
      // own steps on a loaded machine: the call had already been answered when the act came).
      let finishLate: (value: { late: boolean }) => void = () => {};
      const { manager, transport, named } = setup({
        tools: [{ ...setExpression, handler: (_a, context) => { signal = context.signal; return new Promise((resolve) => (finishLate = resolve)); } }],
      });
      await manager.startSession();
      transport.emit('assistant:start', { responseId: 'r1' });
      transport.emit('tool:call', { responseId: 'r1', callId: 'c1', name: 'setExpression', arguments: '{"expressionId":"Smile"}' });
      await flush();
      await act(manager, transport);
      expect(signal!.aborted).to.equal(true);
      finishLate({ late: true });
      transport.emit('assistant:done', { responseId: 'r1', text: '', status: 'completed' });
      await flush();
      expect(transport.callsOf('sendToolResult')).to.have.length(0);
      if (label !== 'stop') expect(named('realtime:tool:error').map((e) => e.code)).to.deep.equal(['aborted']);
    });
  }

  it('a repeated call id is answered once', async () => {
    const { manager, transport } = setup({ tools: [setExpression] });
    await manager.startSession();
    transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Smile' }, 'dup')] });
    await flush();
    transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Smile' }, 'dup')] });
    await flush();
    expect(transport.callsOf('sendToolResult')).to.have.length(1);
  });

  it('the handler gets sessionId, character and callId in its context', async () => {
    let context: any;
    const { manager, transport } = setup({ tools: [{ ...setExpression, handler: (_a, c) => { context = c; return {}; } }] });
    manager.setCharacter({ name: 'Mio' });
    await manager.startSession();
    transport.respond({ toolCalls: [toolCall('setExpression', { expressionId: 'Smile' }, 'cx')] });
    await flush();
    expect(context).to.include({ callId: 'cx', name: 'setExpression', sessionId: 'session-1' });
    expect(context.character).to.deep.equal({ name: 'Mio' });
  });
});
