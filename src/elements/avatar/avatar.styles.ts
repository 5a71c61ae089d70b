import { css } from 'lit';

export const avatarStyles = css`
  :host {
    display: inline-block;
    box-sizing: border-box;
    width: var(--charivo-avatar-size, 12rem);
    aspect-ratio: 1;
    contain: layout paint style;
  }
  :host([hidden]) {
    display: none;
  }
  .stage {
    width: 100%;
    height: 100%;
    overflow: hidden;
    border-radius: var(--charivo-avatar-radius, 1.5rem);
    background: var(--charivo-avatar-background, transparent);
  }
  :host([connection]) .stage {
    filter: var(--charivo-avatar-offline-filter, grayscale(0.85) opacity(0.7));
  }
  .stage > svg,
  .stage > img {
    display: block;
    width: 100%;
    height: 100%;
  }
`;
