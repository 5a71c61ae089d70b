import { css } from 'lit';

export const metricsStyles = css`
  :host {
    --_fg: var(--charivo-metrics-color, #18181b);
    --_muted: var(--charivo-metrics-label-color, #52525b);
    display: block;
    color: var(--_fg);
    font: var(--charivo-metrics-font, inherit);
    font-variant-numeric: tabular-nums;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_fg: var(--charivo-metrics-color, #f4f4f5);
      --_muted: var(--charivo-metrics-label-color, #a1a1aa);
    }
  }
  :host([hidden]) {
    display: none;
  }
  dl {
    display: flex;
    flex-wrap: wrap;
    gap: var(--charivo-metrics-gap, 0.25rem 1rem);
    margin: 0;
  }
  .item {
    display: flex;
    gap: 0.375rem;
    align-items: baseline;
  }
  dt {
    color: var(--_muted);
    font-size: 0.875em;
  }
  dd {
    margin: 0;
  }
`;
