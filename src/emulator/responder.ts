import { planSpeech, segmentSamples, synthesizeSpeech } from './audio-synth.js';
import type { Conversation } from './conversation.js';
import { newId } from './ids.js';
import { encodeAudio, formatSampleRate, toAudioFormat, type AudioFormat } from './pcm.js';
import { planReply, type EmulatorScenario, type EmulatorTurn, type ReplyPlan } from './scenario.js';
import {
  functionToolNames,
  outputFormat,
  outputModalities,
  outputVoice,
} from './session-config.js';
import { imageTokens } from './image-info.js';
import { pause } from './timers.js';
import { isJsonObject, type ConversationItem, type JsonObject, type ServerEventInit, type SessionObject } from './types.js';

/** Audio played on a WebRTC track instead of being sent as events. */
export interface TrackAudioOutput {
  readonly sampleRate: number;
  /** Queues samples for playback, tagged with the response they belong to. */
  enqueue(responseId: string, samples: Int16Array): void;
  /** Drops queued audio without a `stopped` notice; returns the response that was audible. */
  clear(): string | undefined;
}

/** What the responder needs from its session. */
export interface ResponderHost {
  readonly config: SessionObject;
  readonly conversation: Conversation;
  readonly conversationId: string;
  readonly scenario: EmulatorScenario | undefined;
  /** Set for WebRTC sessions. */
  readonly trackAudio: TrackAudioOutput | undefined;
  emit(event: ServerEventInit): void;
  error(code: string, message: string, options?: { param?: string; eventId?: string; type?: string }): void;
  /** A response begins (before `response.created`). */
  responseStarted?(): void;
  /** After `response.done`: whether the response's audio is still playing on the WebRTC track. */
  responseEnded?(audioStillPlaying: boolean): void;
}

/** Why a response stopped early, as `status_details.reason` says it. */
export type CancelReason = 'client_cancelled' | 'turn_detected';

interface ActiveResponse {
  id: string;
  abort: AbortController;
  reason?: CancelReason;
  finished: Promise<void>;
  /** The host was told it ended. */
  ended?: boolean;
}

/** Pace of text-only deltas: fast, but still a stream a UI can watch arrive. */
const TEXT_DELTA_MS = 20;
/** How far audio generation runs ahead of real time. */
const GENERATION_LEAD_MS = 200;
const ARGUMENT_DELTA_MS = 10;
const ARGUMENT_CHUNK = 16;

/**
 * Runs responses: turns the scenario's plan into the event sequence OpenAI sends (output items,
 * content parts, deltas, audio) paced in real time, so a client can interrupt mid-sentence and a
 * drop fault can land mid-response. One response at a time, as the API enforces.
 */
export class Responder {
  #active: ActiveResponse | undefined;
  #lastResponseId: string | undefined;
  #stopped = false;

  constructor(private readonly host: ResponderHost) {}

  get activeId(): string | undefined {
    return this.#active?.id;
  }

  get lastResponseId(): string | undefined {
    return this.#lastResponseId;
  }

