import { CharivoTranscript } from './transcript.js';

export { CharivoTranscript };
export type {
  AssistantTurn,
  AssistantTurnStatus,
  ToolTurn,
  TranscriptTurn,
  UserTurn,
} from './transcript-model.js';

// Guarded: a second copy of the bundle on the page must not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-transcript')) {
  customElements.define('charivo-transcript', CharivoTranscript);
}

declare global {
  interface HTMLElementTagNameMap {
    'charivo-transcript': CharivoTranscript;
  }
}
