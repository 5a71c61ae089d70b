// Fault suite: wrong values on every property and attribute of every element. Each is one
// `charivo-error` (bubbling and composed: it is caught on the document from inside a shadow root) with
// code `invalid_attribute` or `invalid_property`, `source` the attribute or property name and a clear
// message; the element keeps its previous valid value and keeps working afterwards (the meter still
// moves, the transcript still streams, the controls still act, the avatar still speaks).
import { expect, fixture, html } from '@open-wc/testing';
import type { AvatarCatalog } from '../../../src/avatar/catalog.js';
import type { AvatarRenderer } from '../../../src/avatar/renderer.js';
import '../../../src/elements/index.js';
import type { CharivoAvatar } from '../../../src/elements/avatar/avatar.js';
import type { CharivoControls } from '../../../src/elements/controls/controls.js';
import type { CharivoMicMeter } from '../../../src/elements/mic-meter/mic-meter.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/realtime.js';
import type { CharivoErrorDetail } from '../../../src/elements/realtime/realtime-events.js';
import type { CharivoTranscript } from '../../../src/elements/transcript/transcript.js';
import { FakeRealtimeTransport } from '../../../src/testing/index.js';
import { next } from '../../helpers/manager.js';
import { createTestSession, provideSession, type TestSession } from '../../helpers/session.js';

const frames = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

/** Every `charivo-error` that reaches the document, with the element it came from. */
const errors: Array<{ origin: EventTarget | undefined; detail: CharivoErrorDetail; bubbles: boolean; composed: boolean }> = [];
const onError = (event: Event) => {
  const { detail, bubbles, composed } = event as CustomEvent<CharivoErrorDetail>;
  errors.push({ origin: event.composedPath()[0], detail, bubbles, composed });
};
before(() => document.addEventListener('charivo-error', onError));
after(() => document.removeEventListener('charivo-error', onError));
beforeEach(() => (errors.length = 0));

/** Mounts `markup` inside the shadow root of a host that provides a test session through context. */
async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(markup: string, session?: TestSession) {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  if (session) provideSession(host, session);
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = markup;
  const el = root.firstElementChild as T;
  await el.updateComplete;
  return { el, root };
}

type Wrong<T> = [what: string, act: (el: T) => void, code: 'invalid_attribute' | 'invalid_property', source: string, property: string];

/** Applies each wrong value and checks: one error, from the element, with the previous value kept. */
async function rejectsEach<T extends HTMLElement & { updateComplete: Promise<boolean> }>(el: T, cases: Array<Wrong<T>>): Promise<void> {
  const record = el as unknown as Record<string, unknown>;
  for (const [what, act, code, source, property] of cases) {
    errors.length = 0;
    const before = record[property];
    act(el);
    await el.updateComplete;
    expect(errors.length, `${what}: one charivo-error (${JSON.stringify(errors.map((e) => e.detail))})`).to.equal(1);
    const [error] = errors;
    expect(error!.origin, `${what}: dispatched by the element`).to.equal(el);
    expect(error!.bubbles && error!.composed, `${what}: bubbles and composed`).to.equal(true);
    expect(error!.detail.code, `${what}: code`).to.equal(code);
    expect(error!.detail.source, `${what}: source`).to.equal(source);
    expect(error!.detail.message, `${what}: message`).to.be.a('string').with.length.greaterThan(10);
    expect(Object.is(record[property], before), `${what}: ${property} kept ${String(before)}, got ${String(record[property])}`).to.equal(true);
  }
  errors.length = 0;
}

/** Sets each value (null, undefined, a removed attribute) and checks it quietly restored the default. */
async function resetsEach<T extends HTMLElement & { updateComplete: Promise<boolean> }>(el: T, cases: Array<[what: string, act: (el: T) => void, property: string, initial: unknown]>) {
  const record = el as unknown as Record<string, unknown>;
  for (const [what, act, property, initial] of cases) {
    act(el);
    await el.updateComplete;
    expect(errors.map((e) => e.detail), `${what}: no error`).to.deep.equal([]);
    expect(record[property], `${what}: back to the default`).to.deep.equal(initial);
  }
}

const setAttr = (name: string, value: string) => (el: Element) => el.setAttribute(name, value);
const setProp = (name: string, value: unknown) => (el: object) => void ((el as Record<string, unknown>)[name] = value);

