import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, repo } from './build-site.ts';

// What a deploy ships: a default `npm run build`, checked the way a static host would serve it.
let dist: string;
let cleanup = () => {};

beforeAll(async () => {
  ({ dist, cleanup } = await buildSite());
}, 240_000);
afterAll(() => cleanup());

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

describe('headers for hosts that read them', () => {
  test('dist/_headers (Cloudflare Pages, Netlify) sends both isolation headers on every path', () => {
    const text = readFileSync(join(dist, '_headers'), 'utf8');
    // Rules are a path line followed by indented "Name: value" lines.
    const rules = new Map<string, Record<string, string>>();
    let current: Record<string, string> | undefined;
    for (const line of text.split('\n')) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      if (!/^\s/.test(line)) rules.set(line.trim(), (current = {}));
      else if (current) {
        const [name, ...value] = line.trim().split(':');
        current[name!.trim()] = value.join(':').trim();
      }
    }
    expect(rules.get('/*')).toMatchObject(ISOLATION);
  });

  test('vercel.json sends both isolation headers for all paths and deploys dist/', () => {
    const config = JSON.parse(readFileSync(join(repo, 'vercel.json'), 'utf8')) as {
      outputDirectory: string;
      buildCommand: string;
      headers: { source: string; headers: { key: string; value: string }[] }[];
    };
    expect(config.outputDirectory).toBe('dist');
    expect(config.buildCommand).toBe('npm run build');
    const all = config.headers.find((h) => h.source === '/(.*)');
    expect(all, 'a rule with source "/(.*)"').toBeDefined();
    const sent = Object.fromEntries(all!.headers.map((h) => [h.key, h.value]));
    expect(sent).toMatchObject(ISOLATION);
  });
});

