import { expect } from '@open-wc/testing';
import { avatarEffectFromEvent, avatarEffectFromToolResult } from './effects.js';

describe('avatar effects', () => {
  it('reads avatar:* events and their Charivo aliases, clamping numbers', () => {
    expect(avatarEffectFromEvent('realtime:expression', { expressionId: 'Smile', intensity: 3 })).to.deep.equal({
      event: 'avatar:expression',
      payload: { expressionId: 'Smile', intensity: 1 },
    });
    expect(avatarEffectFromEvent('avatar:motion', { motionId: 'Idle', index: 1.7, callId: 'c1' })).to.deep.equal({
      event: 'avatar:motion',
      payload: { motionId: 'Idle', index: 1, callId: 'c1' },
    });
    expect(avatarEffectFromEvent('avatar:gaze', { x: -4, y: 0.5 })!.payload).to.deep.equal({ x: -1, y: 0.5 });
  });

  it('rejects malformed payloads and unrelated events', () => {
    expect(avatarEffectFromEvent('avatar:expression', { expressionId: '' })).to.equal(null);
    expect(avatarEffectFromEvent('avatar:gaze', { x: Number.NaN, y: 0 })).to.equal(null);
    expect(avatarEffectFromEvent('avatar:motion', 'nod')).to.equal(null);
    expect(avatarEffectFromEvent('realtime:state', { expressionId: 'x' })).to.equal(null);
  });

  it('maps tool results by (renamed) tool name and only on success', () => {
    expect(avatarEffectFromToolResult('setGaze', { success: true, x: 0, y: 0 }, { callId: 'c' })!.payload).to.deep.equal({ x: 0, y: 0, callId: 'c' });
    expect(avatarEffectFromToolResult('setGaze', { success: false, x: 0, y: 0 })).to.equal(null);
    expect(avatarEffectFromToolResult('look', { success: true, x: 0, y: 0 }, { names: { gaze: 'look' } })!.event).to.equal('avatar:gaze');
    expect(avatarEffectFromToolResult('setGaze', { success: true, x: 0, y: 0 }, { names: { gaze: 'look' } })).to.equal(null);
  });
});
