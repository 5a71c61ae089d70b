import { expect, fixture, html } from '@open-wc/testing';
import type { AvatarCatalog } from '../../avatar/catalog.js';
import type { AvatarRenderer } from '../../avatar/renderer.js';
import { createAvatarControlTools } from '../../avatar/tools.js';
import { createAvatarResultProjector } from '../../avatar/projector.js';
import { createSpriteAvatarRenderer } from '../../avatar/sprite-renderer.js';
import type { SvgAvatarRenderer } from '../../avatar/svg/svg-renderer.js';
import type { RealtimeManagerOptions } from '../../manager/types.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import { next } from '../../../test/helpers/manager.js';
import type { CharivoAvatar } from './avatar.js';
import './define.js';

type Recording = AvatarRenderer & { calls: string[] };

/** A renderer that records every call (the element must need nothing more than the interface). */
function recordingRenderer(catalog: AvatarCatalog = { expressions: ['neutral', 'smile', 'sad'], motions: { nod: 1, tilt: 2 } }): Recording {
  const calls: string[] = [];
  let node: HTMLElement | undefined;
  const log = (entry: string) => void calls.push(entry);
  return {
    calls,
    catalog,
    mount: (container) => {
      log('mount');
      node = Object.assign(document.createElement('div'), { className: 'recording' });
      container.append(node);
    },
    setMouthOpen: (value) => log(`mouth:${value}`),
    setExpression: (id, intensity) => log(`expression:${id}:${intensity ?? 1}`),
    playMotion: (id, index) => log(`motion:${id}:${index ?? 0}`),
    lookAt: (x, y) => log(`gaze:${x}:${y}`),
    setReducedMotion: (reduced) => log(`reduced:${reduced}`),
    dispose: () => {
      log('dispose');
      node?.remove();
    },
  };
}

/** Two animation frames: the level controller has sampled at least once. */
const frames = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

/** An avatar inside a host that provides a test session through context. */
async function avatarWithSession(options: { tools?: boolean; renderer?: AvatarRenderer; manager?: RealtimeManagerOptions } = {}) {
  const session = createTestSession(options.manager);
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  const provider = provideSession(host, session);
  const el = document.createElement('charivo-avatar');
  if (options.tools) el.setAttribute('avatar-tools', '');
  if (options.renderer) el.renderer = options.renderer;
  host.append(el);
  await el.updateComplete;
  return { el, host, session, provider, level: session.transport.levels.output };
}

const toolNames = (session: TestSession) => session.manager.getRegisteredTools().map((tool) => tool.name);
const svgOf = (el: CharivoAvatar) => el.renderer as SvgAvatarRenderer;

