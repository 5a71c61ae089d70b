// Vite plugin for the script build: minifies the CSS inside Lit's css`…` templates (and strings marked
// /* css */`…`) of our own sources. Lit ships them as written; whitespace and comments are a tenth of the
// elements' bytes. Only what is safe everywhere in CSS is removed: comments, runs of whitespace, and
// whitespace next to `{`, `}`, `;` and `,`. Interpolations (`${…}`) are left where they are.

/** Minifies one piece of CSS text (never across an interpolation). */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}');
}

const TEMPLATE = /(\bcss|\/\*\s*css\s*\*\/\s*)`((?:[^`\\]|\\[\s\S])*)`/g;

/** @returns {import('vite').Plugin} */
export function minifyTemplateCss() {
  return {
    name: 'charivo-minify-template-css',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('`')) return null;
      let changed = false;
      const out = code.replace(TEMPLATE, (match, tag, body) => {
        if (!tag.startsWith('css') && !tag.startsWith('/*')) return match;
        // Minify the static parts between interpolations; the interpolations stay as written.
        const parts = body.split(/(\$\{[^}]*\})/);
        const minified = parts.map((part) => (part.startsWith('${') ? part : minifyCss(part))).join('');
        changed = true;
        return `${tag}\`${minified.trim()}\``;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
