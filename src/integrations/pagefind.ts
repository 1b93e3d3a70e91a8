import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { hopError } from '../errors/catalogue.ts';

/**
 * Builds the site search index with Pagefind's Node API once `astro build` has written dist/, so
 * `npm run build` and `npm start` always ship it: dist/pagefind/ holds the index, Pagefind's
 * browser API (pagefind.js) and hop-files.json, the list of index files the search dialog keeps
 * in memory for offline use (src/components/site/search.ts). Pagefind's own UI bundles are not
 * written: the site has its own small dialog.
 *
 * What is indexed: the region of each page marked `data-pagefind-body` (a lesson's <article>), so
 * headers, sidebars and pagers are not. A lab or glossary page that forgets to mark its region
 * still gets its <article> (else <main>) indexed, so it never silently drops out of search.
 */

/** Paths (under dist/) whose pages are content even without a data-pagefind-body of their own. */
const FALLBACK_PAGES = [/^labs\/[a-z0-9-]+\/index\.html$/, /^glossary\/(?:.*\/)?index\.html$/];

/** Pagefind's browser files the site uses; the rest of its bundle (its UIs, the worker) is left out. */
const KEEP = (file: string) =>
  file === 'pagefind.js' ||
  file === 'pagefind-entry.json' ||
  file.endsWith('.pf_meta') ||
  /^wasm\.[a-z-]+\.pagefind$/.test(file) ||
  /^(index|fragment|filter)\//.test(file);

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** The page's HTML as Pagefind should see it, or null when the page is not searchable content. */
export function searchableHtml(rel: string, html: string): string | null {
  if (/\sdata-pagefind-body(?:[\s=>])/.test(html)) return html;
  if (!FALLBACK_PAGES.some((re) => re.test(rel))) return null;
  for (const tag of ['article', 'main']) {
    const at = html.search(new RegExp(`<${tag}[\\s>]`));
    if (at !== -1) return `${html.slice(0, at + tag.length + 1)} data-pagefind-body${html.slice(at + tag.length + 1)}`;
  }
  return null;
}

export function pagefindSearch(): AstroIntegration {
  return {
    name: 'hop-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const pagefind = await import('pagefind');
        const problems: string[] = [];
        try {
          const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
          problems.push(...errors);
          if (!index) throw hopError('SearchIndexFailed', { problems });
          let pages = 0;
          for (const file of await htmlFiles(dist)) {
            const rel = relative(dist, file).split(sep).join('/');
            if (rel === '404.html') continue;
            const content = searchableHtml(rel, await readFile(file, 'utf8'));
            if (content === null) continue;
            const added = await index.addHTMLFile({ url: `/${rel.replace(/(^|\/)index\.html$/, '$1')}`, content });
            problems.push(...added.errors.map((e) => `${rel}: ${e}`));
            pages++;
          }
          const { files, errors: getErrors } = await index.getFiles();
          problems.push(...getErrors);
          if (problems.length > 0) throw hopError('SearchIndexFailed', { problems });

          const out = join(dist, 'pagefind');
          await rm(out, { recursive: true, force: true });
          const kept: string[] = [];
          for (const f of files) {
            const path = f.path.split(sep).join('/');
            if (!KEEP(path)) continue;
            await mkdir(dirname(join(out, path)), { recursive: true });
            await writeFile(join(out, path), f.content);
            if (path !== 'pagefind.js') kept.push(path);
          }
          // Every page is lang="en", so the language-neutral wasm is never fetched; do not prefetch it.
          const prefetch = kept.includes('wasm.en.pagefind') ? kept.filter((f) => !/^wasm\.(?!en\.)/.test(f)) : kept;
          await writeFile(join(out, 'hop-files.json'), JSON.stringify(prefetch.sort()));
          logger.info(`Search index: ${pages} pages, ${kept.length} files in pagefind/`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
