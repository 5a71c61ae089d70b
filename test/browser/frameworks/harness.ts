/**
 * What the Vue, Svelte and React tests share: the tags (defined once, as an app would), the page's tool, one
 * tool call run on a FakeRealtimeTransport, and the assertions every framework must pass.
 */
import { expect, oneEvent } from '@open-wc/testing';
import '../../../src/elements/index.js';
import type { CharivoAvatar, CharivoEventMap, CharivoRealtime, CharivoTranscript } from '../../../src/elements/index.js';
import type { RealtimeToolRegistration } from '../../../src/manager/index.js';
import { FakeRealtimeTransport } from '../../../src/testing/index.js';

/** What the framework's own handlers saw. */
export interface Seen {
  toolCalls: Array<CharivoEventMap['charivo-tool-call']>;
  childEvents: Event[];
  /** Arguments the page's tool handler ran with. */
  handled: string[];
}

export function createSeen(): Seen {
  return { toolCalls: [], childEvents: [], handled: [] };
}

/** The page's tool: its result must reach the model (the transport). */
export function weatherTools(seen: Seen): RealtimeToolRegistration[] {
  return [
    {
      definition: {
        type: 'function',
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      handler: async ({ city }: { city: string }) => {
        seen.handled.push(city);
        return { city, forecast: 'sunny' };
      },
    },
  ];
}

/** Handlers a framework binds: they only record. */
export function handlers(seen: Seen) {
  return {
    onToolCall: (event: Event) => void seen.toolCalls.push(event as CharivoEventMap['charivo-tool-call']),
    onChildEvent: (event: Event) => void seen.childEvents.push(event),
  };
}

/** Checks that the framework set rich data as properties, not attributes. */
export function expectProperties(el: CharivoRealtime, tools: RealtimeToolRegistration[]): void {
  expect(el.tools, 'tools set as a property, same array').to.equal(tools);
  expect(el.hasAttribute('tools'), 'no tools attribute').to.equal(false);
  expect(el.pushToTalk, 'pushToTalk bound as a property').to.equal(false);
}

/** A charivo-* event of a child (the avatar's) reached the handler bound on <charivo-realtime>. */
export async function expectChildEvent(el: CharivoRealtime, seen: Seen): Promise<void> {
  const avatar = el.querySelector<CharivoAvatar>('charivo-avatar')!;
  if (seen.childEvents.length === 0) await oneEvent(el, 'charivo-avatar-ready');
  const [event] = seen.childEvents;
  expect(event?.type).to.equal('charivo-avatar-ready');
  expect(event?.target).to.equal(avatar);
  expect(event?.bubbles && event.composed, 'bubbles and composed').to.equal(true);
}

/** Starts a session on a fake transport (set through the framework's ref) and has the model call the tool. */
export async function runToolCall(el: CharivoRealtime): Promise<FakeRealtimeTransport> {
  const transport = new FakeRealtimeTransport();
  el.transport = transport;
  await el.start();
  const result = oneEvent(el, 'charivo-tool-result');
  transport.respond({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Lyon' }, callId: 'call_lyon' }] });
  await result;
  return transport;
}

/** The framework handler saw the call, the page's tool ran, its result went back, the child transcript shows it. */
export function expectToolRoundTrip(el: CharivoRealtime, transport: FakeRealtimeTransport, seen: Seen): void {
  expect(seen.toolCalls).to.have.length(1);
  expect(seen.toolCalls[0]!.type).to.equal('charivo-tool-call');
  expect(seen.toolCalls[0]!.detail).to.deep.include({ callId: 'call_lyon', name: 'get_weather', args: { city: 'Lyon' } });
  expect(seen.handled).to.deep.equal(['Lyon']);
  expect(transport.callsOf('sendToolResult')).to.deep.equal([
    { method: 'sendToolResult', callId: 'call_lyon', output: { city: 'Lyon', forecast: 'sunny' }, requestResponse: true },
  ]);
  const transcript = el.querySelector<CharivoTranscript>('charivo-transcript')!;
  const toolTurns = transcript.turns.filter((turn) => turn.kind === 'tool');
  expect(toolTurns.map((turn) => [turn.name, turn.status])).to.deep.equal([['get_weather', 'succeeded']]);
}

/** Waits for the session to end after `remove` (the framework unmounting), and checks it stopped. */
export async function expectStopsWhenRemoved(el: CharivoRealtime, transport: FakeRealtimeTransport, remove: () => void): Promise<void> {
  const ended = oneEvent(el, 'charivo-session-end');
  remove();
  expect(el.isConnected, 'removed from the page').to.equal(false);
  const event = await ended;
  expect(event.detail.reason).to.equal('stopped');
  expect(el.state.session.status).to.equal('stopped');
  expect(transport.callsOf('disconnect')).to.have.length(1);
  expect(transport.connected).to.equal(false);
}
