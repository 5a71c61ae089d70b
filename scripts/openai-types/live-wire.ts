// The root types schema/openai-live.schema.json is generated from: the `openai` package's GPT-Live
// contract (resources/live), and the Responses stream events that `response.event` nests. Types only,
// never imported at run time; see scripts/generate-live-schema.ts. Only aliases: the generator names
// each definition after the alias.
import type { ClientEvent, LiveCreateParams, LiveCreateResponse, ServerEvent } from 'openai/resources/live/live';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

/** Every client event a Live data channel or primary WebSocket accepts. */
export type LiveClientEvent = ClientEvent;
/** Every server event a Live session sends. */
export type LiveServerEvent = ServerEvent;
/** The body of `POST /v1/live/sessions`. */
export type LiveCreateRequest = LiveCreateParams;
/** The answer of `POST /v1/live/sessions`. */
export type LiveCreateAnswer = LiveCreateResponse;
/** The Responses stream event a `response.event` carries in its `event` field. */
export type LiveNestedResponseEvent = ResponseStreamEvent;