describe('<charivo-avatar>', () => {
  it('is accessible: one labelled image, no focusable parts', async () => {
    const el = await fixture<CharivoAvatar>(html`<charivo-avatar></charivo-avatar>`);
    await expect(el).to.be.accessible();
    const base = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(base.getAttribute('role')).to.equal('img');
    expect(base.getAttribute('aria-label')).to.equal('Assistant avatar');
    expect(el.shadowRoot!.querySelector('[tabindex], a, button, input')).to.equal(null);
    el.label = 'Aria';
    el.setExpression('smile');
    await el.updateComplete;
    expect(base.getAttribute('aria-label')).to.equal('Aria (smile)');
  });

  it('renders the built-in SVG face by default, created on first connect', async () => {
    const el = await fixture<CharivoAvatar>(html`<charivo-avatar expression="Sad"></charivo-avatar>`);
    const svg = el.shadowRoot!.querySelector('svg')!;
    expect(svg.getAttribute('part')).to.equal('svg');
    expect(svg.dataset.expression).to.equal('sad');
    expect(el.expression).to.equal('sad');
  });

  it('opens the mouth with the output level and closes it exactly when the source goes inactive', async () => {
    const { el, level } = await avatarWithSession();
    level.set(0.6);
    await frames();
    expect(svgOf(el).mouthOpen).to.equal(0.6);
    level.set(0.333);
    await frames();
    expect(svgOf(el).mouthOpen).to.equal(0.335); // steps of 1/200
    level.set(0);
    expect(svgOf(el).mouthOpen).to.equal(0);
  });

  it('does not re-render per frame: a constant level reaches the renderer once and Lit not at all', async () => {
    const renderer = recordingRenderer();
    const { el, level } = await avatarWithSession({ renderer });
    let updates = 0;
    const updated = (el as unknown as { updated(changed: unknown): void }).updated.bind(el);
    (el as unknown as { updated(changed: unknown): void }).updated = (changed) => {
      updates += 1;
      updated(changed);
    };
    renderer.calls.length = 0;
    level.set(0.5);
    await frames();
    await frames();
    await frames();
    expect(level.reads).to.be.greaterThan(2);
    expect(renderer.calls).to.deep.equal(['mouth:0.5']);
    expect(updates).to.equal(0);
  });

  it('exposes setExpression, playMotion and lookAt to page code', async () => {
    const renderer = recordingRenderer();
    const el = await fixture<CharivoAvatar>(html`<charivo-avatar .renderer=${renderer}></charivo-avatar>`);
    el.setExpression('SMILE', 0.4);
    el.setExpression('unknown');
    await el.playMotion('tilt', 1);
    el.lookAt(2, -0.5);
    expect(renderer.calls.slice(-3)).to.deep.equal(['expression:smile:0.4', 'motion:tilt:1', 'gaze:1:-0.5']);
    expect(el.expression).to.equal('smile');
    await el.updateComplete;
    expect(el.getAttribute('expression')).to.equal('smile');
  });

  it('swaps renderers: the old one is disposed, the new one gets the current state (sprites)', async () => {
    const { el, level } = await avatarWithSession();
    const dot = (fill: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="2" height="2" fill="${fill}"/></svg>`)}`;
    const sprite = createSpriteAvatarRenderer({
      frames: { neutral: { closed: dot('gray'), open: dot('white') }, smile: { closed: dot('gold'), open: dot('yellow') } },
    });
    const ready: AvatarRenderer[] = [];
    el.addEventListener('charivo-avatar-ready', (event) => ready.push(event.detail.renderer));
    el.setExpression('smile');
    el.renderer = sprite;
    await el.updateComplete;
    expect(ready).to.deep.equal([sprite]);
    expect(el.shadowRoot!.querySelector('svg')).to.equal(null);
    const img = el.shadowRoot!.querySelector('img')!;
    expect(img.getAttribute('part')).to.equal('sprite');
    expect(sprite.expression).to.equal('smile');
    level.set(0.9);
    await frames();
    expect(img.getAttribute('src')).to.equal(dot('yellow'));
    level.set(0);
    expect(img.getAttribute('src')).to.equal(dot('gold'));
  });

  it('a moved element disposes its renderer on disconnect and mounts it again on connect', async () => {
    const renderer = recordingRenderer();
    const el = await fixture<CharivoAvatar>(html`<charivo-avatar .renderer=${renderer} expression="sad"></charivo-avatar>`);
    renderer.calls.length = 0;
    el.parentElement!.append(el);
    expect(renderer.calls.filter((call) => !call.startsWith('reduced:'))).to.deep.equal(['dispose', 'mount', 'mouth:0', 'expression:sad:1']);
    expect(el.shadowRoot!.querySelectorAll('.recording')).to.have.length(1);
  });

  it('follows prefers-reduced-motion through matchMedia and drops the listener on disconnect', async () => {
    const listeners = new Set<() => void>();
    const query = { matches: true, addEventListener: (_: string, l: () => void) => listeners.add(l), removeEventListener: (_: string, l: () => void) => listeners.delete(l) };
    const original = window.matchMedia;
    window.matchMedia = ((media: string) => (media.includes('reduced-motion') ? query : original.call(window, media))) as typeof window.matchMedia;
    try {
      const renderer = recordingRenderer();
      const el = await fixture<CharivoAvatar>(html`<charivo-avatar .renderer=${renderer}></charivo-avatar>`);
      expect(renderer.calls.slice(0, 2)).to.deep.equal(['reduced:true', 'mount']);
      query.matches = false;
      listeners.forEach((listener) => listener());
      expect(renderer.calls.at(-1)).to.equal('reduced:false');
      el.remove();
      expect(listeners.size).to.equal(0);
      expect(renderer.calls.at(-1)).to.equal('dispose');
    } finally {
      window.matchMedia = original;
    }
  });

  it('binds to a sibling session with for="id", and rebinds when `for` changes', async () => {
    const session = createTestSession();
    const wrapper = await fixture<HTMLDivElement>(html`<div><span id="realtime"></span></div>`);
    Object.assign(wrapper.querySelector('#realtime')!, { session });
    const el = document.createElement('charivo-avatar');
    el.setAttribute('for', 'realtime');
    wrapper.append(el);
    await el.updateComplete;
    expect(el.session).to.equal(session);
    session.transport.levels.output.set(0.7);
    await frames();
    expect(svgOf(el).mouthOpen).to.equal(0.7);
    el.htmlFor = 'elsewhere';
    await el.updateComplete;
    expect(el.session).to.equal(undefined);
    expect(svgOf(el).mouthOpen).to.equal(0);
  });

  it('with avatar-tools, registers the tools and applies a valid model call; an invalid one is a tool error', async () => {
    const { el, session } = await avatarWithSession({ tools: true });
    expect(toolNames(session)).to.have.members(['setExpression', 'playMotion', 'setGaze']);
    await session.start();
    const error = next(session.manager, 'realtime:tool:error');
    session.transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'ecstatic' } }] });
    expect(await error).to.include({ code: 'invalid_arguments' });
    expect(svgOf(el).expression).to.equal('neutral');
    const results = new Promise<void>((resolve) => {
      let count = 0;
      const off = session.manager.on('realtime:tool:result', () => {
        if (++count < 2) return;
        off();
        resolve();
      });
    });
    session.transport.respond({
      toolCalls: [
        { name: 'setExpression', arguments: { expressionId: 'surprised', intensity: 0.8 } },
        { name: 'setGaze', arguments: { x: -1, y: 0 } },
      ],
    });
    await results;
    expect(svgOf(el).expression).to.equal('surprised');
    expect(el.expression).to.equal('surprised');
    const pupil = el.shadowRoot!.querySelector<SVGElement>('[part="pupil"]')!;
    // Compared as a matrix: engines serialise the same transform differently ("translate(-4px)" in Firefox).
    const moved = new DOMMatrixReadOnly(pupil.style.transform);
    expect([moved.m41, moved.m42], pupil.style.transform).to.deep.equal([-4, 0]);
  });

  it('applies an effect once when a page-wired projector repeats it as avatar:* (with or without callId)', async () => {
    const renderer = recordingRenderer();
    const bare = (execution: { name: string; result: Record<string, unknown> }, context: { emit(event: string, payload: unknown): void }) => {
      if (execution.name === 'playMotion') context.emit('avatar:motion', { motionId: execution.result.motionId, index: execution.result.index });
    };
    const { session } = await avatarWithSession({ tools: true, renderer, manager: { resultProjectors: [createAvatarResultProjector(), bare] } });
    await session.start();
    const projected = next(session.manager, 'avatar:motion');
    session.transport.respond({ toolCalls: [{ name: 'playMotion', arguments: { motionId: 'tilt', index: 1 } }] });
    await projected;
    expect(renderer.calls.filter((call) => call.startsWith('motion:'))).to.deep.equal(['motion:tilt:1']);
  });

  it('without avatar-tools, follows avatar:* events of tools the page registered', async () => {
    const catalog = { expressions: ['neutral', 'smile', 'sad'], motions: [] };
    const { el, session } = await avatarWithSession({
      manager: { tools: createAvatarControlTools(catalog), resultProjectors: [createAvatarResultProjector()] },
    });
    await session.start();
    const projected = next(session.manager, 'avatar:expression');
    session.transport.respond({ toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'sad' } }] });
    await projected;
    expect(el.expression).to.equal('sad');
  });

  it('unregisters its tools when the attribute goes, the session changes, or it disconnects', async () => {
    const { el, session, provider } = await avatarWithSession({ tools: true });
    el.avatarTools = false;
    await el.updateComplete;
    expect(toolNames(session)).to.deep.equal([]);
    el.avatarTools = true;
    await el.updateComplete;
    expect(toolNames(session)).to.have.length(3);
    const other = createTestSession();
    provider.setValue(other);
    expect(toolNames(session)).to.deep.equal([]);
    expect(toolNames(other)).to.have.length(3);
    el.remove();
    expect(toolNames(other)).to.deep.equal([]);
  });

  it('leaves a tool the page registered under the same name alone', async () => {
    const own = { definition: { type: 'function' as const, name: 'setGaze', parameters: { type: 'object' as const, properties: {} } }, handler: () => ({ success: true }) };
    const { el, session } = await avatarWithSession({ tools: true, manager: { tools: [own] } });
    expect(toolNames(session)).to.have.members(['setGaze', 'setExpression', 'playMotion']);
    expect(session.manager.getRegisteredTools().find((tool) => tool.name === 'setGaze')!.description).to.equal(undefined);
    el.remove();
    expect(toolNames(session)).to.deep.equal(['setGaze']);
  });

  it('re-registers tools for the new catalog when the renderer changes', async () => {
    const { el, session } = await avatarWithSession({ tools: true });
    el.renderer = recordingRenderer({ expressions: ['calm', 'grin'], motions: [], gaze: false });
    await el.updateComplete;
    const expression = session.manager.getRegisteredTools().find((tool) => tool.name === 'setExpression')!;
    expect((expression.parameters as { properties: { expressionId: { enum: string[] } } }).properties.expressionId.enum).to.deep.equal(['calm', 'grin']);
    expect(toolNames(session)).to.deep.equal(['setExpression']);
  });
});