describe('faults: wrong input to <charivo-mic-meter>', () => {
  let session: TestSession;
  beforeEach(() => (session = createTestSession()));
  afterEach(() => session.manager.dispose());

  it('every wrong attribute and property value is one charivo-error, the value is kept, and the meter still moves', async () => {
    const { el } = await mount<CharivoMicMeter>('<charivo-mic-meter bars="8" label="Mic"></charivo-mic-meter>', session);
    await rejectsEach(el, [
      ['label attribute empty', setAttr('label', '  '), 'invalid_attribute', 'label', 'label'],
      ['label a number', setProp('label', 42), 'invalid_property', 'label', 'label'],
      ['label an object', setProp('label', { text: 'Mic' }), 'invalid_property', 'label', 'label'],
      ['orientation attribute unknown', setAttr('orientation', 'diagonal'), 'invalid_attribute', 'orientation', 'orientation'],
      ['orientation wrong case', setProp('orientation', 'Vertical'), 'invalid_property', 'orientation', 'orientation'],
      ['orientation a boolean', setProp('orientation', true), 'invalid_property', 'orientation', 'orientation'],
      ['bars attribute not a number', setAttr('bars', 'many'), 'invalid_attribute', 'bars', 'bars'],
      ['bars attribute 0', setAttr('bars', '0'), 'invalid_attribute', 'bars', 'bars'],
      ['bars attribute 51', setAttr('bars', '51'), 'invalid_attribute', 'bars', 'bars'],
      ['bars attribute fractional', setAttr('bars', '2.5'), 'invalid_attribute', 'bars', 'bars'],
      ['bars a string', setProp('bars', '5'), 'invalid_property', 'bars', 'bars'],
      ['bars NaN', setProp('bars', Number.NaN), 'invalid_property', 'bars', 'bars'],
      ['bars Infinity', setProp('bars', Number.POSITIVE_INFINITY), 'invalid_property', 'bars', 'bars'],
      ['bars negative', setProp('bars', -3), 'invalid_property', 'bars', 'bars'],
      ['for a number', setProp('for', 7), 'invalid_property', 'for', 'for'],
      ['for an element', setProp('for', document.body), 'invalid_property', 'for', 'for'],
    ]);
    expect(el.getAttribute('orientation'), 'the reflected attribute is restored').to.equal('horizontal');
    await resetsEach(el, [
      ['label removed', (e) => e.removeAttribute('label'), 'label', 'Microphone level'],
      ['bars removed', (e) => e.removeAttribute('bars'), 'bars', 10],
      ['orientation null', setProp('orientation', null), 'orientation', 'horizontal'],
    ]);
    el.bars = 8;
    el.label = 'Mic';
    await el.updateComplete;

    await session.start();
    session.transport.levels.input.set(0.5);
    await frames();
    await el.updateComplete;
    const meter = el.shadowRoot!.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-label')).to.equal('Mic');
    expect(meter.getAttribute('aria-valuenow')).to.equal('50');
    expect(el.shadowRoot!.querySelectorAll('[part~="bar"]')).to.have.length(8);
    expect(el.shadowRoot!.querySelectorAll('[part~="lit"]')).to.have.length(4);
    session.transport.levels.input.set(1);
    await frames();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="lit"]')).to.have.length(8);
    session.transport.levels.input.set(0);
  });
});

