// Session configs that together cover every field of RealtimeSessionConfig, each with the OpenAI wire
// fields it must produce, written out by hand (not computed with toOpenAISession, so the mapping is
// checked against an independent statement of it). Shared by the node test of the mapping
// (src/session/session-wire.node.test.ts) and the browser tests of what each transport sends
// (src/transports/openai-webrtc/session-wire.test.ts, src/transports/openai-websocket/session-wire.test.ts).
// Pure data: no browser or Node imports.
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';

/**
 * The wire fields a config decides. `undefined` means the field must be absent (the provider's default
 * applies); the agents SDK fills two of those itself (see {@link AGENTS_SDK_FILLS}).
 */
export interface ExpectedWire {
  instructions: string | undefined;
  output_modalities: string[] | undefined;
  max_output_tokens: number | 'inf' | undefined;
  tool_choice: unknown;
  tools: unknown[] | undefined;
  turn_detection: Record<string, unknown> | null | undefined;
  transcription: Record<string, unknown> | null | undefined;
  noise_reduction: { type: string } | null | undefined;
  /** Always present: the config's voice (a name or a custom voice `{ id }`) or the server's default. */
  voice: string | { id: string } | undefined;
  speed: number | undefined;
  reasoning: Record<string, unknown> | undefined;
  truncation: string | Record<string, unknown> | undefined;
  prompt: Record<string, unknown> | null | undefined;
}

export interface WireCase {
  name: string;
  config: RealtimeSessionConfig;
  wire: ExpectedWire;
  /** Extra top-level wire fields (from providerOptions). */
  extra?: Record<string, unknown>;
  /** The route refuses providerOptions by default: browser tests through it skip these. */
  needsProviderOptions?: boolean;
}

const NONE: ExpectedWire = {
  instructions: undefined,
  output_modalities: undefined,
  max_output_tokens: undefined,
  tool_choice: undefined,
  tools: undefined,
  turn_detection: undefined,
  transcription: undefined,
  noise_reduction: undefined,
  voice: undefined,
  speed: undefined,
  reasoning: undefined,
  truncation: undefined,
  prompt: undefined,
};

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

