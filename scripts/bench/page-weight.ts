/**
 * What a page costs to load: its HTML, the CSS it links, and the JavaScript it runs before any
 * interaction (entry scripts and their static imports) versus everything it can load later
 * (dynamic imports, e.g. Monaco on lab pages, and web workers). Sizes are raw and gzip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export type Weight = { raw: number; gzip: number };
export type PageWeight = { html: Weight; css: Weight; jsInitial: Weight; jsLazy: Weight; files: { initial: string[]; lazy: string[] } };

const weigh = (text: string | Buffer): Weight => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length });
const add = (a: Weight, b: Weight): Weight => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
const zero = (): Weight => ({ raw: 0, gzip: 0 });

export function pageWeight(dist: string, pagePath: string): PageWeight {
  const htmlFile = join(dist, pagePath, pagePath.endsWith('.html') ? '' : 'index.html');
  const html = readFileSync(htmlFile, 'utf8');
  let css = zero();
  for (const m of html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g)) css = add(css, weigh(readFileSync(join(dist, m[1]!))));
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) css = add(css, weigh(m[1]!));

  const initial = new Set<string>();
  const lazy = new Set<string>();
  let inline = zero();
  for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1]!;
    if (/type="application\/(ld\+)?json"/.test(attrs)) continue;
    const src = /src="([^"]+)"/.exec(attrs)?.[1];
    if (src) follow(dist, resolve(dist, '.' + src), initial, lazy);
    else {
      inline = add(inline, weigh(m[2]!));
      for (const imp of imports(m[2]!)) follow(dist, resolve(dist, '.' + imp.spec), imp.dynamic ? lazy : initial, lazy);
    }
  }
  for (const f of initial) lazy.delete(f);
  const sum = (files: Set<string>) => [...files].reduce((w, f) => add(w, weigh(readFileSync(f))), zero());
  return {
    html: weigh(html),
    css,
    jsInitial: add(inline, sum(initial)),
    jsLazy: sum(lazy),
    files: { initial: [...initial].map((f) => f.slice(dist.length)), lazy: [...lazy].map((f) => f.slice(dist.length)) },
  };
}

/** Adds `file` and what it statically imports to `into`; dynamic imports and workers go to `later`. */
function follow(dist: string, file: string, into: Set<string>, later: Set<string>): void {
  if (into.has(file) || !existsSync(file) || !file.endsWith('.js')) return;
  into.add(file);
  const text = readFileSync(file, 'utf8');
  for (const imp of imports(text)) {
    const target = imp.spec.startsWith('/') ? resolve(dist, '.' + imp.spec) : resolve(dirname(file), imp.spec);
    if (imp.dynamic) follow(dist, target, later, later);
    else follow(dist, target, into, later);
  }
}

function imports(code: string): Array<{ spec: string; dynamic: boolean }> {
  const out: Array<{ spec: string; dynamic: boolean }> = [];
  for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) out.push({ spec: m[1]!, dynamic: false });
  for (const m of code.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) out.push({ spec: m[1]!, dynamic: true });
  // Vite's worker URLs: new URL("/_astro/ts.worker-xyz.js", import.meta.url) or "/_astro/x.worker.js" strings.
  for (const m of code.matchAll(/["'](\/_astro\/[^"']+worker[^"']*\.js)["']/g)) out.push({ spec: m[1]!, dynamic: true });
  return out;
}

export function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}
