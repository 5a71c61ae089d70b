import { css } from 'lit';

export const metricsStyles = css`
  /* light-dark(), as in the other elements: the page's color-scheme decides, not the preference alone
     (a light page under a dark preference stays readable, a dark page is dark without one). */
  :host {
    --_fg: var(--charivo-metrics-color, light-dark(#18181b, #f4f4f5));
    --_muted: var(--charivo-metrics-label-color, light-dark(#52525b, #a1a1aa));
    display: block;
    color: var(--_fg);
    font: var(--charivo-metrics-font, inherit);
    font-variant-numeric: tabular-nums;
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
