import { css } from 'lit';

// Colours meet WCAG AA (4.5:1 for text, 3:1 for borders and the focus ring) on white and on #18181b.
export const devicePickerStyles = css`
  :host {
    --_fg: var(--charivo-device-picker-color, #18181b);
    --_bg: var(--charivo-device-picker-background, #ffffff);
    --_border: var(--charivo-device-picker-border-color, #71717a);
    --_muted: var(--charivo-device-picker-muted-color, #52525b);
    --_danger: var(--charivo-device-picker-danger-color, #b91c1c);
    --_ring: var(--charivo-device-picker-focus-ring-color, #1d4ed8);
    display: block;
    color: var(--_fg);
    font: var(--charivo-device-picker-font, inherit);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_fg: var(--charivo-device-picker-color, #f4f4f5);
      --_bg: var(--charivo-device-picker-background, #18181b);
      --_border: var(--charivo-device-picker-border-color, #a1a1aa);
      --_muted: var(--charivo-device-picker-muted-color, #d4d4d8);
      --_danger: var(--charivo-device-picker-danger-color, #fca5a5);
      --_ring: var(--charivo-device-picker-focus-ring-color, #93c5fd);
    }
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
