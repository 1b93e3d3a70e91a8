/**
 * "Where your code runs": the runtime in use, progress while one starts, a switch when the other
 * one is possible, and — when none can run — every runtime tried with the reason it gave, plus
 * the way to grade from a terminal. Never a spinner with no end: each state has words.
 */
import { el, must, show } from './dom.ts';
import type { RuntimeController } from './runtimes.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';

function phaseDetail(s: WorkbenchState): string {
  const p = s.runtime.phase;
  if (!p) return '';
  if (p.phase === 'booting' || p.phase === 'running') return ` ${p.detail}`;
  if (p.phase === 'installing') return ` ${p.detail}${p.percent !== undefined ? ` (${Math.round(p.percent)}%)` : ''}`;
  return '';
}

export function mountRuntime(root: HTMLElement, store: Store<WorkbenchState>, controller: RuntimeController): void {
  const box = must<HTMLElement>(root, '[data-runtime]');
  const text = must<HTMLElement>(box, '[data-runtime-text]');
  const switcher = must<HTMLButtonElement>(box, '[data-runtime-switch]');
  const why = must<HTMLElement>(box, '[data-runtime-why]');
  const reasons = must<HTMLElement>(box, '[data-runtime-reasons]');

  must<HTMLButtonElement>(box, '[data-runtime-retry]').addEventListener('click', () => controller.retry());
  switcher.addEventListener('click', () => {
    const alt = store.get().runtime.alternative;
    if (alt) void controller.switchTo(alt.kind);
  });

  watch(
    store,
    (s) => [s.runtime, s.run.status] as const,
    () => {
      const s = store.get();
      const r = s.runtime;
      box.dataset.status = r.status;
      const trying = r.status === 'choosing' ? `Finding where your code can run…${phaseDetail(s)}` : '';
      text.textContent =
        r.status === 'ready'
          ? `Your code runs on: ${r.label}`
          : r.status === 'preparing'
            ? `Switching runtime…${phaseDetail(s)}`
            : r.status === 'unavailable'
              ? 'Your code cannot run on this page right now.'
              : trying;
      const alt = r.status === 'ready' ? r.alternative : undefined;
      show(switcher, Boolean(alt));
      switcher.disabled = s.run.status === 'running';
      if (alt) switcher.textContent = `Switch to ${alt.label}`;

      show(why, r.status === 'unavailable');
      if (r.status === 'unavailable') {
        reasons.replaceChildren(
          ...r.attempts.filter((a) => !a.ok).map((a) => el('li', {}, el('strong', {}, `${a.label}: `), a.reason ?? 'it did not start.')),
        );
      }
    },
  );
}
