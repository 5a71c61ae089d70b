import { expect } from '@open-wc/testing';
import { next, setup } from '../../test/helpers/manager.js';
import { createAvatarResultProjector } from './projector.js';
import { createAvatarControlTools } from './tools.js';

function project(name: string, result: Record<string, unknown>, args: Record<string, unknown> = {}) {
  const emitted: Array<[string, unknown]> = [];
  createAvatarResultProjector()(
    { callId: 'call_1', name, args, result },
    { emit: (event, payload) => emitted.push([event, payload]), sessionId: 's' },
  );
  return emitted;
}

describe('createAvatarResultProjector', () => {
  it('turns each avatar tool result into its avatar event, with the call id', () => {
    expect(project('setExpression', { success: true, expressionId: 'Smile', intensity: 0.5 })).to.deep.equal([
      ['avatar:expression', { expressionId: 'Smile', intensity: 0.5, callId: 'call_1' }],
    ]);
    expect(project('playMotion', { success: true, motionId: 'TapBody', index: 2 })).to.deep.equal([
      ['avatar:motion', { motionId: 'TapBody', index: 2, callId: 'call_1' }],
    ]);
    expect(project('setGaze', { success: true, x: -0.5, y: 1 })).to.deep.equal([
      ['avatar:gaze', { x: -0.5, y: 1, callId: 'call_1' }],
    ]);
  });

  it('ignores other tools, failures and malformed results', () => {
    expect(project('describeCharacterProfile', { success: true, name: 'Aria' })).to.deep.equal([]);
    expect(project('setExpression', { success: false, error: 'nope' })).to.deep.equal([]);
    expect(project('setExpression', { success: true })).to.deep.equal([]);
    expect(project('setGaze', { success: true, x: 'left', y: 0 })).to.deep.equal([]);
  });

  it('follows renamed tools', () => {
    const emitted: string[] = [];
    createAvatarResultProjector({ names: { expression: 'face' } })(
      { callId: 'c', name: 'face', args: {}, result: { success: true, expressionId: 'Sad', intensity: 1 } },
      { emit: (event) => emitted.push(event), sessionId: 's' },
    );
    expect(emitted).to.deep.equal(['avatar:expression']);
  });

  it('bridges a model tool call into avatar:expression on a real manager', async () => {
    const { manager, transport } = setup({
      tools: createAvatarControlTools({ expressions: ['Smile', 'Sad'], motions: { Idle: 2 } }),
      resultProjectors: [createAvatarResultProjector()],
    });
    await manager.startSession();
    const event = next(manager, 'avatar:expression');
    transport.respond({ toolCalls: [{ callId: 'call_9', name: 'setExpression', arguments: { expressionId: 'Sad' } }] });
    expect(await event).to.deep.equal({ expressionId: 'Sad', intensity: 1, callId: 'call_9' });
  });
});
