import { expect } from '@open-wc/testing';
import { flushSync, mount, unmount } from 'svelte';
import type { CharivoRealtime } from '../../../src/elements/index.js';
import Booleans from './booleans.svelte';
import Session from './session.svelte';
import {
  createSeen,
  expectChildEvent,
  expectProperties,
  expectStopsWhenRemoved,
  expectToolRoundTrip,
  handlers,
  runToolCall,
  weatherTools,
} from './harness.js';

function container(): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  return target;
}

describe('Svelte 5 with the tags', () => {
  it('tools={tools} as a property, oncharivo-tool-call, a child event, and unmount stops the session', async () => {
    const seen = createSeen();
    const tools = weatherTools(seen);
    const target = container();
    const component = mount(Session, { target, props: { tools, ...handlers(seen) } }) as unknown as { session(): CharivoRealtime };
    flushSync();
    const el = component.session();
    expect(el.localName).to.equal('charivo-realtime');
    expectProperties(el, tools);
    await expectChildEvent(el, seen);
    const transport = await runToolCall(el);
    expectToolRoundTrip(el, transport, seen);
    await expectStopsWhenRemoved(el, transport, () => {
      void unmount(component);
      target.remove();
    });
  });

  it('booleans: pushToTalk={flag} sets the property; push-to-talk={false} writes the text "false", read as on', async () => {
    const target = container();
    const component = mount(Booleans, { target, props: { flag: false } });
    flushSync();
    const [byProperty, byAttribute, orNull] = [...target.querySelectorAll('charivo-realtime')];
    await Promise.all([byProperty, byAttribute, orNull].map((el) => el!.updateComplete));
    expect(byProperty!.pushToTalk).to.equal(false);
    expect(byAttribute!.pushToTalk, 'the pitfall docs/frameworks.md warns about').to.equal(true);
    expect(orNull!.pushToTalk).to.equal(false);
    void unmount(component);
    target.remove();
  });
});
