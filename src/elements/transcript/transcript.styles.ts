import { css } from 'lit';

export const transcriptStyles = css`
  :host {
    --_bg: var(--charivo-transcript-background, light-dark(#ffffff, #18181b));
    --_fg: var(--charivo-transcript-color, light-dark(#18181b, #f4f4f5));
    --_muted: var(--charivo-transcript-muted-color, light-dark(#52525b, #a1a1aa));
    --_user-bg: var(--charivo-transcript-user-background, light-dark(#dbeafe, #172554));
    --_assistant-bg: var(--charivo-transcript-assistant-background, light-dark(#f4f4f5, #27272a));
    --_tool-bg: var(--charivo-transcript-tool-background, transparent);
    --_ok: var(--charivo-transcript-success-color, light-dark(#15803d, #4ade80));
    --_error: var(--charivo-transcript-error-color, light-dark(#b91c1c, #f87171));
    --_accent: var(--charivo-transcript-accent-color, light-dark(#1d4ed8, #93c5fd));
    display: flex;
    flex-direction: column;
    position: relative;
    min-block-size: 0;
    color: var(--_fg);
    background: var(--_bg);
    font: var(--charivo-transcript-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .log {
    flex: 1 1 auto;
    min-block-size: 0;
    max-block-size: var(--charivo-transcript-max-height, none);
    overflow-y: auto;
    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: var(--charivo-transcript-gap, 0.5rem);
    padding: var(--charivo-transcript-padding, 0.75rem);
  }
  .log:focus-visible,
  .jump:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .empty {
    margin: auto;
    color: var(--_muted);
  }
  .turn {
    max-inline-size: 85%;
    padding: 0.375rem 0.625rem;
    border-radius: var(--charivo-transcript-radius, 0.75rem);
    overflow-wrap: anywhere;
  }
  .user {
    align-self: flex-end;
    background: var(--_user-bg);
  }
  .assistant {
    align-self: flex-start;
    background: var(--_assistant-bg);
  }
  .commentary {
    background: var(--charivo-transcript-commentary-background, transparent);
    border: 1px dotted var(--_muted);
  }
  .commentary .text {
    font-style: italic;
  }
  .phase {
    font-weight: 400;
  }
  .speaker {
    display: block;
    font-size: 0.75em;
    font-weight: 600;
    color: var(--_muted);
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
  }
  .partial .text::after {
    content: '…';
  }
  .partial .text {
    font-style: italic;
  }
  .interrupted,
  .incomplete,
  .failed {
    border: 1px dashed var(--_muted);
  }
  .badge {
    display: inline-block;
    margin-block-start: 0.25rem;
    font-size: 0.75em;
    color: var(--_muted);
  }
  .tool {
    align-self: flex-start;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.375rem;
    padding: 0.125rem 0.5rem;
    background: var(--_tool-bg);
    font-size: 0.875em;
    color: var(--_muted);
  }
  .tool code {
    font-family: var(--charivo-transcript-code-font, ui-monospace, monospace);
  }
  .tool-name {
    color: var(--_fg);
  }
  .tool-args {
    max-inline-size: 30ch;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tool.succeeded .tool-status {
    color: var(--_ok);
  }
  .tool.failed .tool-status {
    color: var(--_error);
  }
  .jump {
    position: absolute;
    inset-block-end: 0.5rem;
    inset-inline-start: 50%;
    transform: translateX(-50%);
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--_muted);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
`;
