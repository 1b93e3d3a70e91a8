/** The /progress/ page: export, import (validated, merged) and reset (asked first, in a <dialog>). */
import { HopError } from '../errors/catalogue.ts';
import { mergeProgress, progressFileName, readProgressFile, toProgressFile } from './file.ts';
import { renderParts } from './messages.ts';
import type { PageState } from './page.ts';
import { resetLessons } from './store.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function startProgressPage(root: HTMLElement, state: PageState): void {
  const exportButton = root.querySelector<HTMLButtonElement>('[data-export]')!;
  const importInput = root.querySelector<HTMLInputElement>('[data-import]')!;
  const resetButton = root.querySelector<HTMLButtonElement>('[data-reset]')!;
  const dialog = root.querySelector<HTMLDialogElement>('[data-reset-dialog]')!;
  const status = root.querySelector<HTMLElement>('[data-progress-status]')!;
  const problem = root.querySelector<HTMLElement>('[data-progress-problem]')!;
  const asides = root.querySelector<HTMLElement>('[data-set-aside]');

  const say = (message: string) => {
    problem.hidden = true;
    problem.replaceChildren();
    // Cleared first so the same message twice is announced twice.
    status.textContent = '';
    requestAnimationFrame(() => (status.textContent = message));
  };

  exportButton.addEventListener('click', () => {
    const now = Date.now();
    const file = toProgressFile(state.current(), now);
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = progressFileName(now);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(`Saved ${a.download}. Import it on this page in any browser to carry your progress over.`);
  });

  importInput.addEventListener('change', async () => {
    const chosen = importInput.files?.[0];
    if (!chosen) return;
    try {
      const file = readProgressFile(await chosen.text(), chosen.name);
      let summary = { lessonsRead: 0, answers: 0 };
      state.update((p) => {
        const merged = mergeProgress(p, file);
        summary = merged.summary;
        return merged.progress;
      });
      say(`Imported ${chosen.name}: ${plural(summary.lessonsRead, 'lesson')} read and ${plural(summary.answers, 'answer')}, added to what this browser already had.`);
    } catch (err) {
      status.textContent = '';
      if (err instanceof HopError) renderParts(problem, err.parts);
      else problem.textContent = `That file could not be read: ${(err as Error).message}`;
      problem.hidden = false;
    } finally {
      // The same file can be chosen again after fixing it.
      importInput.value = '';
    }
  });

  resetButton.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'reset') {
      resetButton.focus();
      return;
    }
    state.update(resetLessons);
    say('Your progress was reset. Lab code and lab results were not touched.');
    resetButton.focus();
  });

  const showAsides = () => {
    if (!asides) return;
    const list = state.current().setAside;
    const ul = asides.querySelector('ul')!;
    ul.replaceChildren(
      ...list.map((s) => {
        const li = document.createElement('li');
        const code = document.createElement('code');
        code.textContent = s.key;
        li.append(code, ` — ${s.problem} (${new Date(s.at).toLocaleString()})`);
        return li;
      }),
    );
    asides.hidden = list.length === 0;
  };
  document.addEventListener('hop:progress', showAsides);
  showAsides();
  root.hidden = false;
  const noJs = document.querySelector<HTMLElement>('[data-progress-nojs]');
  if (noJs) noJs.hidden = true;
}
