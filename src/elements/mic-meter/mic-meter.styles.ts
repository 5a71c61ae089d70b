import { css } from 'lit';

export const micMeterStyles = css`
  :host {
    --_color: var(--charivo-mic-meter-color, light-dark(#15803d, #4ade80));
    --_track: var(--charivo-mic-meter-track-color, light-dark(#d4d4d8, #3f3f46));
    --_muted: var(--charivo-mic-meter-muted-color, light-dark(#b91c1c, #f87171));
    --_off: var(--charivo-mic-meter-off-color, light-dark(#71717a, #a1a1aa));
    display: inline-block;
    color: var(--charivo-mic-meter-icon-color, currentColor);
  }
  :host([hidden]) {
    display: none;
  }
  .meter {
    display: inline-flex;
    align-items: center;
    gap: var(--charivo-mic-meter-gap, 0.375rem);
  }
  :host([orientation='vertical']) .meter {
    flex-direction: column-reverse;
  }
  .icon {
    display: inline-flex;
    inline-size: 1.25em;
    block-size: 1.25em;
  }
  .icon svg {
    inline-size: 100%;
    block-size: 100%;
  }
  .muted .icon {
    color: var(--_muted);
  }
  .off .icon {
    color: var(--_off);
  }
  .bars {
    display: inline-flex;
    align-items: flex-end;
    gap: var(--charivo-mic-meter-bar-gap, 2px);
    inline-size: var(--charivo-mic-meter-size, 6rem);
    block-size: var(--charivo-mic-meter-thickness, 0.625rem);
  }
  :host([orientation='vertical']) .bars {
    flex-direction: column-reverse;
    inline-size: var(--charivo-mic-meter-thickness, 0.625rem);
    block-size: var(--charivo-mic-meter-size, 6rem);
  }
  .bar {
    flex: 1;
    min-inline-size: 1px;
    min-block-size: 1px;
    border-radius: var(--charivo-mic-meter-bar-radius, 1px);
    background: var(--_track);
    transition: background-color 80ms linear;
  }
  .bar.lit {
    background: var(--_color);
  }
  /* Muted: striped track so the state does not rely on colour alone. */
  .muted .bar {
    background: repeating-linear-gradient(45deg, var(--_muted) 0 2px, transparent 2px 4px);
    opacity: 0.6;
  }
  .off .bar {
    opacity: 0.5;
  }
  @media (prefers-reduced-motion: reduce) {
    .bar {
      transition: none;
    }
  }
`;
