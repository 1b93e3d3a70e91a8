/**
 * The file tabs above the editor (WAI-ARIA tabs pattern): one tab stop for the whole list, arrow
 * keys, Home and End move between files, and the selected tab follows store.activeFile.
 */
import { show } from './dom.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

export function mountTabs(list: HTMLElement, store: Store<WorkbenchState>): void {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  // One file needs no tab strip, but the name still labels the editor.
  show(list, true);
  list.dataset.single = String(tabs.length === 1);
  const select = (i: number, focus: boolean) => {
    const tab = tabs[(i + tabs.length) % tabs.length]!;
    store.set({ activeFile: tab.dataset.file! });
    if (focus) tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i, false));
    tab.addEventListener('keydown', (e) => {
      const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
      if (to === null) return;
      e.preventDefault();
      select(to, true);
    });
  });
  watch(
    store,
    (s) => s.activeFile,
    (active) => {
      for (const tab of tabs) {
        const on = tab.dataset.file === active;
        tab.setAttribute('aria-selected', String(on));
        tab.tabIndex = on ? 0 : -1;
      }
    },
  );
}
