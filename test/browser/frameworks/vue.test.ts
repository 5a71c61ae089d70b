import { expect } from '@open-wc/testing';
import * as Vue from 'vue/dist/vue.esm-browser.js';
import type { CharivoRealtime } from '../../../src/elements/index.js';
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

/** Mounts `component` in a fresh container, with the tags declared custom elements as docs/frameworks.md says. */
function mountApp(component: Vue.Component) {
  const container = document.createElement('div');
  document.body.append(container);
  const app = Vue.createApp(component);
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('charivo-');
  app.config.warnHandler = (message) => {
    throw new Error(`Vue warned: ${message}`);
  };
  app.mount(container);
  return {
    container,
    unmount: () => {
      app.unmount();
      container.remove();
    },
  };
}

describe('Vue 3 with the tags', () => {
  it('template: :tools as a property, @charivo-tool-call, a child event, and unmount stops the session', async () => {
    const seen = createSeen();
    const tools = weatherTools(seen);
    const session = Vue.ref<CharivoRealtime | null>(null);
    const { unmount } = mountApp({
      setup: () => ({ session, tools, pushToTalk: false, ...handlers(seen) }),
      template: `
        <charivo-realtime ref="session" :tools="tools" :pushToTalk="pushToTalk"
            @charivo-tool-call="onToolCall" @charivo-avatar-ready="onChildEvent">
          <charivo-avatar></charivo-avatar>
          <charivo-transcript></charivo-transcript>
        </charivo-realtime>`,
    });
    const el = session.value!;
    expect(el.localName).to.equal('charivo-realtime');
    expectProperties(el, tools);
    await expectChildEvent(el, seen);
    const transport = await runToolCall(el);
    expectToolRoundTrip(el, transport, seen);
    await expectStopsWhenRemoved(el, transport, unmount);
  });

  it('render function: h() with onCharivoToolCall (Vue hyphenates it to charivo-tool-call)', async () => {
    const seen = createSeen();
    const tools = weatherTools(seen);
    const session = Vue.ref<CharivoRealtime | null>(null);
    const { onToolCall, onChildEvent } = handlers(seen);
    const { unmount } = mountApp({
      setup: () => () =>
        Vue.h(
          'charivo-realtime',
          { ref: session, tools, pushToTalk: false, onCharivoToolCall: onToolCall, 'onCharivo-avatar-ready': onChildEvent },
          [Vue.h('charivo-avatar'), Vue.h('charivo-transcript')],
        ),
    });
    const el = session.value!;
    expectProperties(el, tools);
    await expectChildEvent(el, seen);
    const transport = await runToolCall(el);
    expectToolRoundTrip(el, transport, seen);
    await expectStopsWhenRemoved(el, transport, unmount);
  });

  it('booleans: :pushToTalk and :push-to-talk.camel set the property; :push-to-talk="false" writes the text "false", read as on', async () => {
    const flag = Vue.ref(false);
    const { container, unmount } = mountApp({
      setup: () => ({ flag }),
      template: `
        <charivo-realtime id="by-property" :pushToTalk="flag"></charivo-realtime>
        <charivo-realtime id="by-attribute" :push-to-talk="flag"></charivo-realtime>
        <charivo-realtime id="by-attribute-or-null" :push-to-talk="flag || null"></charivo-realtime>
        <charivo-realtime id="by-camel" :push-to-talk.camel="flag"></charivo-realtime>`,
    });
    const [byProperty, byAttribute, orNull, byCamel] = [...container.querySelectorAll('charivo-realtime')];
    await Promise.all([byProperty, byAttribute, orNull, byCamel].map((el) => el!.updateComplete));
    expect(byCamel!.pushToTalk, '.camel turns the binding into the pushToTalk property').to.equal(false);
    expect(byCamel!.hasAttribute('push-to-talk')).to.equal(false);
    expect(byProperty!.pushToTalk).to.equal(false);
    // Vue wrote push-to-talk="false"; a boolean attribute that is present means on (Lit then reflects it as "").
    expect(byAttribute!.pushToTalk, 'the pitfall docs/frameworks.md warns about').to.equal(true);
    expect(byAttribute!.hasAttribute('push-to-talk')).to.equal(true);
    expect(orNull!.pushToTalk).to.equal(false);
    flag.value = true;
    await Vue.nextTick();
    expect(byProperty!.pushToTalk).to.equal(true);
    expect(orNull!.pushToTalk).to.equal(true);
    expect(byCamel!.pushToTalk).to.equal(true);
    unmount();
  });
});
