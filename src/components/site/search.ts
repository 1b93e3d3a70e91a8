/**
 * The search dialog's behaviour, loaded the first time search opens (see Search.astro).
 *
 * Pagefind's browser API (/pagefind/pagefind.js, written by src/integrations/pagefind.ts) does the
 * searching in this page's thread. So that search keeps working offline once it has been opened,
 * every index file listed in /pagefind/hop-files.json is fetched into memory up front and handed to
 * Pagefind from there: a small fetch wrapper answers only those exact /pagefind/ URLs and passes
 * every other request through untouched.
 */

type PagefindResultData = { url: string; excerpt: string; meta: { title?: string } };
type PagefindSearch = { results: { id: string; data: () => Promise<PagefindResultData> }[] } | null;
type Pagefind = {
  options: (o: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  debouncedSearch: (term: string, options?: Record<string, unknown>, ms?: number) => Promise<PagefindSearch>;
};

const BASE = '/pagefind/';
const SHOWN = 8;

const memory = new Map<string, { body: ArrayBuffer; type: string }>();
let wrapped = false;

function wrapFetch(): void {
  if (wrapped) return;
  wrapped = true;
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, location.href);
    const hit = url.origin === location.origin && url.pathname.startsWith(BASE) ? memory.get(url.pathname) : undefined;
    if (hit) return Promise.resolve(new Response(hit.body.slice(0), { status: 200, headers: { 'Content-Type': hit.type } }));
    return original(input, init);
  };
}

/** Fetches the whole index into memory. Resolves to false when the list is missing (e.g. `astro dev`). */
async function keepIndexInMemory(): Promise<boolean> {
  const list = await fetch(`${BASE}hop-files.json`).then((r) => (r.ok ? (r.json() as Promise<string[]>) : null)).catch(() => null);
  if (!list) return false;
  await Promise.all(
    list.map(async (file) => {
      const path = `${BASE}${file}`;
      const response = await fetch(path);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      memory.set(path, { body: await response.arrayBuffer(), type: response.headers.get('Content-Type') ?? 'application/octet-stream' });
    }),
  );
  wrapFetch();
  return true;
}

function kindOf(url: string): string {
  if (url.startsWith('/lessons/')) return 'Lesson';
  if (url.startsWith('/labs/')) return 'Lab';
  if (url.startsWith('/glossary/')) return 'Glossary';
  return 'Page';
}

/** Pagefind's excerpt is escaped text plus <mark>; rebuild it from text nodes so nothing else can get in. */
function excerptNodes(html: string): Node[] {
  const nodes: Node[] = [];
  for (const part of html.split(/(<mark>.*?<\/mark>)/g)) {
    if (!part) continue;
    const marked = /^<mark>(.*)<\/mark>$/.exec(part);
    // An inert <template> decodes the entities (and keeps the spaces a full HTML parse would drop).
    const decoder = document.createElement('template');
    decoder.innerHTML = marked ? marked[1]! : part;
    const text = decoder.content.textContent ?? '';
    if (marked) {
      const m = document.createElement('mark');
      m.textContent = text;
      nodes.push(m);
    } else nodes.push(document.createTextNode(text));
  }
  return nodes;
}

export async function startSearch(dialog: HTMLDialogElement): Promise<void> {
  const input = dialog.querySelector<HTMLInputElement>('[data-search-input]')!;
  const status = dialog.querySelector<HTMLElement>('[data-search-status]')!;
  const list = dialog.querySelector<HTMLOListElement>('[data-search-results]')!;

  const links = () => [...list.querySelectorAll<HTMLAnchorElement>('a')];

  // Keyboard: ↓ from the field to the first result, ↓/↑ between results, ↑ from the first back to the field.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = links();
    if (all.length === 0) return;
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    let next: HTMLElement | undefined;
    if (event.key === 'ArrowDown') next = at === -1 ? all[0] : all[Math.min(at + 1, all.length - 1)];
    else next = at <= 0 ? input : all[at - 1];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  // Enter in the field opens the first result.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) {
      const first = links()[0];
      if (first) {
        event.preventDefault();
        first.click();
      }
    }
  });
  dialog.addEventListener('close', () => {
    // Leave the text, so reopening continues where the learner was.
    dialog.removeAttribute('data-state');
  });

  status.textContent = 'Loading the search index…';
  dialog.dataset.state = 'loading';
  let pagefind: Pagefind;
  try {
    const url = `${BASE}pagefind.js`;
    pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pagefind.options({ noWorker: true, excerptLength: 22 });
    await pagefind.init();
  } catch (err) {
    status.textContent = 'There is no search index here. Search works on the built site (npm run build, then npm start).';
    dialog.dataset.state = 'unavailable';
    console.warn('Search index unavailable:', err);
    return;
  }
  status.textContent = input.value.trim() ? '' : 'Type to search every lesson, lab and glossary term.';
  dialog.dataset.state = 'ready';
  // In the background: keep the index in memory so search also works with the connection gone.
  keepIndexInMemory()
    .then((kept) => {
      if (kept) dialog.dataset.offline = 'ready';
    })
    .catch((err: unknown) => console.warn('Search index not kept for offline use:', err));

  let latest = 0;
  const run = async () => {
    const term = input.value.trim();
    const ticket = ++latest;
    if (!term) {
      list.replaceChildren();
      status.textContent = 'Type to search every lesson, lab and glossary term.';
      return;
    }
    const search = await pagefind.debouncedSearch(term, {}, 120);
    if (search === null || ticket !== latest) return; // a newer keystroke took over
    const data = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
    if (ticket !== latest) return;
    list.replaceChildren(
      ...data.map((d) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = d.url;
        const kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = kindOf(d.url);
        const title = document.createElement('span');
        title.className = 'title';
        title.textContent = d.meta.title ?? d.url;
        const excerpt = document.createElement('span');
        excerpt.className = 'excerpt';
        excerpt.append(...excerptNodes(d.excerpt));
        a.append(kind, title, excerpt);
        li.append(a);
        return li;
      }),
    );
    const n = search.results.length;
    status.textContent =
      n === 0
        ? `Nothing found for “${term}”. Try a shorter or different word.`
        : `${n} ${n === 1 ? 'result' : 'results'} for “${term}”${n > SHOWN ? `, showing the best ${SHOWN}` : ''}.`;
  };
  input.addEventListener('input', () => void run());
  if (input.value.trim()) void run();
}
