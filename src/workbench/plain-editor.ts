/**
 * A plain <textarea> editor: what the learner types into before Monaco has loaded (it is several
 * megabytes), and what stays if Monaco cannot load. Everything goes through the store, so
 * switching to Monaco later keeps every keystroke.
 */
import { el } from './dom.ts';
import { withFile } from './saved-lab.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

export type EditorView = { dispose(): void; focus(): void };

export function mountPlainEditor(host: HTMLElement, store: Store<WorkbenchState>): EditorView {
  const area = el('textarea', {
    class: 'editor-plain',
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    'aria-describedby': 'editor-help',
  });
  host.append(area);
  area.addEventListener('input', () => {
    const name = store.get().activeFile;
    store.set((s) => ({ saved: withFile(s.saved, name, area.value) }));
  });
  const stop = watch(
    store,
    (s) => [s.activeFile, s.saved.files[s.activeFile]] as const,
    ([name, text]) => {
      area.setAttribute('aria-label', `${name}: your code`);
      if (area.value !== (text ?? '')) area.value = text ?? '';
    },
  );
  return {
    dispose() {
      stop();
      area.remove();
    },
    focus: () => area.focus(),
  };
}