export const WIRE_CASES: WireCase[] = [
  {
    name: 'server VAD with every field, transcription with every field, near-field noise reduction',
    config: {
      instructions: 'Be brief.',
      voice: 'cedar',
      speed: 1.25,
      outputModalities: ['audio'],
      maxOutputTokens: 512,
      toolChoice: 'auto',
      turnDetection: {
        type: 'server_vad',
        threshold: 0.3,
        prefixPaddingMs: 200,
        silenceDurationMs: 250,
        idleTimeoutMs: 6000,
        createResponse: true,
        interruptResponse: false,
      },
      inputTranscription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Greetings.' },
      noiseReduction: 'near_field',
    },
    wire: {
      ...NONE,
      instructions: 'Be brief.',
      voice: 'cedar',
      speed: 1.25,
      output_modalities: ['audio'],
      max_output_tokens: 512,
      tool_choice: 'auto',
      turn_detection: {
        type: 'server_vad',
        threshold: 0.3,
        prefix_padding_ms: 200,
        silence_duration_ms: 250,
        idle_timeout_ms: 6000,
        create_response: true,
        interrupt_response: false,
      },
      transcription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Greetings.' },
      noise_reduction: { type: 'near_field' },
    },
  },
  {
    name: 'server VAD at the lower bounds, idle timeout off, speed at its minimum, one token',
    config: {
      speed: 0.25,
      maxOutputTokens: 1,
      turnDetection: { type: 'server_vad', threshold: 0, prefixPaddingMs: 0, silenceDurationMs: 0, idleTimeoutMs: null },
    },
    wire: {
      ...NONE,
      speed: 0.25,
      max_output_tokens: 1,
      turn_detection: { type: 'server_vad', threshold: 0, prefix_padding_ms: 0, silence_duration_ms: 0, idle_timeout_ms: null },
    },
  },
  {
    name: 'server VAD at the upper bounds, speed at its maximum, 4096 tokens',
    config: {
      speed: 1.5,
      maxOutputTokens: 4096,
      turnDetection: { type: 'server_vad', threshold: 1, prefixPaddingMs: 10_000, silenceDurationMs: 10_000, idleTimeoutMs: 30_000 },
    },
    wire: {
      ...NONE,
      speed: 1.5,
      max_output_tokens: 4096,
      turn_detection: { type: 'server_vad', threshold: 1, prefix_padding_ms: 10_000, silence_duration_ms: 10_000, idle_timeout_ms: 30_000 },
    },
  },
  {
    name: 'semantic VAD (high eagerness, no auto response), transcription with a model only, far-field noise reduction',
    config: {
      turnDetection: { type: 'semantic_vad', eagerness: 'high', createResponse: false, interruptResponse: true },
      inputTranscription: { model: 'whisper-1' },
      noiseReduction: 'far_field',
      maxOutputTokens: 'inf',
    },
    wire: {
      ...NONE,
      turn_detection: { type: 'semantic_vad', eagerness: 'high', create_response: false, interrupt_response: true },
      transcription: { model: 'whisper-1' },
      noise_reduction: { type: 'far_field' },
      max_output_tokens: 'inf',
    },
  },
  {
    name: 'semantic VAD with only its type; transcription object empty',
    config: { turnDetection: { type: 'semantic_vad' }, inputTranscription: {} },
    wire: { ...NONE, turn_detection: { type: 'semantic_vad' }, transcription: {} },
  },
  {
    name: 'push-to-talk with every feature off and text-only output',
    config: { turnDetection: null, inputTranscription: null, noiseReduction: null, outputModalities: ['text'], toolChoice: 'none' },
    wire: { ...NONE, turn_detection: null, transcription: null, noise_reduction: null, output_modalities: ['text'], tool_choice: 'none' },
  },
  {
    name: 'tools with a named tool choice',
    config: {
      instructions: '',
      voice: 'marin',
      tools: [weather, { type: 'function', name: 'no-params_2' }],
      toolChoice: { type: 'function', name: 'get_weather' },
    },
    wire: {
      ...NONE,
      instructions: '',
      voice: 'marin',
      tools: [weather, { type: 'function', name: 'no-params_2' }],
      tool_choice: { type: 'function', name: 'get_weather' },
    },
  },
  {
    name: 'tools that must be used',
    config: { tools: [weather], toolChoice: 'required' },
    wire: { ...NONE, tools: [weather], tool_choice: 'required' },
  },
  {
    name: 'nothing set: only model, voice and formats go out',
    config: {},
    wire: { ...NONE },
  },
  {
    name: 'gpt-realtime-2 family: reasoning effort, retention-ratio truncation with a token limit, a stored prompt with variables, a custom voice',
    config: {
      reasoning: { effort: 'high' },
      truncation: { type: 'retention_ratio', retentionRatio: 0.75, tokenLimits: { postInstructions: 12_000 } },
      prompt: { id: 'pmpt_wire_1', version: '4', variables: { city: 'Lyon', mood: 'cheerful' } },
      voice: { id: 'voice_wire_1' },
    },
    wire: {
      ...NONE,
      reasoning: { effort: 'high' },
      truncation: { type: 'retention_ratio', retention_ratio: 0.75, token_limits: { post_instructions: 12_000 } },
      prompt: { id: 'pmpt_wire_1', version: '4', variables: { city: 'Lyon', mood: 'cheerful' } },
      voice: { id: 'voice_wire_1' },
    },
  },
  {
    name: 'newer transcription (gpt-transcribe with languages and keywords), truncation off, reasoning at its least, a prompt removed',
    config: {
      inputTranscription: { model: 'gpt-transcribe', languages: ['en', 'fr'], keywords: ['Charivo', 'WebRTC'] },
      truncation: 'disabled',
      reasoning: { effort: 'minimal' },
      prompt: null,
    },
    wire: {
      ...NONE,
      transcription: { model: 'gpt-transcribe', languages: ['en', 'fr'], keywords: ['Charivo', 'WebRTC'] },
      truncation: 'disabled',
      reasoning: { effort: 'minimal' },
      prompt: null,
    },
  },
  {
    name: 'gpt-realtime-whisper transcription with a delay, automatic truncation, reasoning at its most, a prompt by id only, a ratio without limits',
    config: {
      inputTranscription: { model: 'gpt-realtime-whisper', delay: 'low', language: 'de' },
      truncation: 'auto',
      reasoning: { effort: 'xhigh' },
      prompt: { id: 'pmpt_wire_2' },
    },
    wire: {
      ...NONE,
      transcription: { model: 'gpt-realtime-whisper', delay: 'low', language: 'de' },
      truncation: 'auto',
      reasoning: { effort: 'xhigh' },
      prompt: { id: 'pmpt_wire_2' },
    },
  },
  {
    name: 'retention ratio at its bounds edge (0) with an empty token limit; reasoning with no effort (the model default)',
    config: { truncation: { type: 'retention_ratio', retentionRatio: 0, tokenLimits: {} }, reasoning: {} },
    wire: { ...NONE, truncation: { type: 'retention_ratio', retention_ratio: 0, token_limits: {} }, reasoning: {} },
  },
  {
    name: 'providerOptions fill unmapped fields; mapped fields win',
    config: {
      voice: 'cedar',
      providerOptions: { tracing: null, include: ['item.input_audio_transcription.logprobs'], audio: { output: { voice: 'ash' } } },
    },
    wire: { ...NONE, voice: 'cedar' },
    extra: { tracing: null, include: ['item.input_audio_transcription.logprobs'] },
    needsProviderOptions: true,
  },
];