describe('faults: wrong input to <charivo-transcript>', () => {
  let session: TestSession;
  beforeEach(() => (session = createTestSession()));
  afterEach(() => session.manager.dispose());

  it('every wrong attribute and property value is one charivo-error, the value is kept, and the transcript still streams', async () => {
    const { el } = await mount<CharivoTranscript>('<charivo-transcript max-turns="3" user-label="Me"></charivo-transcript>', session);
    await rejectsEach(el, [
      ['label attribute empty', setAttr('label', ''), 'invalid_attribute', 'label', 'label'],
      ['label an array', setProp('label', ['Chat']), 'invalid_property', 'label', 'label'],
      ['max-turns not a number', setAttr('max-turns', 'lots'), 'invalid_attribute', 'max-turns', 'maxTurns'],
      ['max-turns 0', setAttr('max-turns', '0'), 'invalid_attribute', 'max-turns', 'maxTurns'],
      ['max-turns negative', setAttr('max-turns', '-5'), 'invalid_attribute', 'max-turns', 'maxTurns'],
      ['max-turns fractional', setAttr('max-turns', '1.5'), 'invalid_attribute', 'max-turns', 'maxTurns'],
      ['max-turns huge', setAttr('max-turns', '1e12'), 'invalid_attribute', 'max-turns', 'maxTurns'],
      ['maxTurns a string', setProp('maxTurns', '10'), 'invalid_property', 'maxTurns', 'maxTurns'],
      ['maxTurns Infinity', setProp('maxTurns', Number.POSITIVE_INFINITY), 'invalid_property', 'maxTurns', 'maxTurns'],
      ['userLabel a number', setProp('userLabel', 1), 'invalid_property', 'userLabel', 'userLabel'],
      ['userLabel an object', setProp('userLabel', {}), 'invalid_property', 'userLabel', 'userLabel'],
      ['assistantLabel a boolean', setProp('assistantLabel', false), 'invalid_property', 'assistantLabel', 'assistantLabel'],
      ['assistantLabel a function', setProp('assistantLabel', () => 'Bot'), 'invalid_property', 'assistantLabel', 'assistantLabel'],
      ['for an object', setProp('for', { id: 'x' }), 'invalid_property', 'for', 'for'],
    ]);
    await resetsEach(el, [
      ['assistant-label removed', (e) => e.removeAttribute('assistant-label'), 'assistantLabel', 'Assistant'],
      ['label undefined', setProp('label', undefined), 'label', 'Conversation'],
    ]);
    expect(el.maxTurns).to.equal(3);
    expect(el.userLabel).to.equal('Me');

    await session.start();
    for (const text of ['one', 'two']) {
      await session.send(text);
      session.transport.respond({ text: `reply to ${text}` });
    }
    await el.updateComplete;
    expect(el.turns.map((t) => (t.kind === 'tool' ? t.name : t.text))).to.deep.equal(['reply to one', 'two', 'reply to two'], 'max-turns 3 still applies');
    await session.send('three');
    session.transport.emit('assistant:start', { responseId: 'live' });
    session.transport.emit('assistant:delta', { responseId: 'live', delta: 'stream' });
    await el.updateComplete;
    const partial = el.shadowRoot!.querySelector('[part~="partial"]');
    expect(partial?.textContent).to.contain('stream');
    session.transport.emit('assistant:delta', { responseId: 'live', delta: 'ing on' });
    session.transport.emit('assistant:done', { responseId: 'live', text: 'streaming on', status: 'completed' });
    await el.updateComplete;
    expect(el.turns.at(-1)).to.include({ kind: 'assistant', text: 'streaming on' });
    expect(el.shadowRoot!.textContent).to.contain('Me');
  });
});

