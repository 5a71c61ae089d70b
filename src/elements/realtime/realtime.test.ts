import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { FakeRealtimeTransport } from '../../testing/index.js';
import type { CharivoSession } from '../session-context.js';
import '../avatar/define.js';
import '../controls/define.js';
import '../mic-meter/define.js';
import '../transcript/define.js';
import './define.js';
import { CharivoRealtime } from './define.js';
import { toDomEventName } from './realtime-events.js';
import { registerRealtimeAdapter, unregisterRealtimeAdapter } from './adapter-registry.js';
import type { RealtimeAdapterEntry } from '../../transports/remote/adapters.js';

/** An adapter entry whose transport is `transport` (no route, no network). */
function fakeAdapter(name: string, transport: FakeRealtimeTransport): RealtimeAdapterEntry {
  return { name, transport: 'websocket', load: async () => () => transport };
}

async function setup(template = html`<charivo-realtime></charivo-realtime>`) {
  const el = (await fixture(template)) as CharivoRealtime;
  const transport = new FakeRealtimeTransport();
  el.transport = transport;
  await el.updateComplete;
  const events: CustomEvent[] = [];
  const errors: CustomEvent[] = [];
  el.addEventListener('charivo-error', (e) => errors.push(e as CustomEvent));
  for (const name of ['charivo-session-start', 'charivo-tool-call', 'charivo-audio-start', 'charivo-assistant-delta', 'charivo-state', 'charivo-usage']) {
    el.addEventListener(name, (e) => events.push(e as CustomEvent));
  }
  return { el, transport, events, errors };
}

const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const flush = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
};

