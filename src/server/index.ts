/**
 * `charivo-elements/server`: the realtime route (Web `Request` → `Response`), the OpenAI provider
 * that mints client secrets or answers SDP offers, the bootstrap contract shared with the browser,
 * and adapters for Node (node:http, Express, Connect) and Vite.
 *
 * Loads on any runtime with Web `fetch`: nothing here imports a Node built-in at runtime.
 * @packageDocumentation
 */
export {
  ADAPTER_TRANSPORT,
  REALTIME_ADAPTERS,
  openAIAgentsWebRTCBootstrapSchema,
  openAILiveWebRTCBootstrapSchema,
  openAIWebRTCBootstrapSchema,
  openAIWebSocketBootstrapSchema,
  realtimeBootstrapSchema,
  realtimeClientSecretSchema,
} from './bootstrap.js';
export type {
  LiveBootstrapInfo,
  OpenAIAgentsWebRTCBootstrap,
  OpenAILiveWebRTCBootstrap,
  OpenAIWebRTCBootstrap,
  OpenAIWebSocketBootstrap,
  RealtimeAdapter,
  RealtimeBootstrap,
  RealtimeClientSecret,
  RealtimeTransportKind,
} from './bootstrap.js';

export {
  ClientClosedRequestError,
  ForbiddenError,
  InvalidConfigurationError,
  InvalidRequestError,
  MethodNotAllowedError,
  MissingApiKeyError,
  OriginNotAllowedError,
  PayloadTooLargeError,
  PolicyViolationError,
  RateLimitedError,
  RateLimitUnavailableError,
  RealtimeRouteError,
  RequestTimeoutError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  UpstreamError,
} from './errors.js';
export type { RealtimeRouteErrorCode } from './errors.js';

export { MINT_LOG_MESSAGE } from './audit.js';
export type { RealtimeMintOutcome, RealtimeMintRecord, RealtimeRouteLogger } from './audit.js';

export type { RealtimeAuthorize, RealtimeAuthorizeResult } from './auth.js';

export { forwardedClientIp, recordedClientIp, withClientIp } from './client-ip.js';

export { DEFAULT_MAX_JSON_DEPTH } from './json-limits.js';

export { defaultRateLimitKey } from './rate-limit.js';
export type { RateLimitSubject, RealtimeRateLimiter, RealtimeRateLimitOptions } from './rate-limit.js';

export { toNodeHandler, toWebRequest, writeWebResponse } from './node-handler.js';
export type { NodeHandler, NodeHandlerOptions, NodeNext } from './node-handler.js';

export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_SECRET_TTL_SECONDS,
  OPENAI_DEFAULT_BASE_URL,
  OPENAI_DEFAULT_MODEL,
  OPENAI_DEFAULT_VOICE,
  createOpenAIRealtimeProvider,
} from './openai-provider.js';
export type { OpenAIRealtimeProvider, OpenAIRealtimeProviderOptions } from './openai-provider.js';
export { OPENAI_LIVE_DEFAULT_MODEL, planLiveSession } from './openai-live.js';
export type { LiveSessionPlan, OpenAILiveDelegation, OpenAILiveOptions } from './openai-live.js';
export { describeLivePolicy, LIVE_FIXED_FIELDS } from './live-policy-view.js';
export { MAX_HISTORY_TURNS, liveHistorySchema, toLiveInput } from './live-history.js';
export type { LiveHistoryTurn, LiveInitialItem } from './live-history.js';

export { toOpenAISession } from '../session/openai-session.js';
export type { OpenAIAudioFormat, OpenAIRealtimeSession, OpenAISessionDefaults } from '../session/openai-session.js';

export { DEFAULT_MAX_BODY_BYTES, POLICY_OWNED_WIRE_KEYS, applyPolicy, resolvePolicy } from './policy.js';
export type { RealtimeRange, RealtimeRoutePolicy, RealtimeToolPin, ResolvedRealtimeRoutePolicy } from './policy.js';
export { describePolicyForBrowser } from './policy-view.js';
export { bootstrapPolicySchema, composeInstructions } from '../session/session-policy.js';
export type { BootstrapPolicy, InstructionsMode, SessionOpened } from '../session/session-policy.js';

export type { RealtimeProvider, RealtimeProviderCallOptions, RealtimeSessionRequest } from './provider.js';

export { containsSecret, redactSecrets } from './redact.js';

export { parseRouteRequest, realtimeRouteRequestSchema } from './request-schema.js';
export type { RealtimeRouteRequest } from './request-schema.js';

export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS, createRealtimeRoute } from './route.js';
export type { RealtimeRoute, RealtimeRouteOptions } from './route.js';

export {
  describeIssue,
  realtimeFunctionToolSchema,
  realtimeInputTranscriptionSchema,
  realtimeSessionConfigObjectSchema,
  realtimeSessionConfigSchema,
  realtimeToolChoiceSchema,
  realtimeTurnDetectionSchema,
  realtimeVoiceSchema,
  realtimeReasoningSchema,
  realtimeTruncationSchema,
  realtimePromptReferenceSchema,
  REALTIME_REASONING_EFFORTS,
} from '../session/session-config.js';
export type {
  RealtimeCustomVoice,
  RealtimeModel,
  RealtimePromptReference,
  RealtimeReasoning,
  RealtimeReasoningEffort,
  RealtimeRetentionRatioTruncation,
  RealtimeTranscriptionDelay,
  RealtimeTranscriptionModel,
  RealtimeTruncation,
  RealtimeVoice,
  RealtimeVoiceName,
  RealtimeFunctionToolDefinition,
  RealtimeInputTranscription,
  RealtimeSessionConfig,
  RealtimeToolChoice,
  RealtimeTurnDetection,
  SemanticVadTurnDetection,
  ServerVadTurnDetection,
} from '../session/session-config.js';

export {
  CallGuard,
  RealtimeCallGuardError,
  createRealtimeCallGuards,
  findViolations,
  ownedFieldsForCall,
  ownedFieldsOf,
  ownedSessionFields,
  restorePatch,
} from './guard/index.js';
export type {
  GuardSocket,
  GuardWebSocketConstructor,
  OwnedField,
  OwnedFieldName,
  OwnedFieldRule,
  OwnedFieldViolation,
  RealtimeCallGuardAction,
  RealtimeCallGuardEndReason,
  RealtimeCallGuardErrorCode,
  RealtimeCallGuardEvent,
  RealtimeCallGuardHangupReason,
  RealtimeCallGuardOptions,
  RealtimeCallGuards,
} from './guard/index.js';

export { realtimeRoutePlugin } from './vite-plugin.js';
export type { MiddlewareServerLike, RealtimeRoutePlugin, RealtimeRoutePluginOptions } from './vite-plugin.js';
