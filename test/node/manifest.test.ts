// custom-elements.json: current (regenerated from the TSDoc, it equals the checked-in file, and so does
// src/frameworks/tags.ts generated from it), complete (every tag with its documented attributes, events,
// parts, CSS properties and slots), and the Angular example uses only what it documents.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

interface Described {
  name: string;
  description?: string;
}
interface Declaration extends Described {
  kind: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  attributes?: Array<Described & { fieldName?: string }>;
  members?: Array<Described & { kind: string; readonly?: boolean; static?: boolean; privacy?: string }>;
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: Array<Described & { default?: string }>;
  slots?: Described[];
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}
interface ManifestScript {
  MANIFEST_FILE: string;
  TAGS_FILE: string;
  analyze(cwd?: string): Promise<Manifest>;
  serializeManifest(manifest: Manifest): string;
  renderTags(manifest: Manifest): string;
}

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
// A computed specifier: the script is plain JavaScript without declarations, typed here by ManifestScript.
const script = (await import(new URL('scripts/manifest.mjs', root).href)) as ManifestScript;
const checkedIn = JSON.parse(read('custom-elements.json')) as Manifest;

function element(manifest: Manifest, tag: string): Declaration {
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement && d.tagName === tag);
  assert.ok(found, `${tag} is in custom-elements.json`);
  return found;
}
const names = (items: Described[] | undefined) => (items ?? []).map((item) => item.name);