describe('<charivo-realtime>', () => {
  it('is accessible with its UI slotted in', async () => {
    const el = await fixture(html`<charivo-realtime><charivo-mic-meter></charivo-mic-meter></charivo-realtime>`);
    await expect(el).to.be.accessible();
  });

  it('renames manager events by one rule', () => {
    expect(toDomEventName('realtime:tool:call')).to.equal('charivo-tool-call');
    expect(toDomEventName('tts:audio:start')).to.equal('charivo-audio-start');
    expect(toDomEventName('avatar:expression')).to.equal('charivo-avatar-expression');
    expect(toDomEventName('realtime:reconnect:attempt')).to.equal('charivo-reconnect-attempt');
    expect(toDomEventName('tts:lipsync:update')).to.equal(null);
  });

  it('renames the same way when asked again, and past the names it remembers', () => {
    expect(toDomEventName('realtime:tool:call')).to.equal('charivo-tool-call');
    expect(toDomEventName('tts:lipsync:update')).to.equal(null);
    // A page emitting made-up names: more than the cache keeps, each still renamed by the rule.
    for (let i = 0; i < 600; i += 1) expect(toDomEventName(`app:Thing ${i}`)).to.equal(`charivo-app-thing-${i}`);
    expect(toDomEventName('app:Thing 599')).to.equal('charivo-app-thing-599');
    expect(toDomEventName('realtime:assistant:delta')).to.equal('charivo-assistant-delta');
  });

  it('start() runs a session through the transport with attributes as config, and reflects state', async () => {
    const { el, transport, events } = await setup(
      html`<charivo-realtime model="gpt-realtime" voice="marin" instructions="Be brief."></charivo-realtime>`,
    );
    expect(el.getAttribute('state')).to.equal('idle');
    await el.start();
    const session = transport.callsOf('connect')[0]!.request.session;
    expect(session).to.include({ model: 'gpt-realtime', voice: 'marin', instructions: 'Be brief.' });
    expect(el.state.session.status).to.equal('active');
    expect(el.getAttribute('state')).to.equal('active');
    expect(el.getAttribute('connection')).to.equal('connected');
    expect(events.some((e) => e.type === 'charivo-session-start')).to.equal(true);
    transport.emit('audio:start', { responseId: 'r1' });
    expect(el.hasAttribute('speaking')).to.equal(true);
    transport.emit('audio:end', { responseId: 'r1', reason: 'stopped' });
    expect(el.hasAttribute('speaking')).to.equal(false);
    await el.stop();
    expect(el.getAttribute('state')).to.equal('stopped');
  });

  it('dispatches charivo-* events that bubble, are composed and carry a typed detail', async () => {
    const { el, transport } = await setup();
    await el.start();
    const outer = el.parentElement!;
    const heard = oneEvent(outer, 'charivo-assistant-delta');
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hi' });
    const event = await heard;
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.detail).to.include({ responseId: 'r1', delta: 'Hi', text: 'Hi' });
  });

  it('fires no DOM event per animation frame for the lip-sync level', async () => {
    const { el, transport } = await setup();
    await el.start();
    const seen: string[] = [];
    const original = el.dispatchEvent.bind(el);
    el.dispatchEvent = (event: Event) => {
      seen.push(event.type);
      return original(event);
    };
    for (let i = 0; i < 30; i += 1) transport.emit('lipsync', { level: i / 30 });
    expect(seen).to.deep.equal([]);
  });

  it('tools set as a property reach the model, and a tool call fires charivo-tool-call then its result goes back', async () => {
    const { el, transport, events } = await setup();
    el.tools = [
      {
        definition: { type: 'function', name: 'getWeather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        handler: ({ city }: { city: string }) => ({ city, forecast: 'sunny' }),
      },
    ];
    await el.updateComplete;
    await el.start();
    expect(transport.callsOf('connect')[0]!.request.session.tools!.map((t) => t.name)).to.deep.equal(['getWeather']);
    transport.respond({ toolCalls: [{ name: 'getWeather', arguments: { city: 'Paris' }, callId: 'c1' }] });
    await flush();
    const call = events.find((e) => e.type === 'charivo-tool-call')!;
    expect(call.detail).to.deep.include({ name: 'getWeather', args: { city: 'Paris' }, callId: 'c1' });
    expect(transport.callsOf('sendToolResult')[0]!.output).to.deep.equal({ city: 'Paris', forecast: 'sunny' });
  });

  it('replacing the tools property unregisters removed tools', async () => {
    const { el } = await setup();
    const tool = (name: string) => ({ definition: { type: 'function' as const, name, parameters: { type: 'object', properties: {} } }, handler: () => ({}) });
    el.tools = [tool('a'), tool('b')];
    await el.updateComplete;
    el.tools = [tool('b')];
    await el.updateComplete;
    expect(el.manager.getRegisteredTools().map((t) => t.name)).to.deep.equal(['b']);
  });

  it('attribute changes while active update the live session', async () => {
    const { el, transport } = await setup();
    await el.start();
    el.setAttribute('voice', 'alloy');
    await el.updateComplete;
    await flush();
    expect(transport.callsOf('updateSession').at(-1)!.session.voice).to.equal('alloy');
  });

  it('push-to-talk turns detection off, and back on when removed', async () => {
    const { el, transport } = await setup(html`<charivo-realtime push-to-talk></charivo-realtime>`);
    await el.start();
    expect(transport.callsOf('connect')[0]!.request.session.turnDetection).to.equal(null);
    await el.startTalking();
    await el.stopTalking();
    expect(transport.callsOf('commitInputTurn')).to.have.length(1);
    el.pushToTalk = false;
    await el.updateComplete;
    await flush();
    expect(transport.callsOf('updateSession').at(-1)!.session.turnDetection).to.deep.equal({ type: 'server_vad' });
  });

  it('muted reaches the transport, also when set before the session starts', async () => {
    const { el, transport } = await setup();
    el.muted = true;
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(true);
    await el.start();
    expect(transport.muted).to.equal(true);
    el.muted = false;
    await el.updateComplete;
    expect(transport.muted).to.equal(false);
  });

  describe('wrong input gives charivo-error and the element stays usable', () => {
    const cases: Array<[string, (el: CharivoRealtime) => void, string]> = [
      ['tools not an array', (el) => ((el as any).tools = 'nope'), 'tools'],
      ['a malformed tool', (el) => ((el as any).tools = [{ definition: { type: 'function', name: 'bad name' }, handler: () => ({}) }]), 'tools'],
      ['a character without a name', (el) => ((el as any).character = { personality: 'x' }), 'character'],
      ['an out-of-range sessionConfig', (el) => (el.sessionConfig = { speed: 9 }), 'sessionConfig'],
      ['a logger without methods', (el) => ((el as any).logger = {}), 'logger'],
      ['a transport that is not one', (el) => ((el as any).transport = { connect() {} }), 'transport'],
      ['resultProjectors not functions', (el) => ((el as any).resultProjectors = [1]), 'resultProjectors'],
      ['an unknown adapter attribute', (el) => el.setAttribute('adapter', 'carrier-pigeon'), 'adapter'],
      ['a javascript: endpoint', (el) => el.setAttribute('endpoint', 'javascript:alert(1)'), 'endpoint'],
      ['a credentials value fetch does not know', (el) => el.setAttribute('credentials', 'always'), 'credentials'],
    ];
    for (const [label, act, source] of cases) {
      it(label, async () => {
        const { el, transport, errors } = await setup();
        act(el);
        await el.updateComplete;
        expect(errors.map((e) => e.detail.source)).to.include(source);
        const detail = errors.find((e) => e.detail.source === source)!.detail;
        expect(detail.code).to.match(/^invalid_/);
        expect(detail.message).to.be.a('string').and.not.empty;
        await el.start();
        await el.send('still works');
        expect(transport.callsOf('sendText').at(-1)!.text).to.equal('still works');
      });
    }
  });

  it('a session failure arrives as charivo-error with the manager code', async () => {
    const { el, transport, errors } = await setup();
    transport.failNext('connect', new Error('route said 502'));
    await el.start().catch(() => {});
    expect(errors[0]!.detail).to.include({ code: 'start_failed', source: 'session' });
    expect(errors[0]!.detail.message).to.contain('route said 502');
  });

  it('provides the session through context to descendants', async () => {
    const { el, transport } = await setup(html`<charivo-realtime><charivo-transcript></charivo-transcript></charivo-realtime>`);
    await el.start();
    transport.respond({ text: 'Hello from the model' });
    const transcript = el.querySelector('charivo-transcript')!;
    await transcript.updateComplete;
    expect(transcript.shadowRoot!.textContent).to.contain('Hello from the model');
  });

  it('a sibling binds with for="id" and follows the levels', async () => {
    const wrapper = await fixture(html`<div><charivo-realtime id="s1"></charivo-realtime><charivo-mic-meter for="s1"></charivo-mic-meter></div>`);
    const el = wrapper.querySelector('charivo-realtime')!;
    const transport = new FakeRealtimeTransport();
    el.transport = transport;
    await el.updateComplete;
    await el.start();
    transport.levels.input.set(0.5);
    await frames();
    const meter = wrapper.querySelector('charivo-mic-meter')!;
    await meter.updateComplete;
    const role = meter.shadowRoot!.querySelector('[role="meter"]')!;
    expect(Number(role.getAttribute('aria-valuenow'))).to.be.greaterThan(0);
  });

  it('exposes a stable session handle whose subscribers hear state changes', async () => {
    const { el } = await setup();
    const handle: CharivoSession = el.session;
    let calls = 0;
    const off = handle.subscribe(() => calls++);
    await el.start();
    expect(handle.state.session.status).to.equal('active');
    expect(calls).to.be.greaterThan(0);
    off();
    expect(el.session).to.equal(handle);
  });

  it('removing the element from the page stops the session, moving it does not', async () => {
    const { el, transport } = await setup();
    await el.start();
    const parent = el.parentElement!;
    parent.append(el); // a move: disconnect + connect in one task
    await flush();
    expect(el.state.session.status).to.equal('active');
    el.remove();
    await flush();
    expect(el.state.session.status).to.equal('stopped');
    expect(transport.connected).to.equal(false);
  });

  it('each assistant delta dispatches exactly one DOM event (issue 11, item 13)', async () => {
    const { el, transport } = await setup();
    await el.start();
    transport.emit('assistant:start', { responseId: 'r1' });
    const seen: string[] = [];
    const original = el.dispatchEvent.bind(el);
    el.dispatchEvent = (event: Event) => {
      seen.push(event.type);
      return original(event);
    };
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'lo' });
    expect(seen).to.deep.equal(['charivo-assistant-delta', 'charivo-assistant-delta']);
  });

  it('streamed deltas re-render no consumer, while a delta listener reads the state with that delta in it', async () => {
    const { el, transport } = await setup(html`<charivo-realtime>
      <charivo-avatar></charivo-avatar><charivo-controls></charivo-controls><charivo-mic-meter></charivo-mic-meter><charivo-transcript></charivo-transcript>
    </charivo-realtime>`);
    await el.start();
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Once' });
    const consumers = [...el.children] as Array<HTMLElement & { requestUpdate(): void; updateComplete: Promise<boolean> }>;
    await Promise.all(consumers.map((c) => c.updateComplete));
    await frames();
    const updates = new Map<string, number>();
    for (const consumer of consumers) {
      const original = consumer.requestUpdate.bind(consumer);
      consumer.requestUpdate = (...args: unknown[]) => {
        updates.set(consumer.localName, (updates.get(consumer.localName) ?? 0) + 1);
        return (original as (...a: unknown[]) => void)(...args);
      };
    }
    const read: string[] = [];
    el.addEventListener('charivo-assistant-delta', (e) => {
      const detail = (e as CustomEvent<{ text: string }>).detail;
      read.push(`${detail.text}|${el.state.response.text}|${el.session.state.response.text}`);
    });
    for (const word of [' upon', ' a', ' time']) transport.emit('assistant:delta', { responseId: 'r1', delta: word });
    await Promise.all(consumers.map((c) => c.updateComplete));
    await frames();
    expect(Object.fromEntries(updates), 'Lit updates requested during the deltas').to.deep.equal({});
    expect(read).to.deep.equal(['Once upon|Once upon|Once upon', 'Once upon a|Once upon a|Once upon a', 'Once upon a time|Once upon a time|Once upon a time']);
    const text = el.querySelector('charivo-transcript')!.shadowRoot!.querySelector('[part~="assistant"] [part="text"]')!;
    expect(text.textContent).to.equal('Once upon a time');
    // A change the controls show (the reply ends) does reach them.
    transport.emit('assistant:done', { responseId: 'r1', text: 'Once upon a time', status: 'completed' });
    expect(updates.get('charivo-controls') ?? 0).to.be.greaterThan(0);
  });

  describe('adapters registered by the page (issue 11, item 13)', () => {
    it('a globally registered adapter is accepted by the adapter attribute and used at start', async () => {
      const transport = new FakeRealtimeTransport();
      registerRealtimeAdapter(fakeAdapter('page-loopback', transport));
      try {
        const el = (await fixture(html`<charivo-realtime adapter="page-loopback"></charivo-realtime>`)) as CharivoRealtime;
        const errors: CustomEvent[] = [];
        el.addEventListener('charivo-error', (e) => errors.push(e as CustomEvent));
        await el.updateComplete;
        expect(el.adapter).to.equal('page-loopback');
        await el.start();
        expect(transport.callsOf('connect')).to.have.length(1);
        expect(errors).to.deep.equal([]);
        await el.stop();
      } finally {
        unregisterRealtimeAdapter('page-loopback');
      }
    });

    it('an element-level adapters property works for that element only', async () => {
      const transport = new FakeRealtimeTransport();
      const wrapper = await fixture(html`<div><charivo-realtime id="a"></charivo-realtime><charivo-realtime id="b"></charivo-realtime></div>`);
      const [a, b] = [...wrapper.querySelectorAll('charivo-realtime')] as CharivoRealtime[];
      const errors: string[] = [];
      wrapper.addEventListener('charivo-error', (e) => errors.push(`${(e.target as Element).id}:${(e as CustomEvent).detail.source}`));
      a!.adapters = [fakeAdapter('mine', transport)];
      a!.adapter = 'mine';
      b!.adapter = 'mine';
      await Promise.all([a!.updateComplete, b!.updateComplete]);
      expect(a!.adapter).to.equal('mine');
      expect(b!.adapter).to.equal('openai-agents-webrtc');
      expect(errors).to.deep.equal(['b:adapter']);
      await a!.start();
      expect(transport.callsOf('connect')).to.have.length(1);
      await a!.stop();
    });

    it('an adapter registered after the attribute named it is picked up', async () => {
      const transport = new FakeRealtimeTransport();
      const el = (await fixture(html`<charivo-realtime adapter="late-comer"></charivo-realtime>`)) as CharivoRealtime;
      await el.updateComplete;
      expect(el.adapter).to.equal('openai-agents-webrtc');
      registerRealtimeAdapter(fakeAdapter('late-comer', transport));
      try {
        await el.updateComplete;
        expect(el.adapter).to.equal('late-comer');
        await el.start();
        expect(transport.callsOf('connect')).to.have.length(1);
        await el.stop();
      } finally {
        unregisterRealtimeAdapter('late-comer');
      }
    });

    it('a malformed registration is refused with a code', () => {
      for (const entry of [null, { name: '', transport: 'websocket', load: () => {} }, { name: 'x', transport: 'carrier', load: () => {} }, { name: 'x', transport: 'webrtc' }]) {
        let error: any;
        try {
          registerRealtimeAdapter(entry as never);
        } catch (caught) {
          error = caught;
        }
        expect(error?.code, JSON.stringify(entry)).to.equal('invalid_argument');
      }
    });
  });

  it('defining twice does not throw', async () => {
    // A second evaluation of the module, as a second copy of the bundle on the page would do.
    const again = './define.ts?again';
    await import(/* @vite-ignore */ again);
    expect(customElements.get('charivo-realtime')).to.equal(CharivoRealtime);
  });
});
