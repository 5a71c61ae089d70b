// Issue 11, item 3: the manager hands out copies or frozen snapshots, never its own handles, and
// validates tool arguments against exactly the schema it sent.
import { expect } from '@open-wc/testing';
import type { RealtimeToolRegistration } from './index.js';
import { flush, rejection, setup } from '../../test/helpers/manager.js';

function expressionSchema() {
  return {
    type: 'object',
    properties: { expressionId: { type: 'string', enum: ['Smile', 'Sad'] } },
    required: ['expressionId'],
    additionalProperties: false,
  };
}

function expressionTool(parameters: Record<string, unknown> = expressionSchema()): RealtimeToolRegistration {
  return {
    definition: { type: 'function', name: 'setExpression', parameters },
    handler: ({ expressionId }: { expressionId: string }) => ({ success: true, expression: expressionId }),
  };
}

/** Tries a mutation; frozen objects throw in module (strict) code, which is the point. */
function attempt(mutate: () => void): void {
  try {
    mutate();
  } catch {
    // refused
  }
}

describe('Copies, not handles (issue 11, item 3)', () => {
  it('editing a definition from getRegisteredTools changes neither the registry, the schema sent, nor validation', async () => {
    const { manager, transport, named } = setup({ tools: [expressionTool()] });
    const [definition] = manager.getRegisteredTools();
    attempt(() => ((definition!.parameters as any).properties.expressionId.enum as string[]).push('Angry'));
    attempt(() => ((definition as any).name = 'hijacked'));
    attempt(() => ((definition!.parameters as any).additionalProperties = true));
    await manager.startSession();
    const [sent] = transport.callsOf('connect')[0]!.request.session.tools!;
    expect(sent!.name).to.equal('setExpression');
    expect(sent!.parameters).to.deep.equal(expressionSchema());
    expect(manager.getRegisteredTools()[0]!.parameters).to.deep.equal(expressionSchema());
    transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'Angry' } }] });
    await flush();
    expect(named('realtime:tool:error').map((e) => e.code)).to.deep.equal(['invalid_arguments']);
    expect(named('realtime:tool:result')).to.have.length(0);
  });

  it("editing the caller's own schema after registerTool changes nothing", async () => {
    const schema = expressionSchema();
    const tool = expressionTool(schema);
    const { manager, transport, named } = setup();
    manager.registerTool(tool);
    schema.properties.expressionId.enum.push('Angry');
    (schema as any).additionalProperties = true;
    (tool.definition as any).name = 'renamed';
    (tool as any).timeoutMs = -1;
    await manager.startSession();
    const [sent] = transport.callsOf('connect')[0]!.request.session.tools!;
    expect(sent).to.deep.include({ name: 'setExpression' });
    expect(sent!.parameters).to.deep.equal(expressionSchema());
    transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'Angry' } }] });
    await flush();
    expect(named('realtime:tool:error').map((e) => e.code)).to.deep.equal(['invalid_arguments']);
  });

  it('getState() is a frozen snapshot: mutating it cannot open a second connection', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const state = manager.getState();
    expect(Object.isFrozen(state)).to.equal(true);
    expect(Object.isFrozen(state.session)).to.equal(true);
    expect(Object.isFrozen(state.response)).to.equal(true);
    expect(Object.isFrozen(state.session.config)).to.equal(true);
    attempt(() => ((state.session as any).status = 'idle'));
    attempt(() => ((state as any).session = { status: 'idle', id: null, config: null }));
    attempt(() => ((state.session.config as any).voice = 'hijacked'));
    expect((await rejection(manager.startSession())).code).to.equal('session_active');
    expect(transport.callsOf('connect')).to.have.length(1);
    expect(manager.getState().session.status).to.equal('active');
  });

  it('state snapshots in realtime:state are frozen as well', async () => {
    const { manager, named } = setup();
    await manager.startSession();
    for (const { state, previous } of named('realtime:state')) {
      expect(Object.isFrozen(state)).to.equal(true);
      expect(Object.isFrozen(previous)).to.equal(true);
    }
  });

  it('a realtime:tool:result listener cannot change the result the model receives', async () => {
    const { manager, transport } = setup({ tools: [expressionTool()] });
    manager.on('realtime:tool:result', ({ result }) => attempt(() => ((result as any).expression = 'Angry')));
    await manager.startSession();
    transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'Smile' } }] });
    await flush();
    expect(transport.callsOf('sendToolResult')[0]!.output).to.deep.equal({ success: true, expression: 'Smile' });
  });

  it('a realtime:tool:call listener cannot change the arguments the handler gets', async () => {
    let received: unknown;
    const { manager, transport } = setup({
      tools: [{ ...expressionTool(), handler: (args: unknown) => ((received = structuredClone(args)), { ok: true }) }],
    });
    manager.on('realtime:tool:call', ({ args }) => attempt(() => ((args as any).expressionId = 'Angry')));
    await manager.startSession();
    transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'Smile' } }] });
    await flush();
    expect(received).to.deep.equal({ expressionId: 'Smile' });
  });
});
