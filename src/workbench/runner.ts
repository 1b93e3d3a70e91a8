/**
 * Pressing Run: sends the learner's files to the runtime in use, streams what it prints into the
 * output log, and records the report. One run at a time: a new run cancels the one it replaces,
 * and Cancel aborts through the same AbortController (the runtime then stops its processes).
 */
import { RuntimeError } from '../runtime/local-runtime.ts';
import type { GradeReport } from '../engine/report.ts';
import type { Announcer } from './announcer.ts';
import type { OutputLog } from './output-log.ts';
import type { RuntimeController } from './runtimes.ts';
import { withReport } from './saved-lab.ts';
import { gradedFiles, type WorkbenchState } from './state.ts';
import type { Store } from './store.ts';

class Replaced extends Error {
  constructor() {
    super('Replaced by a newer run.');
    this.name = 'Replaced';
  }
}
class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'Cancelled';
  }
}

export type Runner = { run(upto?: number): Promise<void>; cancel(): void };

export function summarize(report: GradeReport): string {
  const asked = report.stages.filter((s) => s.status !== 'not-run');
  const parts = asked.map((s) => {
    const what = s.status === 'pass' ? 'passed' : s.status === 'fail' ? 'failed' : s.status === 'skipped' ? 'skipped' : 'could not run';
    return `Stage ${s.index} ${what}${s.total ? ` (${s.passed} of ${s.total} tests)` : ''}`;
  });
  return `${parts.join('. ')}.`;
}

export function createRunner(store: Store<WorkbenchState>, runtimes: RuntimeController, log: OutputLog, announce: Announcer): Runner {
  let inFlight: AbortController | undefined;

  return {
    async run(upto = store.get().upto) {
      inFlight?.abort(new Replaced());
      const controller = new AbortController();
      inFlight = controller;
      const { slug, manifest } = store.get().data;
      const asked = upto > 0 ? (upto === 1 ? 'stage 1' : `stages 1–${upto}`) : 'all stages';
      store.set({ run: { status: 'running', upto, startedAt: performance.now() } });
      log.clear();
      log.append(`▶ Running ${asked} of ${slug}…\n`);
      announce(`Running ${asked}…`);
      try {
        const runtime = await runtimes.ready();
        controller.signal.throwIfAborted();
        if (!runtime) throw new RuntimeError('NoRuntime', 'Nothing can run your code on this page right now; see "Where your code runs" above for why, or grade it from a terminal.');
        const report = await runtime.run({
          lab: slug,
          manifest,
          files: gradedFiles(store.get()),
          ...(upto > 0 ? { uptoStage: upto } : {}),
          signal: controller.signal,
          onOutput: (text) => {
            if (inFlight === controller) log.append(text);
          },
        });
        if (inFlight !== controller) return;
        const took = performance.now() - (store.get().run.startedAt ?? 0);
        const summary = summarize(report);
        store.set((s) => ({
          saved: withReport(s.saved, report, runtime.kind),
          run: {
            status: 'idle',
            upto,
            message: report.message
              ? { tone: 'error', text: report.message }
              : report.status === 'pass'
                ? { tone: 'good', text: `Every stage you ran passes. ${summary}` }
                : undefined,
          },
        }));
        log.append(`\n■ Finished in ${(took / 1000).toFixed(1)} s. ${summary}\n`);
        announce(report.message ? `${summary} ${report.message.split('\n')[0]}` : summary);
        // For anything timing or reacting to runs (the e2e measurements use it).
        document.dispatchEvent(new CustomEvent('hop:run-finished', { detail: { ms: took, status: report.status } }));
      } catch (err) {
        if (inFlight !== controller) return; // a newer run took over; it reports for itself
        const reason = controller.signal.aborted ? controller.signal.reason : err;
        if (reason instanceof Replaced) return;
        const cancelled = reason instanceof Cancelled;
        const text = cancelled ? 'Run cancelled. Nothing was graded.' : (err as Error).message || String(err);
        store.set({ run: { status: 'idle', upto, message: { tone: cancelled ? 'info' : 'error', text } } });
        log.append(`\n■ ${text}\n`);
        announce(text);
      } finally {
        if (inFlight === controller) inFlight = undefined;
      }
    },
    cancel() {
      inFlight?.abort(new Cancelled());
    },
  };
}
