import { expect } from '@open-wc/testing';
import { createSpriteAvatarRenderer } from './sprite-renderer.js';

const dot = (color: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="${color}"/></svg>`)}`;

const frames = {
  neutral: { closed: dot('gray'), half: dot('silver'), open: dot('white') },
  happy: { closed: dot('gold'), open: dot('yellow') },
};

function mounted() {
  const container = document.createElement('div');
  document.body.append(container);
  const renderer = createSpriteAvatarRenderer({ frames });
  renderer.mount(container);
  return { renderer, container, img: () => container.querySelector('img')! };
}

describe('SpriteAvatarRenderer', () => {
  it('shows the first expression\'s closed frame, and derives its catalog from the frames', () => {
    const { renderer, container, img } = mounted();
    expect(img().getAttribute('src')).to.equal(frames.neutral.closed);
    expect(img().alt).to.equal('');
    expect(renderer.catalog.expressions).to.deep.equal(['neutral', 'happy']);
    expect(renderer.catalog.motions).to.include('nod');
    renderer.dispose();
    expect(container.querySelector('img')).to.equal(null);
    container.remove();
  });

  it('picks the mouth frame by level thresholds (half when the set has one)', () => {
    const { renderer, container, img } = mounted();
    renderer.setMouthOpen(0.2);
    expect(img().getAttribute('src')).to.equal(frames.neutral.half);
    renderer.setMouthOpen(0.9);
    expect(img().getAttribute('src')).to.equal(frames.neutral.open);
    renderer.setMouthOpen(0);
    expect(img().getAttribute('src')).to.equal(frames.neutral.closed);
    renderer.setExpression('happy');
    renderer.setMouthOpen(0.2);
    expect(renderer.mouthFrame).to.equal('open');
    expect(img().getAttribute('src')).to.equal(frames.happy.open);
    renderer.dispose();
    container.remove();
  });

  it('swaps frame sets by expression and ignores unknown ones', () => {
    const { renderer, container, img } = mounted();
    renderer.setExpression('happy');
    expect(img().getAttribute('src')).to.equal(frames.happy.closed);
    renderer.setExpression('furious');
    expect(renderer.expression).to.equal('happy');
    renderer.dispose();
    container.remove();
  });

  it('plays motions as transforms of the image, and a still dim under reduced motion', async () => {
    const { renderer, container, img } = mounted();
    renderer.setReducedMotion(false);
    const played = renderer.playMotion('shake');
    const [animation] = img().getAnimations();
    expect((animation!.effect as KeyframeEffect).getKeyframes().some((frame) => 'transform' in frame)).to.equal(true);
    animation!.finish();
    await played;
    renderer.setReducedMotion(true);
    void renderer.playMotion('shake');
    const [still] = img().getAnimations();
    expect((still!.effect as KeyframeEffect).getKeyframes().every((frame) => !('transform' in frame))).to.equal(true);
    renderer.lookAt(1, -2);
    expect(img().style.translate).to.equal('3px -3px');
    renderer.dispose();
    container.remove();
  });

  it('rejects an empty frame map', () => {
    expect(() => createSpriteAvatarRenderer({ frames: {} })).to.throw(TypeError);
  });
});
