/**
 * Run, Cancel and the stage picker; Reset (asks first, undoable), Undo reset, Reveal solution
 * (asks first), Download my code. Buttons reflect the state; they never hold state themselves.
 */
import type { Announcer } from './announcer.ts';
import { downloadFiles } from './download.ts';
import { el, must, show } from './dom.ts';
import type { Runner } from './runner.ts';
import { withReset, withUndoneReset } from './saved-lab.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

type Deps = {
  store: Store<WorkbenchState>;
  runner: Runner;
  confirm: (o: { title: string; text: string; confirm: string }) => Promise<boolean>;
  announce: Announcer;
  diffHost: HTMLElement;
};

export function mountControls(root: HTMLElement, { store, runner, confirm, announce, diffHost }: Deps): void {
  const run = must<HTMLButtonElement>(root, '[data-run]');
  const cancel = must<HTMLButtonElement>(root, '[data-cancel]');
  const upto = must<HTMLSelectElement>(root, '[data-upto]');
  const reset = must<HTMLButtonElement>(root, '[data-reset]');
  const undo = must<HTMLButtonElement>(root, '[data-undo-reset]');
  const reveal = root.querySelector<HTMLButtonElement>('[data-reveal]');
  const hide = must<HTMLButtonElement>(root, '[data-hide-solution]');
  const download = must<HTMLButtonElement>(root, '[data-download]');
  for (const group of root.querySelectorAll<HTMLElement>('[data-controls]')) show(group, true);

  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
  for (const hint of root.querySelectorAll<HTMLElement>('[data-run-shortcut]')) hint.textContent = isMac ? '⌘ Enter' : 'Ctrl+Enter';
  for (const hint of root.querySelectorAll<HTMLElement>('[data-tab-key]')) hint.textContent = isMac ? 'Ctrl+Shift+M' : 'Ctrl+M';

  run.addEventListener('click', () => void runner.run());
  cancel.addEventListener('click', () => runner.cancel());
  upto.addEventListener('change', () => store.set({ upto: Number(upto.value) }));
  // Ctrl/Cmd+Enter anywhere in the workbench. Monaco handles its own copy and prevents the default.
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
    e.preventDefault();
    void runner.run();
  });

  reset.addEventListener('click', async () => {
    const ok = await confirm({
      title: 'Reset to the starter code?',
      text: 'Your files go back to how the lab started. Your current code is kept: "Undo reset" brings it back.',
      confirm: 'Reset my code',
    });
    if (!ok) return;
    store.set((s) => ({ saved: withReset(s.saved, s.data.starter) }));
    announce('Your code was reset to the starter. Undo reset is available.');
    undo.focus();
  });
  undo.addEventListener('click', () => {
    store.set((s) => ({ saved: withUndoneReset(s.saved) }));
    announce('Your code from before the reset is back.');
    reset.focus();
  });

  reveal?.addEventListener('click', async () => {
    const ok = await confirm({
      title: 'Show the solution?',
      text: 'The reference solution opens beside your code, read-only. Working a stage out yourself is how it sticks: try the hints first.',
      confirm: 'Show the solution',
    });
    if (!ok) return;
    store.set({ solution: { status: 'loading' } });
    try {
      const res = await fetch(`/labs/${store.get().data.slug}/solution.json`);
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const { files } = (await res.json()) as { files: Record<string, string> };
      store.set({ solution: { status: 'shown', files } });
      announce('The solution is shown beside your code, read-only.');
      hide.focus();
    } catch (err) {
      store.set({ solution: { status: 'hidden', error: `The solution could not be loaded: ${(err as Error).message}.` } });
    }
  });
  hide.addEventListener('click', () => {
    store.set({ solution: { status: 'hidden' } });
    reveal?.focus();
  });

  download.addEventListener('click', () => {
    const s = store.get();
    downloadFiles(s.data.slug, s.saved.files);
    announce(`Downloading ${s.data.slug}-my-code.zip.`);
  });

  watch(
    store,
    (s) => [s.run.status, s.runtime.status, s.upto] as const,
    ([status, runtime, n]) => {
      const running = status === 'running';
      show(cancel, running);
      // The label stays "Run": pressing it mid-run starts over with the current code.
      run.setAttribute('aria-busy', String(running));
      // Running again while running restarts the run; only "no runtime at all" disables Run.
      run.disabled = runtime === 'unavailable';
      upto.value = String(n);
    },
  );
  watch(
    store,
    (s) => [s.saved.undo, s.solution, s.editor, s.activeFile] as const,
    ([buffer, solution, editor, active]) => {
      show(undo, buffer !== null);
      if (reveal) {
        show(reveal, solution.status !== 'shown');
        reveal.disabled = solution.status === 'loading';
      }
      show(hide, solution.status === 'shown');
      const error = must<HTMLElement>(root, '[data-solution-error]');
      error.textContent = solution.error ?? '';
      show(error, Boolean(solution.error));
      // Without Monaco the solution is a plain read-only listing under the editor.
      for (const plain of diffHost.querySelectorAll('.solution-plain, .solution-label')) plain.remove();
      if (editor !== 'monaco') {
        show(diffHost, solution.status === 'shown');
        if (solution.status === 'shown') {
          diffHost.append(el('p', { class: 'solution-label' }, `Solution: ${active} (read-only)`), el('pre', { class: 'solution-plain', tabindex: 0 }, solution.files?.[active] ?? ''));
        }
      }
    },
  );
}