describe('faults: wrong input to <charivo-controls>', () => {
  let session: TestSession;
  beforeEach(() => (session = createTestSession()));
  afterEach(() => session.manager.dispose());

  it('every wrong attribute and property value is one charivo-error, the value is kept, and the controls still act', async () => {
    const { el } = await mount<CharivoControls>('<charivo-controls hide="mute" talk-key="KeyT" placeholder="Say it"></charivo-controls>', session);
    await rejectsEach(el, [
      ['hide with an unknown name', setAttr('hide', 'start bogus'), 'invalid_attribute', 'hide', 'hide'],
      ['hide with a wrong case', setAttr('hide', 'Start'), 'invalid_attribute', 'hide', 'hide'],
      ['hide comma separated', setAttr('hide', 'start,mute'), 'invalid_attribute', 'hide', 'hide'],
      ['hide an array', setProp('hide', ['start']), 'invalid_property', 'hide', 'hide'],
      ['hide a number', setProp('hide', 3), 'invalid_property', 'hide', 'hide'],
      ['talk-key not a key', setAttr('talk-key', 'Banana'), 'invalid_attribute', 'talk-key', 'talkKey'],
      ['talk-key a chord', setAttr('talk-key', 'Ctrl+T'), 'invalid_attribute', 'talk-key', 'talkKey'],
      ['talk-key Control', setAttr('talk-key', 'Control'), 'invalid_attribute', 'talk-key', 'talkKey'],
      ['talk-key a wrong-case code', setAttr('talk-key', 'keyt'), 'invalid_attribute', 'talk-key', 'talkKey'],
      ['talkKey a number', setProp('talkKey', 84), 'invalid_property', 'talkKey', 'talkKey'],
      ['talkKey an object', setProp('talkKey', { code: 'KeyT' }), 'invalid_property', 'talkKey', 'talkKey'],
      ['placeholder a number', setProp('placeholder', 0), 'invalid_property', 'placeholder', 'placeholder'],
      ['for a symbol', setProp('for', Symbol('x')), 'invalid_property', 'for', 'for'],
    ]);
    expect(el.hide).to.equal('mute');
    expect(el.talkKey).to.equal('KeyT');
    await resetsEach(el, [['hide null', setProp('hide', null), 'hide', '']]);
    el.hide = 'mute';
    await el.updateComplete;

    const part = (name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
    expect(part('mute'), 'hide="mute" still applies').to.equal(null);
    expect((part('input') as HTMLInputElement).placeholder).to.equal('Say it');
    const started = next(session.manager, 'realtime:session:start');
    part('start')!.click();
    await started;
    await el.updateComplete;
    expect(session.actions).to.include('start');
    expect(part('start')!.textContent).to.equal('Stop');
    const input = part('input') as HTMLInputElement;
    input.value = 'still here';
    part('form')!.dispatchEvent(new SubmitEvent('submit', { cancelable: true }));
    await el.updateComplete;
    expect(session.actions).to.include('send:still here');
    session.transport.respond({ text: 'ok' });

    session.setPushToTalk(true);
    await el.updateComplete;
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 't', code: 'KeyT', bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.talking, 'the previous talk-key still works').to.equal(true);
    window.dispatchEvent(new KeyboardEvent('keyup', { key: 't', code: 'KeyT', bubbles: true, cancelable: true }));
    expect(el.talking).to.equal(false);
    expect(session.actions.slice(-2)).to.deep.equal(['startTalking', 'stopTalking']);
  });

  it('valid talk keys are accepted: codes, key names in any case, single characters, none', async () => {
    const { el } = await mount<CharivoControls>('<charivo-controls></charivo-controls>', session);
    for (const key of ['Space', 'space', 'KeyT', 'Digit1', 'F2', 'Enter', 'arrowup', 'ShiftLeft', 't', 'é', '', null]) {
      el.talkKey = key;
      await el.updateComplete;
      expect(errors.map((e) => e.detail.message), String(key)).to.deep.equal([]);
      expect(el.talkKey).to.equal(key);
    }
  });
});

describe('faults: wrong values in the initial markup', () => {
  it('are reported once each on the first update, and the defaults are used', async () => {
    const session = createTestSession();
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, session);
    host.innerHTML = [
      '<charivo-mic-meter bars="0" orientation="up"></charivo-mic-meter>',
      '<charivo-transcript max-turns="none" label=""></charivo-transcript>',
      '<charivo-controls hide="everything" talk-key="Hyper"></charivo-controls>',
      '<charivo-avatar expression="grumpy"></charivo-avatar>',
      '<charivo-realtime adapter="smoke-signals"></charivo-realtime>',
    ].join('');
    const [meter, transcript, controls, avatar, realtime] = [...host.children] as Array<HTMLElement & { updateComplete: Promise<boolean> }>;
    await Promise.all([meter, transcript, controls, avatar, realtime].map((el) => el!.updateComplete));
    const seen = errors.map((e) => `${(e.origin as Element).localName} ${e.detail.code} ${e.detail.source}`).sort();
    expect(seen).to.deep.equal(
      [
        'charivo-avatar invalid_attribute expression',
        'charivo-controls invalid_attribute hide',
        'charivo-controls invalid_attribute talk-key',
        'charivo-mic-meter invalid_attribute bars',
        'charivo-mic-meter invalid_attribute orientation',
        'charivo-realtime invalid_attribute adapter',
        'charivo-transcript invalid_attribute label',
        'charivo-transcript invalid_attribute max-turns',
      ].sort(),
    );
    expect((meter as CharivoMicMeter).bars).to.equal(10);
    expect(meter!.getAttribute('orientation')).to.equal('horizontal');
    expect(meter!.shadowRoot!.querySelectorAll('[part~="bar"]')).to.have.length(10);
    expect((transcript as CharivoTranscript).maxTurns).to.equal(200);
    expect((transcript as CharivoTranscript).label).to.equal('Conversation');
    expect((controls as CharivoControls).hide).to.equal('');
    expect((controls as CharivoControls).talkKey).to.equal(null);
    expect(controls!.shadowRoot!.querySelector('[part~="start"]')).to.not.equal(null);
    expect((avatar as CharivoAvatar).expression).to.equal(undefined);
    expect((realtime as CharivoRealtime).adapter).to.equal('openai-agents-webrtc');
    await session.manager.dispose();
  });
});

