import { css } from 'lit';

// Colours meet WCAG AA (4.5:1 for text, 3:1 for borders and the focus ring) on white and on #18181b.
export const devicePickerStyles = css`
  :host {
    --_fg: var(--charivo-device-picker-color, light-dark(#18181b, #f4f4f5));
    --_bg: var(--charivo-device-picker-background, light-dark(#ffffff, #18181b));
    --_border: var(--charivo-device-picker-border-color, light-dark(#71717a, #a1a1aa));
    --_muted: var(--charivo-device-picker-muted-color, light-dark(#52525b, #d4d4d8));
    --_danger: var(--charivo-device-picker-danger-color, light-dark(#b91c1c, #fca5a5));
    --_ring: var(--charivo-device-picker-focus-ring-color, light-dark(#1d4ed8, #93c5fd));
    display: block;
    color: var(--_fg);
    font: var(--charivo-device-picker-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: var(--charivo-device-picker-gap, 0.75rem);
  }
  .field {
    display: grid;
    gap: 0.25rem;
    flex: 1 1 12rem;
    min-inline-size: 0;
  }
  label {
    font-weight: 600;
  }
  select {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--charivo-device-picker-radius, 0.5rem);
    padding: 0.375rem 0.5rem;
    min-inline-size: 0;
    max-inline-size: 100%;
  }
  select:focus-visible {
    outline: 2px solid var(--_ring);
    outline-offset: 2px;
  }
  select:disabled {
    cursor: not-allowed;
  }
  .hint {
    margin: 0;
    font-size: 0.875em;
    color: var(--_muted);
    flex-basis: 100%;
  }
  .field .hint {
    flex-basis: auto;
  }
  .status {
    margin: 0;
    flex-basis: 100%;
    font-size: 0.875em;
  }
  .status:empty {
    display: none;
  }
  .status[data-error] {
    color: var(--_danger);
  }
`;
