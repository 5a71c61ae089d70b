import { expect } from '@open-wc/testing';
import type { RealtimeToolContext, RealtimeToolRegistration } from '../manager/types.js';
import type { JsonSchemaObject } from '../manager/tools/schema.js';
import { validateToolArguments } from '../manager/tools/validate-arguments.js';
import { createAvatarControlTools } from './tools.js';

const catalog = { expressions: ['Smile', 'Sad'], motions: { Idle: 2, TapBody: 3 } };
const context = {} as RealtimeToolContext;

function byName(tools: RealtimeToolRegistration[], name: string): RealtimeToolRegistration {
  const tool = tools.find((candidate) => candidate.definition.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}
const schemaOf = (tool: RealtimeToolRegistration) => tool.definition.parameters as JsonSchemaObject;
const valid = (tool: RealtimeToolRegistration, args: unknown) => validateToolArguments(schemaOf(tool), args).valid;

describe('createAvatarControlTools', () => {
  it('builds setExpression, playMotion and setGaze with strict object schemas', () => {
    const tools = createAvatarControlTools(catalog);
    expect(tools.map((tool) => tool.definition.name)).to.deep.equal(['setExpression', 'playMotion', 'setGaze']);
    for (const tool of tools) {
      expect(schemaOf(tool)).to.include({ type: 'object', additionalProperties: false });
      expect(schemaOf(tool).required).to.be.an('array').that.is.not.empty;
      expect(tool.definition.description).to.be.a('string').with.length.above(20);
    }
  });

  it('setExpression takes an expression of the catalog and an intensity in [0, 1]', () => {
    const tool = byName(createAvatarControlTools(catalog), 'setExpression');
    expect(schemaOf(tool).required).to.deep.equal(['expressionId']);
    expect(valid(tool, { expressionId: 'Smile' })).to.equal(true);
    expect(valid(tool, { expressionId: 'Smile', intensity: 0.4 })).to.equal(true);
    expect(valid(tool, { expressionId: 'Grin' })).to.equal(false);
    expect(valid(tool, { expressionId: 'Smile', intensity: 1.5 })).to.equal(false);
    expect(valid(tool, { expressionId: 'Smile', extra: true })).to.equal(false);
    expect(valid(tool, {})).to.equal(false);
  });

  it('setExpression echoes what was applied, with intensity defaulting to 1 (or the option)', async () => {
    const tools = createAvatarControlTools(catalog);
    expect(await byName(tools, 'setExpression').handler({ expressionId: 'Sad' }, context)).to.deep.equal({
      success: true,
      expressionId: 'Sad',
      intensity: 1,
    });
    const softer = createAvatarControlTools(catalog, { defaultIntensity: 0.6 });
    expect(await byName(softer, 'setExpression').handler({ expressionId: 'Sad' }, context)).to.include({ intensity: 0.6 });
  });

  it('playMotion bounds index by the largest group and the handler by the motion\'s own count', async () => {
    const tool = byName(createAvatarControlTools(catalog), 'playMotion');
    const index = schemaOf(tool).properties!.index as JsonSchemaObject;
    expect(index).to.include({ type: 'integer', minimum: 0, maximum: 2 });
    expect(valid(tool, { motionId: 'Idle' })).to.equal(true);
    expect(valid(tool, { motionId: 'TapBody', index: 2 })).to.equal(true);
    expect(valid(tool, { motionId: 'TapBody', index: 3 })).to.equal(false);
    expect(valid(tool, { motionId: 'Wave' })).to.equal(false);
    expect(valid(tool, { motionId: 'Idle', index: 0.5 })).to.equal(false);
    expect(await tool.handler({ motionId: 'Idle' }, context)).to.deep.equal({ success: true, motionId: 'Idle', index: 0 });
    expect(await tool.handler({ motionId: 'TapBody', index: 2 }, context)).to.deep.equal({ success: true, motionId: 'TapBody', index: 2 });
    expect(() => tool.handler({ motionId: 'Idle', index: 2 }, context)).to.throw(RangeError, /Idle/);
  });

  it('accepts motions as a plain list (one variant each, no index)', () => {
    const tool = byName(createAvatarControlTools({ expressions: ['a'], motions: ['nod', 'shake'] }), 'playMotion');
    expect(schemaOf(tool).properties).to.have.keys('motionId');
    expect((schemaOf(tool).properties!.motionId as JsonSchemaObject).enum).to.deep.equal(['nod', 'shake']);
    expect(valid(tool, { motionId: 'nod', index: 0 })).to.equal(false);
  });

  it('setGaze takes x and y in [-1, 1], both required', async () => {
    const tool = byName(createAvatarControlTools(catalog), 'setGaze');
    expect(schemaOf(tool).required).to.deep.equal(['x', 'y']);
    expect(valid(tool, { x: -1, y: 1 })).to.equal(true);
    expect(valid(tool, { x: 1.2, y: 0 })).to.equal(false);
    expect(valid(tool, { x: 0 })).to.equal(false);
    expect(await tool.handler({ x: 0.25, y: -0.5 }, context)).to.deep.equal({ success: true, x: 0.25, y: -0.5 });
  });

  it('leaves out what the catalog cannot do', () => {
    const names = (tools: RealtimeToolRegistration[]) => tools.map((tool) => tool.definition.name);
    expect(names(createAvatarControlTools({ ...catalog, gaze: false }))).to.deep.equal(['setExpression', 'playMotion']);
    expect(names(createAvatarControlTools({ expressions: [], motions: [] }))).to.deep.equal(['setGaze']);
  });

  it('renames tools on request', () => {
    const tools = createAvatarControlTools(catalog, { names: { expression: 'avatar_face' } });
    expect(tools.map((tool) => tool.definition.name)).to.deep.equal(['avatar_face', 'playMotion', 'setGaze']);
  });
});
