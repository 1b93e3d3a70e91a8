/**
 * Picks where a lab runs. The local grader wins when `npm start` serves the page (real Node, every
 * stage including UDP); otherwise a WebContainer boots in the tab. When neither can work, the
 * reasons are collected so the page can say exactly why within seconds and offer the CLI.
 */
import type { LabRuntime, RuntimeKind, RuntimePhase } from './types.ts';

export type RuntimeAttempt = { kind: RuntimeKind; label: string; ok: boolean; reason?: string };

export type RuntimeChoice =
  | { ok: true; runtime: LabRuntime; attempts: RuntimeAttempt[] }
  | { ok: false; attempts: RuntimeAttempt[] };

/**
 * Tries each runtime's prepare() in order (the preferred kind first) and returns the first that
 * works. Only one is prepared at a time: a WebContainer is not booted when the local grader answers.
 */
export async function chooseRuntime(
  runtimes: LabRuntime[],
  opts: {
    preferred?: RuntimeKind;
    signal?: AbortSignal;
    onAttempt?: (a: RuntimeAttempt) => void;
    /** Progress of the runtime being prepared (a WebContainer's boot and install take a while). */
    onPhase?: (kind: RuntimeKind, phase: RuntimePhase) => void;
  } = {},
): Promise<RuntimeChoice> {
  const ordered = [...runtimes].sort((a, b) => Number(b.kind === opts.preferred) - Number(a.kind === opts.preferred));
  const attempts: RuntimeAttempt[] = [];
  for (const runtime of ordered) {
    opts.signal?.throwIfAborted();
    try {
      await runtime.prepare({ signal: opts.signal, onPhase: (p) => opts.onPhase?.(runtime.kind, p) });
      const ok: RuntimeAttempt = { kind: runtime.kind, label: runtime.label, ok: true };
      attempts.push(ok);
      opts.onAttempt?.(ok);
      return { ok: true, runtime, attempts };
    } catch (err) {
      opts.signal?.throwIfAborted();
      const failed: RuntimeAttempt = { kind: runtime.kind, label: runtime.label, ok: false, reason: (err as Error).message };
      attempts.push(failed);
      opts.onAttempt?.(failed);
    }
  }
  return { ok: false, attempts };
}
