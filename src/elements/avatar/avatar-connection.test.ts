// <charivo-avatar> shows a lost connection with a look of its own: while reconnecting and after the
// manager gave up, the host says so (`connection` attribute, accessible name), the built-in face wears
// its "connection lost" look (not an expression of the catalog: the model cannot pick it), other
// renderers are dimmed by the element, and everything comes back as it was once connected again.
import { expect, fixture, html } from '@open-wc/testing';
import type { AvatarRenderer } from '../../avatar/renderer.js';
import type { SvgAvatarRenderer } from '../../avatar/svg/svg-renderer.js';
import { createSpriteAvatarRenderer } from '../../avatar/sprite-renderer.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import type { CharivoAvatar } from './avatar.js';
import './define.js';

async function avatarWithSession(renderer?: AvatarRenderer): Promise<{ el: CharivoAvatar; session: TestSession }> {
  const session = createTestSession();
  await session.start();
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  provideSession(host, session);
  const el = document.createElement('charivo-avatar');
  if (renderer) el.renderer = renderer;
  host.append(el);
  await el.updateComplete;
  return { el, session };
}

function untilEvent(session: TestSession, name: 'realtime:reconnect:exhausted' | 'realtime:reconnect:success'): Promise<void> {
  return new Promise((resolve) => {
    const off = session.manager.on(name, () => {
      off();
      resolve();
    });
  });
}

const label = (el: CharivoAvatar) => el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-label');
const svg = (el: CharivoAvatar) => el.shadowRoot!.querySelector<SVGSVGElement>('svg')!;
/** The eyes' vertical scale, as the face draws it. */
const eyeOpen = (el: CharivoAvatar) => svg(el).querySelector<SVGElement>('.squint')!.style.transform;

describe('<charivo-avatar> connection', () => {
  let session: TestSession | undefined;
  afterEach(() => session?.manager.dispose());

  it('wears its "reconnecting" look while the connection is recovered, and its own face again after', async () => {
    const made = await avatarWithSession();
    const el = made.el;
    session = made.session;
    el.setExpression('smile');
    await el.updateComplete;
    const smiling = eyeOpen(el);
    expect(el.hasAttribute('connection')).to.equal(false);

    const held = session.transport.hold('connect');
    session.transport.loseConnection('ice-failed');
    await held.reached;
    await el.updateComplete;
    expect(el.getAttribute('connection')).to.equal('reconnecting');
    expect(el.connection).to.equal('reconnecting');
    expect(label(el)).to.equal('Assistant avatar (reconnecting)');
    expect(svg(el).dataset.connection).to.equal('reconnecting');
    expect(eyeOpen(el), 'the face changed').to.not.equal(smiling);
    await expect(el).to.be.accessible();

    const back = untilEvent(session, 'realtime:reconnect:success');
    held.resolve();
    await back;
    await el.updateComplete;
    expect(el.hasAttribute('connection')).to.equal(false);
    expect(el.connection).to.equal('ok');
    expect(label(el)).to.equal('Assistant avatar (smile)');
    expect(svg(el).dataset.connection).to.equal(undefined);
    expect(svg(el).dataset.expression).to.equal('smile');
    expect(eyeOpen(el), 'the smile is back').to.equal(smiling);
  });

  it('wears its "connection lost" look once reconnecting gave up, until the session starts again', async () => {
    const made = await avatarWithSession();
    const el = made.el;
    session = made.session;
    session.transport.failNext('connect');
    session.transport.failNext('connect');
    const exhausted = untilEvent(session, 'realtime:reconnect:exhausted');
    session.transport.loseConnection('socket-closed');
    await exhausted;
    // The manager finishes the run after announcing it.
    await new Promise<void>((resolve) => {
      if (session!.manager.getState().connection === 'error') return resolve();
      const off = session!.manager.on('realtime:state', ({ state }) => {
        if (state.connection !== 'error') return;
        off();
        resolve();
      });
    });
    await el.updateComplete;
    expect(el.getAttribute('connection')).to.equal('lost');
    expect(label(el)).to.equal('Assistant avatar (connection lost)');
    expect(svg(el).dataset.connection).to.equal('lost');

    await session.start();
    await el.updateComplete;
    expect(el.hasAttribute('connection')).to.equal(false);
    expect(svg(el).dataset.connection).to.equal(undefined);
  });

  it('the look is not an expression the model can pick', async () => {
    const made = await avatarWithSession();
    session = made.session;
    expect(made.el.renderer.catalog.expressions).to.not.include('lost');
    expect(made.el.renderer.catalog.expressions).to.not.include('reconnecting');
    expect((made.el.renderer as SvgAvatarRenderer).catalog.expressions.some((id) => /connect|offline|lost/i.test(id))).to.equal(false);
  });

  it('dims a renderer without a look of its own (sprites), and undims it after', async () => {
    const dot = (color: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1" fill="${color}"/></svg>`)}`;
    const renderer = createSpriteAvatarRenderer({ frames: { neutral: { closed: dot('gray'), open: dot('white') } } });
    const made = await avatarWithSession(renderer);
    const el = made.el;
    session = made.session;
    const stage = el.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;
    expect(getComputedStyle(stage).filter).to.equal('none');
    const held = session.transport.hold('connect');
    session.transport.loseConnection('ice-failed');
    await held.reached;
    await el.updateComplete;
    expect(getComputedStyle(stage).filter).to.not.equal('none');
    const back = untilEvent(session, 'realtime:reconnect:success');
    held.resolve();
    await back;
    await el.updateComplete;
    expect(getComputedStyle(stage).filter).to.equal('none');
  });
});
