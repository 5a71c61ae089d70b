// Relative links in Markdown, checked against the files of a package: a link must name a file (or a
// folder) the package carries, and its #anchor a heading of the Markdown file it points to. Links to
// other sites are left alone; a package has no say over them.
import { posix } from 'node:path';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchorsOf(markdown) {
  const anchors = new Set();
  const counts = new Map();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** `[text](target)` links outside code, with their line numbers. */
function linksOf(markdown) {
  const links = [];
  let fenced = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ target: match[1], line: index + 1 });
  });
  return links;
}

/**
 * The broken relative links of every Markdown file among `files` (paths inside the package), read with
 * `read(path)`. Each is `file:line → target (why)`.
 */
export function brokenLinks(files, read) {
  const present = new Set(files);
  const isFolder = (path) => files.some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));
  const broken = [];
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const markdown = read(file);
    for (const { target, line } of linksOf(markdown)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      const [pathPart, anchor] = target.split('#');
      const path = pathPart ? posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(pathPart))) : file;
      const where = `${file}:${line} → ${target}`;
      if (path.startsWith('..')) broken.push(`${where} (outside the package)`);
      else if (!present.has(path) && !isFolder(path)) broken.push(`${where} (not in the package)`);
      else if (anchor && path.endsWith('.md') && present.has(path) && !anchorsOf(read(path)).has(anchor)) broken.push(`${where} (no such heading)`);
    }
  }
  return broken;
}
