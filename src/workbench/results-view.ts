/**
 * The stage checklist: each stage's status (icon and words, never colour alone), its tests with
 * ✓/✗, the failure message (expected vs received, as the grader wrote it) in a <pre>, and each
 * test's captured output behind a disclosure. The server rendered the list; this fills it in.
 */
import { el, must, show } from './dom.ts';
import { runtimeName, STATUS_ICON, statusText, when, type StageStatus } from './format.ts';
import type { WorkbenchState } from './state.ts';
import type { StageResult } from './storage.ts';
import { watch, type Store } from './store.ts';

/** "stage 1: forward a request › forwards GET" → "forwards GET": the stage is already the heading. */
export function shortTestName(name: string): string {
  return name.replace(/^stage \d+\b[^›]*›\s*/i, '');
}

function testsList(result: StageResult): HTMLElement {
  return el(
    'ul',
    { class: 'tests' },
    ...result.tests.map((t) =>
      el(
        'li',
        { class: `test test-${t.status}` },
        el('span', { class: 'test-icon', 'aria-hidden': 'true' }, t.status === 'pass' ? '✓' : '✗'),
        el('span', { class: 'visually-hidden' }, t.status === 'pass' ? 'Passed: ' : t.status === 'fail' ? 'Failed: ' : 'Error: '),
        el('span', { class: 'test-name' }, shortTestName(t.name)),
        t.message ? el('pre', { class: 'test-message' }, t.message) : null,
        t.output ? el('details', { class: 'test-output' }, el('summary', {}, 'Output while this test ran'), el('pre', {}, t.output)) : null,
      ),
    ),
  );
}

function renderStage(li: HTMLElement, index: number, state: WorkbenchState): void {
  const result = state.saved.lastResults[String(index)];
  const running = state.run.status === 'running' && (state.run.upto === 0 || index <= state.run.upto);
  const status: StageStatus = running ? 'running' : (result?.status ?? 'not-run');
  li.dataset.status = status;
  must<HTMLElement>(li, '[data-stage-icon]').textContent = STATUS_ICON[status];
  const meta = result && !running ? ` · ${when(result.at)} on ${runtimeName(result.runtime)}` : '';
  must<HTMLElement>(li, '[data-stage-status]').textContent = statusText(status, running ? undefined : result) + meta;

  // Local-only stages say so whatever runs the code; the line turns into a warning when the
  // runtime in use will skip the stage.
  const unsupported = state.runtime.unsupported.find((u) => u.index === index);
  const runtimeLine = must<HTMLElement>(li, '[data-stage-runtime]');
  const localOnly = runtimeLine.dataset.localOnly !== undefined;
  if (state.runtime.kind) {
    show(runtimeLine, localOnly || Boolean(unsupported));
    runtimeLine.dataset.tone = unsupported ? 'warn' : 'info';
    if (unsupported) runtimeLine.textContent = `Runs only locally, so ${runtimeName(state.runtime.kind)} skips it. ${unsupported.note}`;
    else if (localOnly) runtimeLine.textContent = `Runs only locally (your code runs on ${runtimeName(state.runtime.kind)}, so it runs). ${runtimeLine.dataset.note ?? ''}`;
  }

  const note = must<HTMLElement>(li, '[data-stage-note]');
  const noteText = !running && result?.note && result.note !== unsupported?.note ? result.note : '';
  note.textContent = noteText;
  show(note, Boolean(noteText));

  const holder = must<HTMLElement>(li, '[data-stage-tests]');
  holder.replaceChildren();
  if (result && result.tests.length > 0) {
    const failing = result.tests.filter((t) => t.status !== 'pass').length;
    const details = el(
      'details',
      { class: 'stage-tests', open: failing > 0 && !running },
      el('summary', {}, `Tests: ${result.tests.length - failing} of ${result.tests.length} pass${running ? ' (last run)' : ''}`),
      testsList(result),
    );
    holder.append(details);
  }
  show(holder, holder.childElementCount > 0);
}

export function mountResults(root: HTMLElement, store: Store<WorkbenchState>): void {
  const items = [...root.querySelectorAll<HTMLElement>('[data-stage]')];
  const message = must<HTMLElement>(root, '[data-run-message]');
  watch(
    store,
    (s) => [s.saved.lastResults, s.run, s.runtime.unsupported, s.runtime.kind] as const,
    () => {
      const s = store.get();
      items.forEach((li) => renderStage(li, Number(li.dataset.stage), s));
    },
  );
  watch(
    store,
    (s) => s.run.message,
    (m) => {
      show(message, Boolean(m));
      message.dataset.tone = m?.tone ?? '';
      message.textContent = m?.text ?? '';
    },
  );
}
