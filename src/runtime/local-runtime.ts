/**
 * The local runtime: the page posts the learner's files to the grader that `npm start` serves on
 * the same origin and reads back an NDJSON stream of output lines and, last, the report.
 */
import { GradeReportSchema, type GradeReport } from '../engine/report.ts';
import type { LabManifest } from '../schemas/lab.ts';
import { GRADE_PATH, HEALTH_PATH, type GradeRequest, type GradeStreamMessage, type HealthResponse } from './local-protocol.ts';
import type { LabRuntime, RunRequest, RuntimePhase } from './types.ts';

export type LocalRuntimeOptions = {
  /** Same-origin base URL; '' in the browser. */
  base?: string;
  fetch?: typeof fetch;
  /** How long the health probe may take before we decide there is no local grader. */
  probeTimeoutMs?: number;
};

/** Thrown when the grader answers with an error message instead of a report. */
export class RuntimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export function createLocalRuntime(opts: LocalRuntimeOptions = {}): LabRuntime {
  const base = opts.base ?? '';
  const doFetch = opts.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let ready: Promise<void> | undefined;

  async function probe(signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(opts.probeTimeoutMs ?? 2_000);
    const res = await doFetch(`${base}${HEALTH_PATH}`, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { Accept: 'application/json' },
    }).catch(() => undefined);
    // A static build answers from public/api/health ({"ok": false}: a 200, so the console shows
    // no failed request); other hosts may answer with their 404 page. Only npm start says ok.
    const body = res?.ok ? ((await res.json().catch(() => undefined)) as HealthResponse | undefined) : undefined;
    if (!body || body.ok !== true || body.runtime !== 'local') {
      throw new Error('No local grader answered on this site (it runs only when the course is started with `npm start`).');
    }
  }

  return {
    kind: 'local',
    label: 'This computer (npm start)',
    prepare({ signal, onPhase } = {}) {
      const notify = (p: RuntimePhase) => onPhase?.(p);
      ready ??= probe(signal).then(
        () => notify({ phase: 'ready' }),
        (err: Error) => {
          ready = undefined;
          notify({ phase: 'unavailable', reason: err.message });
          throw err;
        },
      );
      return ready;
    },
    async run(req: RunRequest): Promise<GradeReport> {
      const body: GradeRequest = { lab: req.lab, files: req.files, ...(req.uptoStage ? { uptoStage: req.uptoStage } : {}) };
      const res = await doFetch(`${base}${GRADE_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
        body: JSON.stringify(body),
        signal: req.signal,
      });
      if (!res.body) throw new RuntimeError('GradeCrashed', `The local grader answered ${res.status} with no body.`);
      let report: GradeReport | undefined;
      for await (const message of ndjson(res.body, req.signal)) {
        if (message.type === 'output') req.onOutput?.(message.text);
        else if (message.type === 'error') throw new RuntimeError(message.code, message.message);
        else report = GradeReportSchema.parse(message.report);
      }
      if (!report) throw new RuntimeError('GradeCrashed', 'The local grader stopped before sending a report. Is `npm start` still running?');
      return report;
    },
    unsupportedStages(manifest: LabManifest): Array<{ index: number; note: string }> {
      return stagesNotFor('local', manifest);
    },
    dispose() {},
  };
}

/** Parses a byte stream of newline-delimited JSON, one message at a time. */
export async function* ndjson(stream: ReadableStream<BufferSource>, signal?: AbortSignal): AsyncGenerator<GradeStreamMessage> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as GradeStreamMessage;
      }
    }
    if (buffer.trim()) yield JSON.parse(buffer) as GradeStreamMessage;
  } finally {
    reader.releaseLock();
  }
}

/** Stages the manifest marks as needing another runtime than `kind`. Shared by both runtimes. */
export function stagesNotFor(kind: 'local' | 'webcontainer', manifest: LabManifest): Array<{ index: number; note: string }> {
  return manifest.stages.flatMap((s, i) =>
    s.runtimes && !s.runtimes.includes(kind)
      ? [{ index: i + 1, note: s.runtimeNote ?? `Stage ${i + 1} runs only in: ${s.runtimes.join(', ')}.` }]
      : [],
  );
}