  /** Resolves when no response is running. */
  async idle(): Promise<void> {
    while (this.#active) await this.#active.finished;
  }

  /** Handles `response.create`: validates the parameters and starts a response. */
  create(params: unknown, clientEventId?: string): void {
    if (this.#stopped) return;
    if (this.#active) {
      this.host.error(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${this.#active.id}. Wait until the response is finished before creating a new one.`,
        { eventId: clientEventId },
      );
      return;
    }
    const checked = checkResponseParams(params);
    if ('error' in checked) {
      this.host.error('invalid_type', checked.error, { param: checked.param, eventId: clientEventId });
      return;
    }
    this.#start(checked.params);
  }

  /** Starts a response the server decided on (turn detection with `create_response`). */
  createAutomatic(): void {
    if (!this.#active && !this.#stopped) this.#start({});
  }

  /** Stops the running response; false when there is none. */
  cancel(reason: CancelReason): boolean {
    const active = this.#active;
    if (!active || active.abort.signal.aborted) return false;
    active.reason = reason;
    active.abort.abort();
    return true;
  }

  /** Stops everything without emitting (the session is closing). */
  shutdown(): void {
    this.#stopped = true;
    if (this.#active) this.#active.abort.abort();
  }

  #start(params: JsonObject): void {
    const id = newId('resp');
    const abort = new AbortController();
    let resolve!: () => void;
    const finished = new Promise<void>((r) => (resolve = r));
    const active: ActiveResponse = { id, abort, finished };
    this.#active = active;
    this.#lastResponseId = id;
    this.host.responseStarted?.();
    void this.#run(active, params)
      .catch((error: unknown) => {
        this.host.error('server_error', `The emulator failed while responding: ${String(error)}`, { type: 'server_error' });
      })
      .finally(() => {
        if (this.#active === active) this.#active = undefined;
        // A response that failed before response.done still ends.
        if (!active.ended) this.host.responseEnded?.(false);
        resolve();
      });
  }

  async #run(active: ActiveResponse, params: JsonObject): Promise<void> {
    const { host } = this;
    const session = host.config;
    const modalities = Array.isArray(params.output_modalities)
      ? (params.output_modalities as Array<'audio' | 'text'>)
      : outputModalities(session);
    const withAudio = modalities.includes('audio');
    const inConversation = params.conversation !== 'none';
    const format = withAudio ? responseFormat(params, session) : outputFormat(session);
    const source = Array.isArray(params.input) ? (params.input as ConversationItem[]) : host.conversation.items;
    const tools = Array.isArray(params.tools)
      ? (params.tools as unknown[]).flatMap((t) => (isJsonObject(t) && typeof t.name === 'string' ? [t.name] : []))
      : functionToolNames(session);
    const turn = describeTurn(source, host.conversation, tools, params.tool_choice ?? session.tool_choice);
    const plan = planReply(host.scenario, turn);
    const inputChars = contextChars(session, source);
    const inputAudioMs = source.reduce((sum, item) => sum + (host.conversation.meta(item.id).inputAudioMs ?? 0), 0);
    const inputImageTokens = source.reduce(
      (sum, item) => sum + (host.conversation.meta(item.id).images ?? []).reduce((tokens, image) => tokens + imageTokens(image), 0),
      0,
    );

    const response: JsonObject = {
      object: 'realtime.response',
      id: active.id,
      status: 'in_progress',
      output: [],
      ...(inConversation ? { conversation_id: host.conversationId } : {}),
      output_modalities: modalities,
      max_output_tokens: maxOutputTokens(params.max_output_tokens) ?? maxOutputTokens(session.max_output_tokens) ?? 'inf',
      audio: { output: { format, voice: outputVoice(session) } },
      ...(isJsonObject(params.metadata) ? { metadata: params.metadata } : {}),
    };
    host.emit({ type: 'response.created', response });

    const output: ConversationItem[] = [];
    const produced = { textChars: 0, audioMs: 0 };
    const signal = active.abort.signal;
    const steps = plan.delayMs > 0 ? await pause(plan.delayMs, signal) : true;
    if (steps) {
      const context: ItemContext = { active, responseId: active.id, inConversation, withAudio, format, produced };
      if (plan.say !== undefined) {
        output.push(await this.#message(context, plan.say, output.length));
      }
      for (const call of plan.toolCalls) {
        if (signal.aborted) break;
        output.push(await this.#functionCall(context, call, output.length));
      }
    }

    const cancelled = signal.aborted;
    host.emit({
      type: 'response.done',
      response: {
        ...response,
        status: cancelled ? 'cancelled' : 'completed',
        ...(cancelled ? { status_details: { type: 'cancelled', reason: active.reason ?? 'client_cancelled' } } : {}),
        output,
        usage: usage(inputChars, inputAudioMs, inputImageTokens, produced),
      },
    });
    // Cancelled audio was cleared from the track (or never played); finished audio plays on a while.
    active.ended = true;
    host.responseEnded?.(!cancelled && Boolean(host.trackAudio) && withAudio && produced.audioMs > 0);
  }

  async #message(context: ItemContext, text: string, outputIndex: number): Promise<ConversationItem> {
    const { host } = this;
    const { responseId, withAudio, format } = context;
    const signal = context.active.abort.signal;
    const item: ConversationItem = { id: newId('item'), object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    const previous = this.#addItem(context, item, outputIndex);
    const where = { response_id: responseId, item_id: item.id, output_index: outputIndex, content_index: 0 };
    host.emit({ type: 'response.content_part.added', ...where, part: withAudio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' } });

    const speech = planSpeech(text, host.scenario ?? {});
    const track = withAudio ? host.trackAudio : undefined;
    const rate = track ? track.sampleRate : formatSampleRate(format);
    const samples = withAudio ? synthesizeSpeech(speech, rate) : undefined;
    let spoken = '';
    let audioMs = 0;
    const startedAt = performance.now();
    for (const segment of speech.segments) {
      if (withAudio) {
        // Generate a little ahead of playback, as a real model does, so the track never starves.
        const wait = segment.startMs - GENERATION_LEAD_MS - (performance.now() - startedAt);
        if (wait > 0 && !(await pause(wait, signal))) break;
      }
      if (signal.aborted) break;
      host.emit({ type: withAudio ? 'response.output_audio_transcript.delta' : 'response.output_text.delta', ...where, delta: segment.text });
      spoken += segment.text;
      if (samples) {
        const chunk = segmentSamples(samples, speech, segment, rate);
        if (track) track.enqueue(responseId, chunk);
        else host.emit({ type: 'response.output_audio.delta', ...where, delta: encodeAudio(chunk, format) });
        audioMs += segment.durationMs;
      }
      // Keep the stored item current while it is generated: a truncate or cancel that arrives now
      // (even in the same tick as the cancel) must see the audio produced so far, as OpenAI's does.
      item.content = withAudio ? [{ type: 'output_audio', transcript: spoken }] : [{ type: 'output_text', text: spoken }];
      if (context.inConversation && withAudio) host.conversation.meta(item.id).audioMs = Math.round(audioMs);
      if (!withAudio && !(await pause(TEXT_DELTA_MS, signal))) break;
    }
    if (withAudio && !signal.aborted) {
      // The item is done when its audio has been generated: wait out the lead of the last segment.
      const wait = speech.durationMs - GENERATION_LEAD_MS - (performance.now() - startedAt);
      if (wait > 0) await pause(wait, signal);
    }
    const complete = spoken.length === text.length && !signal.aborted;
    const said = complete ? text : spoken;
    if (withAudio) {
      host.emit({ type: 'response.output_audio.done', ...where });
      host.emit({ type: 'response.output_audio_transcript.done', ...where, transcript: said });
      host.emit({ type: 'response.content_part.done', ...where, part: { type: 'audio', transcript: said } });
      item.content = [{ type: 'output_audio', transcript: said }];
    } else {
      host.emit({ type: 'response.output_text.done', ...where, text: said });
      host.emit({ type: 'response.content_part.done', ...where, part: { type: 'text', text: said } });
      item.content = [{ type: 'output_text', text: said }];
    }
    item.status = complete ? 'completed' : 'incomplete';
    context.produced.textChars += said.length;
    context.produced.audioMs += audioMs;
    if (context.inConversation) host.conversation.meta(item.id).audioMs = Math.round(audioMs);
    this.#finishItem(context, item, outputIndex, previous);
    return item;
  }

  async #functionCall(context: ItemContext, call: ReplyPlan['toolCalls'][number], outputIndex: number): Promise<ConversationItem> {
    const { host } = this;
    const signal = context.active.abort.signal;
    const callId = newId('call', 16);
    const item: ConversationItem = {
      id: newId('item'),
      object: 'realtime.item',
      type: 'function_call',
      status: 'in_progress',
      name: call.name,
      call_id: callId,
      arguments: '',
    };
    const previous = this.#addItem(context, item, outputIndex);
    const where = { response_id: context.responseId, item_id: item.id, output_index: outputIndex, call_id: callId };
    let sent = '';
    for (let at = 0; at < call.arguments.length; at += ARGUMENT_CHUNK) {
      if (signal.aborted) break;
      const delta = call.arguments.slice(at, at + ARGUMENT_CHUNK);
      host.emit({ type: 'response.function_call_arguments.delta', ...where, delta });
      sent += delta;
      if (!(await pause(ARGUMENT_DELTA_MS, signal))) break;
    }
    const complete = sent === call.arguments && !signal.aborted;
    if (complete) {
      host.emit({ type: 'response.function_call_arguments.done', ...where, name: call.name, arguments: call.arguments });
    }
    item.arguments = sent;
    item.status = complete ? 'completed' : 'incomplete';
    context.produced.textChars += sent.length;
    this.#finishItem(context, item, outputIndex, previous);
    return item;
  }

  /** Announces a new output item; returns the id of the item before it in the conversation. */
  #addItem(context: ItemContext, item: ConversationItem, outputIndex: number): string | null {
    const { host } = this;
    host.emit({ type: 'response.output_item.added', response_id: context.responseId, output_index: outputIndex, item });
    if (!context.inConversation) return null;
    const placed = host.conversation.insert(item);
    const previous = 'previousItemId' in placed ? placed.previousItemId : null;
    host.emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    return previous;
  }

  #finishItem(context: ItemContext, item: ConversationItem, outputIndex: number, previous: string | null): void {
    const { host } = this;
    host.emit({ type: 'response.output_item.done', response_id: context.responseId, output_index: outputIndex, item });
    if (context.inConversation) host.emit({ type: 'conversation.item.done', previous_item_id: previous, item });
  }
}

interface ItemContext {
  active: ActiveResponse;
  responseId: string;
  inConversation: boolean;
  withAudio: boolean;
  format: AudioFormat;
  produced: { textChars: number; audioMs: number };
}

function maxOutputTokens(value: unknown): number | 'inf' | undefined {
  return value === 'inf' || (typeof value === 'number' && Number.isInteger(value)) ? value : undefined;
}

function responseFormat(params: JsonObject, session: SessionObject): AudioFormat {
  const audio = isJsonObject(params.audio) && isJsonObject(params.audio.output) ? params.audio.output : undefined;
  return audio?.format !== undefined ? toAudioFormat(audio.format) : outputFormat(session);
}

/** Checks `response.create`'s `response` enough that running it cannot throw. */
function checkResponseParams(params: unknown): { params: JsonObject } | { error: string; param: string } {
  if (params === undefined || params === null) return { params: {} };
  if (!isJsonObject(params)) return { error: "Invalid type for 'response': expected an object.", param: 'response' };
  const modalities = params.output_modalities;
  if (modalities !== undefined && (!Array.isArray(modalities) || modalities.length === 0 || !modalities.every((m) => m === 'audio' || m === 'text'))) {
    return { error: "Invalid value for 'response.output_modalities': expected 'audio' or 'text'.", param: 'response.output_modalities' };
  }
  if (params.input !== undefined && (!Array.isArray(params.input) || !params.input.every((i) => isJsonObject(i) && typeof i.type === 'string'))) {
    return { error: "Invalid type for 'response.input': expected an array of items.", param: 'response.input' };
  }
  if (params.tools !== undefined && !Array.isArray(params.tools)) {
    return { error: "Invalid type for 'response.tools': expected an array.", param: 'response.tools' };
  }
  if (params.input !== undefined) {
    // Out-of-band input items get ids so turn analysis can treat them like conversation items.
    params = { ...params, input: (params.input as JsonObject[]).map((item) => ({ ...item, id: typeof item.id === 'string' ? item.id : newId('item') })) };
  }
  return { params: params as JsonObject };
}

/** Works out what the user last did, which is what the scripted assistant reacts to. */
function describeTurn(items: readonly ConversationItem[], conversation: Conversation, tools: string[], toolChoice: unknown): EmulatorTurn {
  const base = { tools, toolChoice, toolOutputs: [] as EmulatorTurn['toolOutputs'] };
  let index = items.length - 1;
  const outputs: EmulatorTurn['toolOutputs'] = [];
  while (index >= 0 && items[index]!.type === 'function_call_output') {
    const item = items[index]!;
    const callId = String(item.call_id ?? '');
    const call = conversation.functionCall(callId);
    outputs.unshift({ callId, name: typeof call?.name === 'string' ? call.name : '', output: String(item.output ?? '') });
    index -= 1;
  }
  const lastUser = (): ConversationItem | undefined => {
    for (let i = index; i >= 0; i -= 1) {
      const item = items[i]!;
      if (item.type === 'message' && item.role === 'user') return item;
    }
    return undefined;
  };
  if (outputs.length > 0) {
    const user = lastUser();
    return { ...base, kind: 'tool_output', text: user ? userText(user) : '', toolOutputs: outputs };
  }
  const last = items[index];
  if (!last || last.type !== 'message' || last.role !== 'user') return { ...base, kind: 'none', text: '' };
  const parts = Array.isArray(last.content) ? (last.content as JsonObject[]) : [];
  const images = conversation.meta(last.id).images;
  if (images?.length) {
    return { ...base, kind: 'text', text: userText(last), images: images.map(({ width, height, type }) => ({ width, height, type })) };
  }
  if (!parts.some((part) => part.type === 'input_text') && parts.some((part) => part.type === 'input_audio')) {
    const audioMs = conversation.meta(last.id).inputAudioMs ?? 0;
    return { ...base, kind: 'audio', text: userText(last) || standInTranscript(audioMs), audioMs };
  }
  return { ...base, kind: 'text', text: userText(last) };
}

function userText(item: ConversationItem): string {
  const parts = Array.isArray(item.content) ? (item.content as JsonObject[]) : [];
  return parts
    .map((part) => (typeof part.text === 'string' ? part.text : typeof part.transcript === 'string' ? part.transcript : ''))
    .filter(Boolean)
    .join(' ');
}

/** The transcript the emulator "hears": honest about being a stand-in, and about the duration. */
export function standInTranscript(audioMs: number): string {
  return `[emulator] heard ${(audioMs / 1000).toFixed(1)} s of speech`;
}

function contextChars(session: SessionObject, items: readonly ConversationItem[]): number {
  let chars = typeof session.instructions === 'string' ? session.instructions.length : 0;
  for (const item of items) {
    if (Array.isArray(item.content)) {
      for (const part of item.content as JsonObject[]) {
        for (const key of ['text', 'transcript'] as const) if (typeof part[key] === 'string') chars += (part[key] as string).length;
      }
    }
    for (const key of ['arguments', 'output', 'name'] as const) if (typeof item[key] === 'string') chars += (item[key] as string).length;
  }
  return chars;
}

/** Token counts derived from text length (about 4 characters a token), audio duration and image tiles. */
function usage(inputChars: number, inputAudioMs: number, inputImage: number, produced: { textChars: number; audioMs: number }): JsonObject {
  const inputText = Math.ceil(inputChars / 4);
  const inputAudio = Math.ceil(inputAudioMs / 100);
  const outputText = Math.ceil(produced.textChars / 4);
  const outputAudio = Math.ceil(produced.audioMs / 50);
  const input = inputText + inputAudio + inputImage;
  const out = outputText + outputAudio;
  return {
    total_tokens: input + out,
    input_tokens: input,
    output_tokens: out,
    input_token_details: {
      text_tokens: inputText,
      audio_tokens: inputAudio,
      image_tokens: inputImage,
      cached_tokens: 0,
      cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outputText, audio_tokens: outputAudio },
  };
}

