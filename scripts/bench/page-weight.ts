/**
 * What a page costs to load: its HTML, the CSS it links, and the JavaScript it runs at first paint
 * (entry and inline module scripts and their static imports) versus what it can load later
 * (dynamic imports, e.g. Monaco on lab pages, and web workers), following the built chunks'
 * real import graph (module-graph.ts). Sizes are raw and gzip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { linksIn, reach, type ChunkLinks } from './module-graph.ts';

export type Weight = { raw: number; gzip: number };
export type PageWeight = {
  html: Weight;
  /** Stylesheets in the HTML (linked or inline): they block the first paint. */
  css: Weight;
  /** Stylesheets that only arrive with lazily loaded code. */
  cssLazy: Weight;
  jsInitial: Weight;
  /** The inline part of jsInitial: scripts written into the HTML itself. */
  jsInline: Weight;
  jsLazy: Weight;
  files: { initial: string[]; lazy: string[]; cssLazy: string[] };
};

export const weigh = (text: string | Buffer): Weight => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length });
const add = (a: Weight, b: Weight): Weight => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
const zero = (): Weight => ({ raw: 0, gzip: 0 });
/** The sum of some built files, by absolute path. */
export const weighFiles = (files: Iterable<string>): Weight => [...files].reduce((w, f) => add(w, weigh(readFileSync(f))), zero());

/** The entry scripts, inline scripts and stylesheets of one built page. */
export function pageAssets(dist: string, pagePath: string) {
  const htmlFile = join(dist, pagePath, pagePath.endsWith('.html') ? '' : 'index.html');
  const html = readFileSync(htmlFile, 'utf8');
  const stylesheets = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => join(dist, m[1]!));
  const inlineCss = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  const entries: string[] = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => join(dist, m[1]!));
  const inline: string[] = [];
  for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1]!;
    if (/type="application\/(ld\+)?json"/.test(attrs)) continue;
    const src = /src="([^"]+)"/.exec(attrs)?.[1];
    if (src) entries.push(join(dist, src));
    else inline.push(m[2]!);
  }
  return { html, htmlFile, stylesheets, inlineCss, entries, inline };
}

export function pageWeight(dist: string, pagePath: string): PageWeight {
  const page = pageAssets(dist, pagePath);
  const inlineLinks: ChunkLinks[] = page.inline.map((code) => linksIn(dist, code, page.htmlFile));
  const graph = reach(dist, page.entries, inlineLinks);
  const linked = new Set(page.stylesheets);
  const cssLazy = [...graph.lazyCss].filter((f) => !linked.has(f));
  const rel = (f: string) => f.slice(dist.length);
  const jsInline = page.inline.reduce((w, c) => add(w, weigh(c)), zero());
  return {
    html: weigh(page.html),
    css: page.inlineCss.reduce((w, c) => add(w, weigh(c)), weighFiles(page.stylesheets)),
    cssLazy: weighFiles(cssLazy),
    jsInitial: add(jsInline, weighFiles(graph.eager)),
    jsInline,
    jsLazy: weighFiles(graph.lazy),
    files: { initial: [...graph.eager].map(rel), lazy: [...graph.lazy].map(rel), cssLazy: cssLazy.map(rel) },
  };
}

export function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}
