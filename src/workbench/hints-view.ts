/**
 * Hints, one at a time. Without JavaScript every hint is a closed <details>; with it, only the
 * hints already asked for are there (opened), and a button asks for the next. How many a
 * learner opened is saved, so a reload does not hide what they already read.
 */
import { must, show } from './dom.ts';
import { withHintShown } from './saved-lab.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

export function mountHints(root: HTMLElement, store: Store<WorkbenchState>): void {
  for (const box of root.querySelectorAll<HTMLElement>('[data-stage]')) {
    const stage = Number(box.dataset.stage);
    const hints = [...box.querySelectorAll<HTMLDetailsElement>('[data-hint]')];
    const next = must<HTMLButtonElement>(box, '[data-hint-next]');
    let rendered = -1;
    next.addEventListener('click', () => {
      store.set((s) => ({ saved: withHintShown(s.saved, stage, hints.length) }));
      // Move focus to the hint just revealed, so it is read and Tab continues from there.
      hints[(store.get().saved.hintsShown[String(stage)] ?? 1) - 1]?.querySelector('summary')?.focus();
    });
    watch(
      store,
      (s) => s.saved.hintsShown[String(stage)] ?? 0,
      (shown) => {
        hints.forEach((d, i) => {
          show(d, i < shown);
          // Open only the newly revealed one; leave the learner's own open/closed choices alone.
          if (i >= rendered && i < shown && rendered >= 0) d.open = true;
          if (rendered < 0 && i < shown) d.open = i === shown - 1;
        });
        rendered = shown;
        show(next, shown < hints.length);
        next.textContent = shown === 0 ? `Show a hint (1 of ${hints.length})` : `Show hint ${shown + 1} of ${hints.length}`;
      },
    );
  }
}
