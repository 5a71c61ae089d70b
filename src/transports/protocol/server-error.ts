/** An `error` event from the provider, as an Error of the transports' vocabulary. */
import { RealtimeTransportError } from '../errors.js';

/**
 * An `error` event from the provider. Its `code` is `server_error`; `providerCode`, `type`, `param` and
 * `eventId` are copied from the event when they are strings (`eventId` names the client event that
 * caused it).
 */
export class OpenAIServerError extends RealtimeTransportError {
  override readonly name = 'OpenAIServerError';
  declare readonly code: 'server_error';
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly eventId: string | undefined;

  constructor(message: string, details: { providerCode?: string; type?: string; param?: string; eventId?: string } = {}) {
    super('server_error', message, { providerCode: details.providerCode });
    this.type = details.type;
    this.param = details.param;
    this.eventId = details.eventId;
  }
}