describe('custom-elements.json', () => {
  test('is current: regenerating it from the TSDoc gives the checked-in file, and tags.ts from it too', async () => {
    const started = performance.now();
    const fresh = await script.analyze(fileURLToPath(root));
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 20, `the analyzer took ${seconds.toFixed(1)} s`);
    const stale = 'stale: run `node scripts/manifest.mjs` and commit the result';
    assert.equal(script.serializeManifest(fresh), read(script.MANIFEST_FILE), `${script.MANIFEST_FILE} is ${stale}`);
    assert.equal(script.renderTags(checkedIn), read(script.TAGS_FILE), `${script.TAGS_FILE} is ${stale}`);
  });

  test('declares exactly the six tags, each with a summary', () => {
    const tags = checkedIn.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
    assert.deepEqual(tags.map((d) => d.tagName).sort(), [
      'charivo-avatar',
      'charivo-controls',
      'charivo-device-picker',
      'charivo-metrics',
      'charivo-mic-meter',
      'charivo-realtime',
      'charivo-transcript',
    ]);
    for (const d of tags) assert.ok(d.summary, `${d.tagName} has a @summary`);
  });

  test('<charivo-realtime>: attributes, rich properties, every charivo-* event, part, CSS property, slot', () => {
    const el = element(checkedIn, 'charivo-realtime');
    assert.deepEqual(names(el.attributes), [
      // Reflected state, read-only, for CSS selectors (documented with @attr).
      'state',
      'connection',
      'speaking',
      'reconnecting',
      'microphone',
      'endpoint',
      'credentials',
      'adapter',
      'fallback-adapter',
      'model',
      'voice',
      'instructions',
      'muted',
      'push-to-talk',
      'debug',
      'no-wake-lock',
      'require-microphone',
      'rollover-after',
      'forget-devices',
      'devices-key',
    ]);
    const fields = (el.members ?? []).filter((m) => m.kind === 'field').map((m) => m.name);
    for (const property of ['tools', 'character', 'sessionConfig', 'resultProjectors', 'logger', 'transport', 'sessionBootstrap', 'microphone', 'prices', 'metrics', 'devices']) {
      assert.ok(fields.includes(property), `property ${property}`);
    }
    const methods = (el.members ?? []).filter((m) => m.kind === 'method').map((m) => m.name);
    assert.deepEqual(methods.sort(), [
      'answerDelegation',
      'interrupt',
      'preload',
      'prepareAudio',
      'registerTool',
      'retryMicrophone',
      'send',
      'sendImage',
      'start',
      'startTalking',
      'stop',
      'stopTalking',
      'unregisterTool',
      'updateSession',
    ]);
    for (const event of [
      'charivo-session-start',
      'charivo-session-end',
      'charivo-session-rollover',
      'charivo-state',
      'charivo-tool-call',
      'charivo-tool-result',
      'charivo-tool-error',
      'charivo-microphone',
      'charivo-metrics',
      'charivo-user-image',
      'charivo-delegation',
      'charivo-error',
    ]) {
      assert.ok(names(el.events).includes(event), `event ${event}`);
    }
    assert.ok(names(el.events).every((name) => name.startsWith('charivo-')), 'no event named after a variable');
    assert.deepEqual(names(el.cssParts), ['base']);
    assert.deepEqual(names(el.cssProperties), ['--charivo-realtime-display']);
    assert.deepEqual(names(el.slots), ['']);
  });

  test('<charivo-avatar>, <charivo-mic-meter>, <charivo-transcript>, <charivo-controls>: their documented API', () => {
    const avatar = element(checkedIn, 'charivo-avatar');
    assert.deepEqual(names(avatar.attributes), ['connection', 'avatar-tools', 'expression', 'label', 'for']);
    assert.deepEqual(names(avatar.events), ['charivo-avatar-ready', 'charivo-error']);
    assert.ok(names(avatar.cssParts).includes('mouth'));
    assert.ok(names(avatar.cssProperties).includes('--charivo-avatar-size'));

    const meter = element(checkedIn, 'charivo-mic-meter');
    assert.deepEqual(names(meter.attributes), ['state', 'label', 'for', 'orientation', 'bars']);
    assert.deepEqual(names(meter.cssParts), ['meter', 'icon', 'bars', 'bar']);
    assert.ok(names(meter.cssProperties).includes('--charivo-mic-meter-color'));

    const transcript = element(checkedIn, 'charivo-transcript');
    assert.deepEqual(names(transcript.attributes), ['label', 'for', 'max-turns', 'user-label', 'assistant-label', 'commentary-label']);
    assert.ok(names(transcript.cssParts).includes('phase'), 'the commentary marker (GPT-Live)');
    assert.deepEqual(names(transcript.slots), ['empty']);
    assert.ok(names(transcript.cssParts).includes('turn'));
    assert.ok(names(transcript.cssProperties).includes('--charivo-transcript-max-height'));

    const controls = element(checkedIn, 'charivo-controls');
    assert.deepEqual(names(controls.attributes), ['for', 'hide', 'talk-key', 'placeholder']);
    assert.deepEqual(names(controls.cssParts), ['base', 'button', 'form', 'label', 'input', 'hint', 'status', 'retry', 'mic-notice', 'mic-retry']);
    assert.ok(names(controls.cssProperties).includes('--charivo-controls-accent-color'));

    const metrics = element(checkedIn, 'charivo-metrics');
    assert.deepEqual(names(metrics.attributes), ['for', 'label']);
    assert.deepEqual(names(metrics.cssParts), ['base', 'item', 'label', 'value']);
    assert.deepEqual(names(metrics.events), ['charivo-error']);
    assert.ok(names(metrics.cssProperties).includes('--charivo-metrics-color'));
    const picker = element(checkedIn, 'charivo-device-picker');
    assert.deepEqual(names(picker.attributes), ['for', 'hide']);
    assert.deepEqual(names(picker.cssParts), ['base', 'field', 'label', 'select', 'hint', 'status']);
    assert.ok(names(picker.cssProperties).includes('--charivo-device-picker-focus-ring-color'));
  });

  test('documents everything it lists: events, parts, CSS properties, slots, attributes and properties', () => {
    const missing: string[] = [];
    for (const d of checkedIn.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement)) {
      const lists = {
        event: d.events,
        part: d.cssParts,
        'css property': d.cssProperties,
        slot: d.slots,
        attribute: d.attributes,
        member: d.members?.filter((m) => !m.static),
      };
      for (const [kind, items] of Object.entries(lists)) {
        for (const item of items ?? []) if (!item.description?.trim()) missing.push(`${d.tagName} ${kind} ${item.name || '(default)'}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('leaves out implementation details: #private, private and protected members', () => {
    for (const d of checkedIn.modules.flatMap((m) => m.declarations ?? [])) {
      for (const m of d.members ?? []) {
        assert.ok(!m.name.startsWith('#') && m.privacy !== 'private' && m.privacy !== 'protected', `${d.name}.${m.name}`);
      }
    }
  });
});

describe('examples/angular', () => {
  const GLOBAL_ATTRIBUTES = new Set(['id', 'class', 'style', 'slot', 'hidden', 'title', 'lang', 'dir', 'part', 'tabindex']);
  const source = read('examples/angular/charivo-voice.component.ts');
  const template = /template:\s*`([\s\S]*?)`/.exec(source)?.[1] ?? '';

  /** Every `<charivo-…>` start tag of the template with its attribute names, as written. */
  const usages = [...template.matchAll(/<(charivo-[a-z-]+)\b([^>]*)>/g)].map(([, tag, attrs]) => ({
    tag: tag!,
    bindings: [...attrs!.matchAll(/([[(#]?[\w.-]+[\])]?)(?:="[^"]*")?/g)].map(([, name]) => name!),
  }));

  test('uses each tag, binds [tools] as a property and listens with (charivo-tool-call)', () => {
    assert.deepEqual([...new Set(usages.map((u) => u.tag))].sort(), [
      'charivo-avatar',
      'charivo-controls',
      'charivo-device-picker',
      'charivo-mic-meter',
      'charivo-realtime',
      'charivo-transcript',
    ]);
    assert.match(source, /schemas:\s*\[CUSTOM_ELEMENTS_SCHEMA\]/);
    const realtime = usages.find((u) => u.tag === 'charivo-realtime')!;
    assert.ok(realtime.bindings.includes('[tools]'));
    assert.ok(realtime.bindings.includes('(charivo-tool-call)'));
  });

  test('binds only attributes, properties and events that custom-elements.json documents', () => {
    const unknown: string[] = [];
    for (const { tag, bindings } of usages) {
      const el = element(checkedIn, tag);
      const attributes = new Set(names(el.attributes));
      const properties = new Set((el.members ?? []).filter((m) => m.kind === 'field' && !m.readonly && !m.static).map((m) => m.name));
      const events = new Set(names(el.events));
      for (const binding of bindings) {
        if (binding.startsWith('#')) continue;
        const inner = binding.slice(1, -1);
        const known = binding.startsWith('[')
          ? inner.startsWith('attr.')
            ? attributes.has(inner.slice(5))
            : properties.has(inner) || inner.startsWith('class.') || inner.startsWith('style.')
          : binding.startsWith('(')
            ? events.has(inner)
            : attributes.has(binding) || GLOBAL_ATTRIBUTES.has(binding);
        if (!known) unknown.push(`<${tag} ${binding}>`);
      }
    }
    assert.deepEqual(unknown, []);
  });
});
