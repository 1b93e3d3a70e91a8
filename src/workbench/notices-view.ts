/** Notices about the learner's saved code and the page itself; each can be dismissed. */
import { el } from './dom.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

export function mountNotices(box: HTMLElement, store: Store<WorkbenchState>): void {
  watch(
    store,
    (s) => s.notices,
    (notices) => {
      box.replaceChildren(
        ...notices.map((n) => {
          const dismiss = el('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Dismiss this notice' }, 'Dismiss');
          dismiss.addEventListener('click', () => store.set((s) => ({ notices: s.notices.filter((x) => x.id !== n.id) })));
          return el('div', { class: 'notice', 'data-tone': n.tone, role: n.tone === 'warn' ? 'alert' : 'status' }, el('p', {}, n.text), dismiss);
        }),
      );
      box.hidden = notices.length === 0;
    },
  );
}
