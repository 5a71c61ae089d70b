import { expect } from '@open-wc/testing';
import { buildAvatarControlInstructions } from './instructions.js';

describe('buildAvatarControlInstructions', () => {
  it('names every expression and motion, with variant ranges, and the gaze tool', () => {
    const text = buildAvatarControlInstructions({ expressions: ['Smile', 'Sad'], motions: { Idle: 2, TapBody: 1 } });
    expect(text).to.include('setExpression').and.include('Smile, Sad');
    expect(text).to.include('playMotion').and.include('Idle (index 0-1)').and.include('TapBody');
    expect(text).to.include('setGaze');
  });

  it('asks for sparing use, in step with speech, never narrated', () => {
    const text = buildAvatarControlInstructions({ expressions: ['Smile'], motions: ['nod'] });
    expect(text).to.match(/sparingly/i);
    expect(text).to.match(/in step with what you are saying/i);
    expect(text).to.match(/never mention the tools/i);
  });

  it('leaves out gaze when the catalog has none, and is empty for an empty catalog', () => {
    expect(buildAvatarControlInstructions({ expressions: ['Smile'], motions: [], gaze: false })).not.to.include('setGaze');
    expect(buildAvatarControlInstructions({ expressions: [], motions: [], gaze: false })).to.equal('');
  });

  it('uses renamed tools', () => {
    expect(buildAvatarControlInstructions({ expressions: ['a'], motions: [] }, { names: { expression: 'face' } })).to.include('- face:');
  });
});
