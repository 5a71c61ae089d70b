import { expect } from '@open-wc/testing';
import { buildRealtimeSessionConfig, DEFAULT_REALTIME_AGENT_INSTRUCTIONS } from './instructions.js';
import { setup } from '../../test/helpers/manager.js';

const hiyori = {
  id: 'hiyori',
  name: 'Hiyori',
  description: 'A cheerful guide at the station cafe.',
  personality: 'Warm, curious, a little playful.',
  voice: { voiceId: 'marin' },
};

describe('Character and instructions', () => {
  it('buildRealtimeSessionConfig folds identity, description, personality, rules and voice', () => {
    const config = buildRealtimeSessionConfig({ character: hiyori });
    expect(config.instructions).to.contain('You are Hiyori.');
    expect(config.instructions).to.contain('A cheerful guide at the station cafe.');
    expect(config.instructions).to.contain('Personality: Warm, curious, a little playful.');
    expect(config.instructions).to.contain(DEFAULT_REALTIME_AGENT_INSTRUCTIONS);
    expect(config.voice).to.equal('marin');
  });

  it('adds no provider or model defaults', () => {
    const config = buildRealtimeSessionConfig({ character: hiyori });
    expect(Object.keys(config).sort()).to.deep.equal(['instructions', 'voice']);
  });

  it('keeps base fields, appends base instructions, and an explicit voice wins', () => {
    const config = buildRealtimeSessionConfig({
      character: hiyori,
      baseConfig: { model: 'm', voice: 'alloy', instructions: 'Keep replies short.' },
    });
    expect(config.model).to.equal('m');
    expect(config.voice).to.equal('alloy');
    expect(config.instructions!.trim().endsWith('Keep replies short.')).to.equal(true);
  });

  it('without a character it still carries the generic rules', () => {
    expect(buildRealtimeSessionConfig().instructions).to.equal(DEFAULT_REALTIME_AGENT_INSTRUCTIONS);
  });

  it('setCharacter shapes the effective config of the next start', async () => {
    const { manager, transport } = setup();
    manager.setCharacter(hiyori);
    expect(manager.getCharacter()).to.equal(hiyori);
    await manager.startSession({ model: 'm' });
    const session = transport.callsOf('connect')[0]!.request.session;
    expect(session.instructions).to.contain('You are Hiyori.');
    expect(session.voice).to.equal('marin');
  });

  it('setCharacter while active refreshes the live session', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    manager.setCharacter(hiyori);
    await new Promise((resolve) => manager.on('realtime:state', resolve));
    expect(transport.callsOf('updateSession')[0]!.session.instructions).to.contain('You are Hiyori.');
  });

  it('setCharacter rejects a character without a name', () => {
    const { manager } = setup();
    expect(() => manager.setCharacter({} as never)).to.throw(/name/);
  });
});
