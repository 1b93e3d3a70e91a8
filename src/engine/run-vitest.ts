/**
 * Runs the workspace's own Vitest once, under watchdogs, and always leaves nothing behind.
 *
 * Vitest's testTimeout catches a test that waits forever, but not one whose code never yields: a
 * `while (true) {}` in a learner's handler blocks the worker's event loop, so its timer never
 * fires and Vitest waits forever too. So we watch from outside: the reporter's events say which
 * test is running, and when one overstays testTimeout + grace (or the whole run overstays its
 * budget) we SIGKILL the process group — Vitest, its forked workers and anything learner code
 * started — and report from the events we already have.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventSplitter, RunState, type HopEvent } from './events.ts';
import { vitestArgs, watchdogVerdict, type Limits } from './plan.ts';
import type { Interruption, VitestJson } from './report.ts';

export type RunOutcome = {
  state: RunState;
  results: VitestJson | null;
  interruption?: Interruption;
};

const WATCH_EVERY_MS = 100;

/** Environment for the child: ours minus anything that would make the inner Vitest think it is nested. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|NODE_OPTIONS$|TSX_|NODE_ENV$)/.test(k)) env[k] = v;
  }
  // Every grade starts Vitest and Vite afresh; Node's on-disk code cache (Node 22.1+, ignored by
  // older ones) skips recompiling them, ~15% of an empty run. Node's own default folder, as
  // module.enableCompileCache() would pick; a variable already set, or NODE_DISABLE_COMPILE_CACHE,
  // wins. It grows by one small entry per grade (Vite's bundled config has a new name each time).
  // Learner code is not in it: Vitest evaluates that itself.
  env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'node-compile-cache');
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function runVitest(opts: {
  dir: string;
  /** Stage test files in run order, to name the one that hung while loading. */
  testFiles: string[];
  limits: Limits;
  signal?: AbortSignal;
  onEvent?: (event: HopEvent) => void;
  onText?: (text: string) => void;
  onSpawn?: (pid: number) => void;
}): Promise<RunOutcome> {
  const { dir, limits, signal } = opts;
  signal?.throwIfAborted();
  const state = new RunState();
  const splitter = new EventSplitter();
  let interruption: Interruption | undefined;
  let aborted = false;
  let stderrTail = '';

  const started = Date.now();
  state.lastProgress = started;
  // detached: the child leads a new process group, so one kill(-pid) reaches every worker.
  const child = spawn(process.execPath, vitestArgs(limits), { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);

  const take = (pieces: ReturnType<EventSplitter['push']>) => {
    for (const piece of pieces) {
      if ('event' in piece) {
        state.apply(piece.event, Date.now());
        opts.onEvent?.(piece.event);
        if (piece.event.t === 'log') opts.onText?.(piece.event.content);
      } else if (!piece.text.startsWith('JSON report written to')) {
        opts.onText?.(piece.text);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => take(splitter.push(chunk)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-8_000);
    opts.onText?.(chunk);
  });

  const stop = (why: Interruption) => {
    interruption ??= why;
    killGroup(child.pid);
  };
  const onAbort = () => {
    aborted = true;
    killGroup(child.pid);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const watchdog = setInterval(() => {
    const verdict = watchdogVerdict(state, { started, now: Date.now(), limits, testFiles: opts.testFiles });
    if (verdict) stop(verdict);
  }, WATCH_EVERY_MS);

  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      // 'close' waits for every holder of the pipes (workers included) to be gone…
      child.once('close', (code) => resolve(code));
      child.once('exit', (code) => {
        // …and the group kill makes sure they go. Something that escaped the group (a learner's
        // own detached child) could still hold a pipe, so stop waiting for 'close' after a while.
        killGroup(child.pid);
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve(code);
        }, 2_000).unref();
      });
    });
    take(splitter.flush());
    if (aborted) throw signal?.reason ?? new DOMException('The grading run was aborted.', 'AbortError');
    if (interruption) return { state, results: state.toVitestJson(), interruption };
    const results = await readResults(dir);
    if (results) return { state, results };
    const detail = stderrTail.trim().split('\n').slice(-12).join('\n') || `Vitest exited with code ${exitCode} and printed nothing.`;
    return { state, results: state.files.size > 0 ? state.toVitestJson() : null, interruption: { kind: 'crash', detail } };
  } finally {
    clearInterval(watchdog);
    signal?.removeEventListener('abort', onAbort);
    killGroup(child.pid);
  }
}

async function readResults(dir: string): Promise<VitestJson | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, '.hop', 'results.json'), 'utf8')) as VitestJson;
  } catch {
    return null;
  }
}
