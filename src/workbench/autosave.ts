/**
 * Saves the learner's work ~400 ms after the last change (not on every keystroke: JSON of a few
 * files per key press adds up), and at once when the tab is hidden or closed, so nothing typed
 * in the last moment is lost.
 */
import type { WorkbenchState } from './state.ts';
import { writeSaved, type StorageLike } from './storage.ts';
import type { Store } from './store.ts';

export const SAVE_DELAY_MS = 400;

export function startAutosave(store: Store<WorkbenchState>, storage: StorageLike, delay = SAVE_DELAY_MS): { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  let warned = false;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    pending = false;
    const s = store.get();
    if (!s.canSave) return;
    const problem = writeSaved(storage, s.saved);
    if (problem && !warned) {
      warned = true; // once per page: the notice stays until dismissed
      store.set((st) => ({ notices: [...st.notices, { id: 'save-failed', tone: 'warn', text: problem }] }));
    } else if (!problem) warned = false;
  };
  store.subscribe((s, prev) => {
    if (s.saved === prev.saved) return;
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  });
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  return { flush };
}
