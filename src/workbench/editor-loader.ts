/**
 * The editor slot: a textarea at once (so the learner can type straight away), then Monaco once
 * the page has painted and the main thread is idle. Monaco is a dynamic import, so its megabytes
 * are neither in the page's first script nor on any page without a lab.
 */
import { mountPlainEditor, type EditorView } from './plain-editor.ts';
import type { WorkbenchState } from './state.ts';
import type { Store } from './store.ts';

export function mountEditor(host: HTMLElement, diffHost: HTMLElement, store: Store<WorkbenchState>, onRun: () => void): { focus(): void } {
  for (const fallback of host.querySelectorAll('[data-editor-fallback]')) fallback.remove();
  let view: EditorView = mountPlainEditor(host, store);
  host.dataset.editor = 'plain';

  async function load() {
    store.set({ editor: 'loading' });
    host.dataset.editor = 'loading';
    try {
      const { mountMonaco } = await import('./monaco-editor.ts');
      const hadFocus = host.contains(document.activeElement);
      const monaco = mountMonaco(host, diffHost, store, onRun);
      view.dispose();
      view = monaco;
      if (hadFocus) view.focus();
      store.set({ editor: 'monaco' });
      host.dataset.editor = 'monaco';
    } catch (err) {
      console.error(err);
      host.dataset.editor = 'plain';
      store.set((s) => ({
        editor: 'failed',
        notices: [
          ...s.notices,
          { id: 'editor-failed', tone: 'warn', text: `The code editor could not load (${(err as Error).message}). You can keep working in the plain text box; your code is saved and runs the same.` },
        ],
      }));
    }
  }

  const schedule = () => {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 50));
    idle(() => void load(), { timeout: 1_500 });
  };
  if (document.readyState === 'complete') schedule();
  else addEventListener('load', schedule, { once: true });

  return { focus: () => view.focus() };
}