/**
 * What `@openai/agents-realtime` puts in its first `session.update` when the config leaves the field
 * out (`openai-agents-webrtc` lets the SDK send that first update, with our wire session spread over it).
 * Its audio defaults (semantic VAD, a transcription model) never show: our `audio` replaces its own whole.
 */
export const AGENTS_SDK_FILLS: Partial<Record<keyof ExpectedWire, unknown>> = { output_modalities: ['audio'] };

/** The fields of a wire session that {@link ExpectedWire} names, read out of `session`. */
export function wireFields(session: any): ExpectedWire {
  const input = session?.audio?.input ?? {};
  const output = session?.audio?.output ?? {};
  return {
    instructions: session.instructions,
    output_modalities: session.output_modalities,
    max_output_tokens: session.max_output_tokens,
    tool_choice: session.tool_choice,
    tools: session.tools,
    turn_detection: input.turn_detection,
    transcription: input.transcription,
    noise_reduction: input.noise_reduction,
    voice: output.voice,
    speed: output.speed,
    reasoning: session.reasoning,
    truncation: session.truncation,
    prompt: session.prompt,
  };
}

/**
 * The expected fields with a default voice filled in (`voice` is always sent) and, for the agents SDK's
 * own first update, the fields it fills.
 */
export function expectedFields(wireCase: WireCase, defaultVoice: string, sdkFills = false): ExpectedWire {
  const expected = { ...wireCase.wire, voice: wireCase.wire.voice ?? defaultVoice };
  if (sdkFills) {
    for (const [key, value] of Object.entries(AGENTS_SDK_FILLS)) {
      if (expected[key as keyof ExpectedWire] === undefined) (expected as Record<string, unknown>)[key] = value;
    }
  }
  return expected;
}

/** Keys that are present with `undefined` in `fields` are dropped: JSON has no undefined. */
export function jsonFields(fields: ExpectedWire): Partial<ExpectedWire> {
  return JSON.parse(JSON.stringify(fields)) as Partial<ExpectedWire>;
}
