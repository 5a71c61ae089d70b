import { css } from 'lit';

export const controlsStyles = css`
  :host {
    --_fg: var(--charivo-controls-color, light-dark(#18181b, #f4f4f5));
    --_bg: var(--charivo-controls-button-background, light-dark(#f4f4f5, #27272a));
    --_border: var(--charivo-controls-border-color, light-dark(#71717a, #a1a1aa));
    --_accent: var(--charivo-controls-accent-color, light-dark(#1d4ed8, #93c5fd));
    --_on-accent: var(--charivo-controls-on-accent-color, light-dark(#ffffff, #172554));
    --_danger: var(--charivo-controls-danger-color, light-dark(#b91c1c, #fca5a5));
    --_ring: var(--charivo-controls-focus-ring-color, light-dark(#1d4ed8, #93c5fd));
    --_input-bg: var(--charivo-controls-input-background, light-dark(#ffffff, #18181b));
    display: block;
    color: var(--_fg);
    font: var(--charivo-controls-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charivo-controls-gap, 0.5rem);
  }
  button,
  input {
    font: inherit;
    color: inherit;
    border: 1px solid var(--_border);
    border-radius: var(--charivo-controls-radius, 0.5rem);
    padding: 0.375rem 0.75rem;
  }
  button {
    background: var(--_bg);
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_ring);
    outline-offset: 2px;
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .start:not([data-started]) {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .start[data-started],
  .mute[aria-pressed='true'] {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .mute[aria-pressed='true'] {
    border-width: 2px;
  }
  .talk {
    /* Holding on touch screens must not scroll, select text or open a context menu. */
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    -webkit-touch-callout: none;
  }
  .talk[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  form {
    display: flex;
    flex: 1 1 16rem;
    gap: var(--charivo-controls-gap, 0.5rem);
    margin: 0;
  }
  input {
    flex: 1 1 auto;
    min-inline-size: 0;
    background: var(--_input-bg);
  }
  .status:empty {
    margin: 0;
  }
  .status {
    margin-block-start: 0.25rem;
    font-size: 0.875em;
    color: var(--_danger);
  }
  .status[data-reconnecting] {
    color: var(--_fg);
  }
  .retry,
  .mic-retry {
    margin-block-start: 0.25rem;
  }
  .mic-notice:empty {
    margin: 0;
  }
  .mic-notice {
    margin-block-start: 0.25rem;
    font-size: 0.875em;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 120ms ease, color 120ms ease;
    }
  }
`;