/** A renderer that records every call (valid: it implements AvatarRenderer). */
function recordingRenderer(catalog: AvatarCatalog = { expressions: ['neutral', 'smile', 'sad'], motions: { nod: 1 } }) {
  const calls: string[] = [];
  const renderer: AvatarRenderer & { calls: string[] } = {
    calls,
    catalog,
    mount: () => void calls.push('mount'),
    setMouthOpen: (value) => void calls.push(`mouth:${value}`),
    setExpression: (id, intensity) => void calls.push(`expression:${id}:${intensity ?? 1}`),
    playMotion: (id) => void calls.push(`motion:${id}`),
    lookAt: (x, y) => void calls.push(`gaze:${x}:${y}`),
    dispose: () => void calls.push('dispose'),
  };
  return renderer;
}

describe('faults: wrong input to <charivo-avatar>', () => {
  let session: TestSession;
  beforeEach(() => (session = createTestSession()));
  afterEach(() => session.manager.dispose());

  it('every wrong attribute and property value is one charivo-error, the value is kept, and the avatar still speaks', async () => {
    const renderer = recordingRenderer();
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, session);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('charivo-avatar') as CharivoAvatar;
    el.renderer = renderer;
    el.setAttribute('expression', 'smile');
    el.setAttribute('label', 'Hiyori');
    root.append(el);
    await el.updateComplete;
    const { mount: _mount, ...withoutMount } = recordingRenderer();
    await rejectsEach(el, [
      ['expression not in the catalog', setAttr('expression', 'furious'), 'invalid_attribute', 'expression', 'expression'],
      ['expression empty', setAttr('expression', ''), 'invalid_attribute', 'expression', 'expression'],
      ['expression a number', setProp('expression', 3), 'invalid_property', 'expression', 'expression'],
      ['expression an object', setProp('expression', { id: 'sad' }), 'invalid_property', 'expression', 'expression'],
      ['avatarTools a string', setProp('avatarTools', 'yes'), 'invalid_property', 'avatarTools', 'avatarTools'],
      ['avatarTools a number', setProp('avatarTools', 1), 'invalid_property', 'avatarTools', 'avatarTools'],
      ['label attribute blank', setAttr('label', ' '), 'invalid_attribute', 'label', 'label'],
      ['label a number', setProp('label', 5), 'invalid_property', 'label', 'label'],
      ['htmlFor a number', setProp('htmlFor', 12), 'invalid_property', 'htmlFor', 'htmlFor'],
      ['renderer a string', setProp('renderer', 'svg'), 'invalid_property', 'renderer', 'renderer'],
      ['renderer an empty object', setProp('renderer', {}), 'invalid_property', 'renderer', 'renderer'],
      ['renderer without mount', setProp('renderer', withoutMount), 'invalid_property', 'renderer', 'renderer'],
      ['renderer with a bad catalog', setProp('renderer', { ...recordingRenderer(), catalog: { expressions: 'smile', motions: [] } }), 'invalid_property', 'renderer', 'renderer'],
      ['renderer with bad motions', setProp('renderer', { ...recordingRenderer(), catalog: { expressions: [], motions: 'nod' } }), 'invalid_property', 'renderer', 'renderer'],
      ['renderer with a non-function blink', setProp('renderer', { ...recordingRenderer(), blink: true }), 'invalid_property', 'renderer', 'renderer'],
    ]);
    expect(el.renderer).to.equal(renderer);
    expect(el.expression).to.equal('smile');
    expect(el.getAttribute('expression'), 'the reflected attribute is restored').to.equal('smile');
    expect(el.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Hiyori (smile)');

    renderer.calls.length = 0;
    session.transport.levels.output.set(0.5);
    await frames();
    expect(renderer.calls).to.include('mouth:0.5');
    el.setExpression('SAD');
    expect(renderer.calls).to.include('expression:sad:1');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Hiyori (sad)');
    session.transport.levels.output.set(0);

    // null brings the built-in face back (no error); the expression is matched against its catalog.
    el.renderer = null as unknown as AvatarRenderer;
    await el.updateComplete;
    expect(errors).to.deep.equal([]);
    expect(el.renderer).to.not.equal(renderer);
    expect(renderer.calls).to.include('dispose');
    el.setAttribute('expression', 'Thinking');
    await el.updateComplete;
    expect(errors).to.deep.equal([]);
    expect(el.expression).to.equal('thinking');
  });
});