describe('the default build', () => {
  test('has no service worker and no page registers one', () => {
    expect(existsSync(join(dist, 'coi-serviceworker.js'))).toBe(false);
    for (const page of files(dist, '.html')) {
      const html = readFileSync(page, 'utf8');
      expect(html, relative(dist, page)).not.toContain('coi-serviceworker');
      expect(html, relative(dist, page)).not.toContain('serviceWorker.register');
    }
  });

  test('keeps _astro/ visible to a branch-built GitHub Pages site (.nojekyll)', () => {
    expect(existsSync(join(dist, '.nojekyll'))).toBe(true);
    expect(existsSync(join(dist, '_astro'))).toBe(true);
  });

  test('ships the search index that the search dialog keeps in memory', () => {
    expect(existsSync(join(dist, 'pagefind/pagefind.js'))).toBe(true);
    const listed = JSON.parse(readFileSync(join(dist, 'pagefind/hop-files.json'), 'utf8')) as string[];
    expect(listed).toContain('pagefind-entry.json');
    expect(listed.some((f) => f.startsWith('wasm.'))).toBe(true);
    expect(listed.some((f) => f.startsWith('fragment/'))).toBe(true);
    for (const f of listed) expect(existsSync(join(dist, 'pagefind', f)), f).toBe(true);
    // Pagefind's own UI bundles are left out: the site has its own dialog.
    expect(existsSync(join(dist, 'pagefind/pagefind-ui.js'))).toBe(false);
  });

  test('no page uses the same id twice, so labels, anchors and answers point at one element', () => {
    const repeated: string[] = [];
    for (const page of files(dist, '.html')) {
      // Ids inside <template> are copies for scripts to clone, and are not in the page until then.
      const html = readFileSync(page, 'utf8').replace(/<template\b[\s\S]*?<\/template>/gi, '');
      const seen = new Map<string, number>();
      for (const [, id] of html.matchAll(/\sid="([^"]+)"/g)) seen.set(id!, (seen.get(id!) ?? 0) + 1);
      for (const [id, n] of seen) if (n > 1) repeated.push(`${relative(dist, page)}: id "${id}" ×${n}`);
    }
    expect(repeated).toEqual([]);
  });

  test('every link between pages lands on a page that exists, and on an element with the id it names', () => {
    const pages = files(dist, '.html');
    const html = new Map(pages.map((p) => [p, readFileSync(p, 'utf8')]));
    const idsOf = new Map<string, Set<string>>();
    const ids = (page: string) => {
      if (!idsOf.has(page)) idsOf.set(page, new Set([...html.get(page)!.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
      return idsOf.get(page)!;
    };
    /** The file a static host serves for a site path, or undefined when it would answer 404. */
    const target = (path: string) => {
      const file = join(dist, decodeURIComponent(path));
      return [file, join(file, 'index.html')].find((f) => existsSync(f) && statSync(f).isFile());
    };
    const broken: string[] = [];
    let checked = 0;
    for (const [page, text] of html) {
      const base = new URL(`http://site/${relative(dist, page).replace(/index\.html$/, '')}`);
      for (const [, raw] of text.matchAll(/<a\b[^>]*\shref="([^"]+)"/gi)) {
        const href = raw!.replaceAll('&amp;', '&');
        if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(href) || /^(?:mailto|tel|javascript):/i.test(href)) continue;
        const url = new URL(href, base);
        if (url.pathname.startsWith('/api/')) continue; // served by `npm start` only, never linked as a page
        checked++;
        const where = `${relative(dist, page)} → ${href}`;
        const file = url.pathname === base.pathname ? page : target(url.pathname);
        if (!file) {
          broken.push(`${where}: no such page`);
          continue;
        }
        const id = decodeURIComponent(url.hash.slice(1));
        if (id && file.endsWith('.html') && !ids(file).has(id)) broken.push(`${where}: no element with id "${id}" on that page`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  test("every page's scripts, styles, images, fonts, frames and asset links are same-origin", () => {
    const foreign = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i; // http://, https://, //host — anything with a host
    const problems: string[] = [];
    const pages = files(dist, '.html');
    expect(pages.length).toBeGreaterThan(5);
    // Elements that load something into the page, and the attribute that says from where.
    const loads: [RegExp, string][] = [
      [/<script\b[^>]*>/gi, 'src'],
      [/<link\b[^>]*>/gi, 'href'],
      [/<(?:img|source|video|audio|track|input|embed|iframe|frame)\b[^>]*>/gi, 'src'],
      [/<(?:img|source)\b[^>]*>/gi, 'srcset'],
      [/<(?:video)\b[^>]*>/gi, 'poster'],
      [/<object\b[^>]*>/gi, 'data'],
      [/<(?:use|image|feImage)\b[^>]*>/gi, 'href'],
      [/<(?:use|image|feImage)\b[^>]*>/gi, 'xlink:href'],
    ];
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const where = relative(dist, page);
      for (const [tags, attr] of loads) {
        for (const tag of html.match(tags) ?? []) {
          // A <link> to another page of the site (rel=canonical, alternate) is not an asset, but none may point elsewhere anyway.
          const value = new RegExp(`\\s${attr}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
          const url = value?.[2] ?? value?.[3] ?? value?.[4];
          if (!url) continue;
          const urls = attr === 'srcset' ? url.split(',').map((c) => c.trim().split(/\s+/)[0]!) : [url];
          for (const u of urls) if (foreign.test(u)) problems.push(`${where}: ${tag.slice(0, 120)}`);
        }
      }
      for (const style of html.match(/<style\b[^>]*>[\s\S]*?<\/style>|\sstyle="[^"]*"/gi) ?? []) {
        for (const [, u] of style.matchAll(/url\(\s*['"]?([^'")]+)/gi)) if (foreign.test(u!)) problems.push(`${where}: url(${u})`);
        for (const [, u] of style.matchAll(/@import\s+['"]([^'"]+)/gi)) if (foreign.test(u!)) problems.push(`${where}: @import ${u}`);
      }
    }
    // Fonts and images referenced from the built stylesheets, and from the CSS that scripts carry
    // (Monaco's, src/integrations/lazy-monaco-css.ts).
    for (const css of [...files(dist, '.css'), ...files(dist, '.js')]) {
      const text = readFileSync(css, 'utf8');
      for (const [, u] of text.matchAll(/url\(\s*['"]?([^'")]+)/gi)) if (foreign.test(u!)) problems.push(`${relative(dist, css)}: url(${u})`);
      for (const [, u] of text.matchAll(/@import\s+(?:url\()?['"]([^'"]+)/gi)) if (foreign.test(u!)) problems.push(`${relative(dist, css)}: @import ${u}`);
    }
    expect(problems).toEqual([]);
  });

  test("a lab page's <head> links only the site's own stylesheets: Monaco's CSS comes with Monaco", () => {
    const labPages = files(join(dist, 'labs'), '.html').filter((f) => relative(join(dist, 'labs'), f).split('/').length === 2);
    expect(labPages.length).toBeGreaterThan(0);
    for (const page of labPages) {
      for (const [, href] of readFileSync(page, 'utf8').matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g)) {
        expect(readFileSync(join(dist, href!), 'utf8'), `${relative(dist, page)}: ${href}`).not.toContain('.monaco-editor');
      }
    }
    const carriers = files(join(dist, '_astro'), '.js').filter((f) => readFileSync(f, 'utf8').includes('.monaco-editor{'));
    expect(carriers.length).toBeGreaterThan(0);
  });

  test('answers the local-grader probe with a 200 that says there is none, so the lab page logs no failed request', () => {
    expect(JSON.parse(readFileSync(join(dist, 'api/health'), 'utf8'))).toEqual({ ok: false, runtime: 'static' });
  });
});
