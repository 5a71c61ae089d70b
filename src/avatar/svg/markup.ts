/**
 * Markup and styles of the built-in SVG face. Static text, parsed once through a `<template>` and
 * cloned per mount; all colours come from `--charivo-avatar-*` custom properties.
 *
 * The idle sway moves an HTML box holding the whole `<svg>`, inside a clipping frame, so the browser's
 * compositor runs it without the main thread; moving an SVG group cost a style recalc, layout and paint on every
 * frame the page drew (measured: +20 ms of main thread per second). A smoothly eased sway still made Chromium
 * draw a main frame every frame (+1.8 ms/s in the idle bench), so the sway is a breath sampled in eight
 * keyframes and held in steps of 0.1 s (+0.3 ms/s): a step moves the face by at most a fifth of a pixel
 * at the default size. The backdrop overscans the view box so the sway never uncovers an edge.
 * @packageDocumentation
 */

const STYLES = /* css */ `
.charivo-svg-avatar-frame { display: block; width: 100%; height: 100%; overflow: hidden; border-radius: 12%; }
/* light-dark(), as in the elements: the page's color-scheme decides, not the preference alone. */
.charivo-svg-avatar {
  --_skin: var(--charivo-avatar-skin, light-dark(#ffdcc2, #e6b899));
  --_ink: var(--charivo-avatar-ink, light-dark(#2a2a3c, #1a1a25));
  --_accent: var(--charivo-avatar-accent, light-dark(#ff7d92, #ff97a8));
  --_bg: var(--charivo-avatar-background, light-dark(#edf1f8, #2c3447));
  display: block; width: 100%; height: 100%; overflow: visible;
}
.charivo-svg-avatar-sway { height: 100%; transform-origin: 50% 82.5%; will-change: transform; animation: charivo-svg-avatar-breathe 4.8s steps(6, jump-none) infinite; }
.charivo-svg-avatar .motion { transform-origin: 100px 165px; }
.charivo-svg-avatar .brow, .charivo-svg-avatar .squint, .charivo-svg-avatar .pupil { transition: transform 180ms ease-out; }
.charivo-svg-avatar .blush { transition: opacity 240ms ease-out; }
.charivo-svg-avatar-frame[data-reduced-motion] .charivo-svg-avatar-sway { animation: none; }
.charivo-svg-avatar-frame[data-connection] .charivo-svg-avatar-sway { animation-play-state: paused; }
.charivo-svg-avatar[data-reduced-motion] * { transition: none; }
@media (prefers-reduced-motion: reduce) {
  .charivo-svg-avatar-sway { animation: none; }
  .charivo-svg-avatar * { transition: none; }
}
@keyframes charivo-svg-avatar-breathe {
  0%, 100% { transform: translateY(0) rotate(0deg); }
  12.5%, 87.5% { transform: translateY(-0.11%) rotate(0.117deg); }
  25%, 75% { transform: translateY(-0.375%) rotate(0.4deg); }
  37.5%, 62.5% { transform: translateY(-0.64%) rotate(0.683deg); }
  50% { transform: translateY(-0.75%) rotate(0.8deg); }
}`;

const eye = (x: number) => `
  <g transform="translate(${x} 92)"><g class="squint"><g class="blink">
    <ellipse rx="9" ry="11" fill="#fff" stroke="var(--_ink)" stroke-width="1.5"/>
    <g class="pupil" part="pupil"><circle r="5" fill="var(--_ink)"/><circle cx="-1.6" cy="-2" r="1.6" fill="#fff"/></g>
  </g></g></g>`;

const brow = (x: number, side: 'left' | 'right') => `
  <g transform="translate(${x} 73)"><path class="brow brow-${side}" d="M-10 1Q0 -4 10 1" fill="none" stroke="var(--_ink)" stroke-width="3.5" stroke-linecap="round"/></g>`;

const MARKUP = `<div class="charivo-svg-avatar-frame"><div class="charivo-svg-avatar-sway"><svg class="charivo-svg-avatar" part="svg" viewBox="0 0 200 200" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">
<style>${STYLES}</style>
<rect part="background" x="-20" y="-20" width="240" height="240" fill="var(--_bg)"/>
<circle class="cue" part="cue" cx="100" cy="100" r="90" fill="none" stroke="var(--_accent)" stroke-width="5" opacity="0"/>
<g class="motion" part="character">
  <path part="body" d="M38 200C38 170 68 158 100 158C132 158 162 170 162 200Z" fill="var(--_accent)"/>
  <rect x="91" y="138" width="18" height="24" fill="var(--_skin)"/>
  <g part="head">
    <circle cx="100" cy="95" r="58" fill="var(--_skin)" stroke="var(--_ink)" stroke-width="2.5"/>
    <path part="hair" d="M42 92C42 50 70 34 100 34C130 34 158 50 158 92C146 70 126 60 100 62C80 62 60 70 42 92Z" fill="var(--_ink)"/>
    <g part="brows">${brow(78, 'left')}${brow(122, 'right')}</g>
    <g part="eyes">${eye(78)}${eye(122)}</g>
    <path d="M97 106Q100 110 103 106" fill="none" stroke="var(--_ink)" stroke-width="2" stroke-linecap="round" opacity="0.45"/>
    <g class="blush" part="blush" opacity="0"><ellipse cx="66" cy="114" rx="9" ry="5" fill="var(--_accent)"/><ellipse cx="134" cy="114" rx="9" ry="5" fill="var(--_accent)"/></g>
    <g transform="translate(100 127)"><path class="mouth" part="mouth" fill="var(--_ink)" stroke="var(--_ink)" stroke-width="3" stroke-linejoin="round"/></g>
  </g>
</g>
</svg></div></div>`;

let template: HTMLTemplateElement | undefined;

/** A fresh copy of the face (its clipping frame, holding the `<svg>`). Touches `document` only when called (import stays SSR-safe). */
export function createFace(): HTMLDivElement {
  template ??= Object.assign(document.createElement('template'), { innerHTML: MARKUP });
  return template.content.firstElementChild!.cloneNode(true) as HTMLDivElement;
}