describe('faults: wrong input to <charivo-realtime>', () => {
  it('every wrong attribute and property value is one charivo-error, the value is kept, and the session still works', async () => {
    const { el } = await mount<CharivoRealtime>('<charivo-realtime endpoint="/api/realtime" adapter="openai-websocket"></charivo-realtime>');
    const transport = new FakeRealtimeTransport();
    el.transport = transport;
    await el.updateComplete;
    await rejectsEach(el, [
      ['endpoint javascript:', setAttr('endpoint', 'javascript:alert(1)'), 'invalid_attribute', 'endpoint', 'endpoint'],
      ['endpoint empty', setAttr('endpoint', ''), 'invalid_attribute', 'endpoint', 'endpoint'],
      ['endpoint a number', setProp('endpoint', 443), 'invalid_property', 'endpoint', 'endpoint'],
      ['adapter unknown', setAttr('adapter', 'carrier-pigeon'), 'invalid_attribute', 'adapter', 'adapter'],
      ['adapter an object', setProp('adapter', { name: 'openai-websocket' }), 'invalid_property', 'adapter', 'adapter'],
      ['fallback-adapter unknown', setAttr('fallback-adapter', 'smoke-signals'), 'invalid_attribute', 'fallback-adapter', 'fallbackAdapter'],
      ['fallbackAdapter a number', setProp('fallbackAdapter', 2), 'invalid_property', 'fallbackAdapter', 'fallbackAdapter'],
      ['microphone a string', setProp('microphone', 'default'), 'invalid_property', 'microphone', 'microphone'],
      ['microphone.stream not a MediaStream', setProp('microphone', { stream: { getAudioTracks: () => [] } }), 'invalid_property', 'microphone', 'microphone'],
      ['microphone.deviceId a number', setProp('microphone', { deviceId: 7 }), 'invalid_property', 'microphone', 'microphone'],
      ['model too long', setAttr('model', 'm'.repeat(200)), 'invalid_attribute', 'model', 'model'],
      ['model a number', setProp('model', 4), 'invalid_property', 'model', 'model'],
      ['voice an object', setProp('voice', {}), 'invalid_property', 'voice', 'voice'],
      ['instructions an array', setProp('instructions', ['be nice']), 'invalid_property', 'instructions', 'instructions'],
      ['muted a string', setProp('muted', 'yes'), 'invalid_property', 'muted', 'muted'],
      ['pushToTalk a number', setProp('pushToTalk', 1), 'invalid_property', 'pushToTalk', 'pushToTalk'],
      ['debug a string', setProp('debug', 'true'), 'invalid_property', 'debug', 'debug'],
      ['character without a name', setProp('character', { personality: 'x' }), 'invalid_property', 'character', 'character'],
      ['character a string', setProp('character', 'Hiyori'), 'invalid_property', 'character', 'character'],
      ['tools not an array', setProp('tools', 'all'), 'invalid_property', 'tools', 'tools'],
      ['sessionConfig out of range', setProp('sessionConfig', { speed: 9 }), 'invalid_property', 'sessionConfig', 'sessionConfig'],
      ['sessionConfig a string', setProp('sessionConfig', 'fast'), 'invalid_property', 'sessionConfig', 'sessionConfig'],
      ['resultProjectors not functions', setProp('resultProjectors', [1]), 'invalid_property', 'resultProjectors', 'resultProjectors'],
      ['logger without methods', setProp('logger', { log() {} }), 'invalid_property', 'logger', 'logger'],
      ['transport not one', setProp('transport', { connect() {} }), 'invalid_property', 'transport', 'transport'],
      ['sessionBootstrap not a function', setProp('sessionBootstrap', 'https://x'), 'invalid_property', 'sessionBootstrap', 'sessionBootstrap'],
    ]);
    expect(el.adapter).to.equal('openai-websocket');
    expect(el.transport).to.equal(transport);
    await resetsEach(el, [
      ['adapter removed', (e) => e.removeAttribute('adapter'), 'adapter', 'openai-agents-webrtc'],
      ['fallbackAdapter null', setProp('fallbackAdapter', null), 'fallbackAdapter', undefined],
      ['muted undefined', setProp('muted', undefined), 'muted', false],
    ]);
    await el.start();
    await el.send('still works');
    expect(transport.callsOf('sendText').at(-1)!.text).to.equal('still works');
    await el.stop();
  });
});
