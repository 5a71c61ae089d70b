import { expect, waitUntil } from '@open-wc/testing';
import { FACE_SHAPES, mouthPath } from './face-shapes.js';
import { createSvgAvatarRenderer, type SvgAvatarRenderer } from './svg-renderer.js';

function mounted(options: Parameters<typeof createSvgAvatarRenderer>[0] = { blinkInterval: false }) {
  const container = document.createElement('div');
  document.body.append(container);
  const renderer = createSvgAvatarRenderer(options);
  renderer.mount(container);
  const part = (name: string) => renderer.element!.querySelector<SVGElement>(`[part~="${name}"]`)!;
  return { container, renderer, part };
}

let cleanup: SvgAvatarRenderer[] = [];
afterEach(() => {
  for (const renderer of cleanup) {
    renderer.element?.closest('.charivo-svg-avatar-frame')?.parentElement?.remove();
    renderer.dispose();
  }
  cleanup = [];
});

describe('SvgAvatarRenderer', () => {
  it('draws an inline SVG face with styling parts and no focusable or announced content', () => {
    const { renderer, container, part } = mounted();
    cleanup.push(renderer);
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('aria-hidden')).to.equal('true');
    for (const name of ['background', 'head', 'brows', 'eyes', 'mouth', 'body', 'blush']) expect(part(name), name).to.exist;
    expect(renderer.catalog.expressions).to.deep.equal(['neutral', 'smile', 'sad', 'surprised', 'angry', 'thinking']);
    expect(renderer.catalog.motions).to.deep.equal({ nod: 1, shake: 1, bounce: 1, tilt: 2 });
    expect(svg.querySelector('[href], [src]')).to.equal(null);
  });

  it('opens the mouth by rewriting one path, and closes it exactly at 0', () => {
    const { renderer, part } = mounted();
    cleanup.push(renderer);
    const closed = part('mouth').getAttribute('d');
    expect(closed).to.equal(mouthPath(FACE_SHAPES.neutral!, 0));
    renderer.setMouthOpen(0.8);
    expect(renderer.mouthOpen).to.equal(0.8);
    expect(part('mouth').getAttribute('d')).to.not.equal(closed);
    renderer.setMouthOpen(0);
    expect(part('mouth').getAttribute('d')).to.equal(closed);
    renderer.setMouthOpen(Number.NaN);
    expect(renderer.mouthOpen).to.equal(0);
  });

  it('changes brows, eyes, cheeks and mouth with the expression, scaled by intensity', () => {
    const { renderer, part } = mounted();
    cleanup.push(renderer);
    const neutralMouth = part('mouth').getAttribute('d');
    renderer.setExpression('smile');
    expect(renderer.element!.dataset.expression).to.equal('smile');
    expect(part('blush').getAttribute('opacity')).to.equal('0.7');
    expect(part('mouth').getAttribute('d')).to.not.equal(neutralMouth);
    renderer.setExpression('smile', 0.5);
    expect(part('blush').getAttribute('opacity')).to.equal('0.35');
    renderer.setExpression('angry');
    expect(renderer.element!.querySelector<SVGElement>('.brow-left')!.style.transform).to.include('rotate(20deg)');
    renderer.setExpression('toString');
    renderer.setExpression('gleeful');
    expect(renderer.expression).to.equal('angry');
  });

  it('moves the pupils with the gaze, clamped to [-1, 1]', () => {
    const { renderer } = mounted();
    cleanup.push(renderer);
    renderer.lookAt(5, -0.5);
    const pupils = [...renderer.element!.querySelectorAll<SVGElement>('[part~="pupil"]')];
    expect(pupils).to.have.length(2);
    for (const pupil of pupils) expect(pupil.style.transform).to.equal('translate(4px, -2px)');
  });

  it('plays motions as Web Animations that resolve when done or replaced', async () => {
    const { renderer } = mounted();
    cleanup.push(renderer);
    renderer.setReducedMotion(false);
    const motion = renderer.element!.querySelector('.motion')!;
    const first = renderer.playMotion('tilt', 1);
    expect(motion.getAnimations()).to.have.length(1);
    const second = renderer.playMotion('nod');
    await first;
    expect(motion.getAnimations()).to.have.length(1);
    motion.getAnimations()[0]!.finish();
    await second;
    await renderer.playMotion('moonwalk');
  });

  it('under reduced motion, a motion is a still cue and the idle sway stops', () => {
    const { renderer, part } = mounted();
    cleanup.push(renderer);
    renderer.setReducedMotion(true);
    void renderer.playMotion('bounce');
    expect(renderer.element!.querySelector('.motion')!.getAnimations()).to.have.length(0);
    const cue = part('cue').getAnimations()[0]!;
    expect(cue.effect).to.exist;
    const keyframes = (cue.effect as KeyframeEffect).getKeyframes();
    expect(keyframes.every((frame) => !('transform' in frame))).to.equal(true);
    // The idle sway moves the box that holds the whole <svg> (so the compositor can run it).
    const sway = renderer.element!.parentElement!;
    expect(getComputedStyle(sway).animationName).to.equal('none');
    renderer.setReducedMotion(false);
    expect(getComputedStyle(sway).animationName).to.not.equal('none');
  });

  it('blinks on its jittered timer while mounted, and dispose removes everything', async () => {
    const { renderer, container } = mounted({ blinkInterval: [0, 0] });
    const lids = [...container.querySelectorAll<SVGGElement>('.blink')];
    // The first blink is a 0 ms timer away; bounded in wall time, not frames: a loaded WebKit drew too few
    // frames for 120 of them to fit the test's 20 s.
    await waitUntil(() => lids.every((lid) => lid.style.transform === 'scaleY(0.08)'), 'both lids shut', { timeout: 10_000, interval: 5 });
    renderer.dispose();
    expect(container.querySelector('svg')).to.equal(null);
    renderer.mount(container);
    expect(container.querySelectorAll('svg')).to.have.length(1);
    renderer.dispose();
    container.remove();
  });

  it('holds a blink shut, then opens the eyes again', async () => {
    const { renderer, container } = mounted();
    cleanup.push(renderer);
    const lids = [...container.querySelectorAll<SVGGElement>('.blink')];
    const shut = () => lids.every((lid) => lid.style.transform === 'scaleY(0.08)');
    renderer.blink();
    expect(shut()).to.equal(true);
    await waitUntil(() => lids.every((lid) => lid.style.transform === ''), 'eyes open again', { timeout: 10_000, interval: 5 });
    // No animation runs for a blink (a tweened one laid the face out on every frame).
    expect(lids.flatMap((lid) => lid.getAnimations())).to.have.length(0);
  });

  it('takes its colours from --charivo-avatar-* custom properties', () => {
    const { renderer, container, part } = mounted();
    cleanup.push(renderer);
    container.style.setProperty('--charivo-avatar-accent', 'rgb(1, 2, 3)');
    expect(getComputedStyle(part('body')).fill).to.equal('rgb(1, 2, 3)');
  });
});
