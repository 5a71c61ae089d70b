// The root type schema/openai-realtime.types.schema.json is generated from: what travels on the
// Realtime wire, as the `openai` package types it (resources/realtime). Types only, never imported
// at run time; see scripts/generate-openai-types-schema.ts.
import type { ClientSecretCreateParams, ClientSecretCreateResponse } from 'openai/resources/realtime/client-secrets';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';

export interface OpenAIRealtimeWire {
  /** Every event a client sends (`session.update`, `response.create`, …). */
  clientEvent: RealtimeClientEvent;
  /** Every event the server sends. */
  serverEvent: RealtimeServerEvent;
  /** The `session` of `POST /realtime/calls` (and of a client-secret request). */
  sessionCreate: RealtimeSessionCreateRequest;
  /** The body of `POST /realtime/client_secrets`. */
  clientSecretRequest: ClientSecretCreateParams;
  /** Its response. */
  clientSecretResponse: ClientSecretCreateResponse;
}
