/**
 * The grade report: what a run of a lab's hidden tests means for the learner, stage by stage.
 *
 * The shape follows Exercism's test-runner results.json v3 (version, status, message, tests with
 * task_id), so anything that reads those can read ours, plus our own fields: the lab, a summary
 * per stage, and the run's duration. BROWSER-SAFE: the WebContainer runtime imports this module,
 * so it depends on zod alone — no node: imports.
 */
import { z } from 'astro/zod';
import { hopError } from '../errors/catalogue.ts';
import type { LabStage, Runtime } from '../schemas/lab.ts';
import { stageTestFile } from '../schemas/lab.ts';
import { cleanMessage, cleanOutput, syntaxErrorAt } from './clean-text.ts';

const Status = z.enum(['pass', 'fail', 'error']);

export const TestReportSchema = z.object({
  name: z.string(),
  status: Status,
  message: z.string().optional(),
  /** Console output of the learner's code during this test, capped at about 2 KB. */
  output: z.string().optional(),
  /** 1-based stage number. */
  task_id: z.number().int().min(1),
  test_code: z.string().optional(),
});

export const StageReportSchema = z.object({
  /** 1-based, as in the test file name and task_id. */
  index: z.number().int().min(1),
  id: z.string(),
  title: z.string(),
  /** `skipped`: not supported by this runtime. `not-run`: not asked for, or the run stopped first. */
  status: z.enum(['pass', 'fail', 'error', 'skipped', 'not-run']),
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  note: z.string().optional(),
});

export const GradeReportSchema = z.object({
  version: z.literal(3),
  status: Status,
  message: z.string().optional(),
  tests: z.array(TestReportSchema),
  lab: z.string(),
  stages: z.array(StageReportSchema),
  /** Stages 1..uptoStage were asked for; later ones are `not-run`. */
  uptoStage: z.number().int().min(0),
  durationMs: z.number().min(0),
});

export type GradeReport = z.infer<typeof GradeReportSchema>;
export type TestReport = z.infer<typeof TestReportSchema>;
export type StageReport = z.infer<typeof StageReportSchema>;

/** The part of Vitest's JSON reporter output we read. */
export type VitestJson = { testResults: VitestFileResult[] };
export type VitestFileResult = { name: string; status: string; message: string; assertionResults: VitestTestResult[] };
export type VitestTestResult = { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] | null };

/** An error nothing caught, with the test Vitest says was running (file relative to the workspace). */
export type UnhandledError = { error: string; file: string | null; name: string | null };

/** Why a run ended before Vitest could finish it. */
export type Interruption =
  | { kind: 'test-timeout'; file: string; test: string; afterMs: number }
  | { kind: 'load-timeout'; file: string; afterMs: number }
  | { kind: 'run-timeout'; afterMs: number; file?: string; test?: string }
  | { kind: 'crash'; detail: string };

export type ReportInput = {
  slug: string;
  stages: ReadonlyArray<Pick<LabStage, 'id' | 'title' | 'runtimes' | 'runtimeNote'>>;
  /** Vitest's JSON output, or RunState.toVitestJson() when the run was killed; null if nothing came back. */
  results: VitestJson | null;
  /** Console output per test, keyed by testKey(). */
  output?: Readonly<Record<string, string>>;
  unhandled?: readonly UnhandledError[];
  /** Absolute path of the grading workspace, rewritten away in every message. */
  root?: string;
  uptoStage?: number;
  runtime?: Runtime;
  interruption?: Interruption;
  durationMs: number;
};

/** Identifies a test across Vitest's JSON output and our events: test file name plus test name. */
export function testKey(file: string, name: string): string {
  return `${file.split('/').pop()}::${name}`;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Converts one run's results into the report. Pure: the same input always gives the same report. */
export function buildReport(input: ReportInput): GradeReport {
  const upto = Math.min(input.uptoStage ?? input.stages.length, input.stages.length);
  const runtime = input.runtime ?? 'local';
  const fail = input.interruption;
  const tests: TestReport[] = [];
  const stages: StageReport[] = [];
  let topMessage: string | undefined;
  let blocker: StageReport | undefined;
  const root = input.root ?? rootOf(input.results);
  const clean = (text: string) => cleanMessage(text, root);
  const matched = new Set<UnhandledError>();

  const stopReason = (): string => {
    if (!fail) return 'the run ended early';
    if (fail.kind === 'test-timeout') return `the run was stopped when test '${fail.test}' never gave control back`;
    if (fail.kind === 'load-timeout') return 'the run was stopped while loading your code';
    if (fail.kind === 'run-timeout') return `the whole run took longer than ${seconds(fail.afterMs)} s`;
    return 'the test runner stopped unexpectedly';
  };

  input.stages.forEach((stage, i) => {
    const index = i + 1;
    const fileName = stageTestFile(i, stage.id);
    const base = { index, id: stage.id, title: stage.title, passed: 0, total: 0 };
    if (index > upto) {
      const asked = upto === 1 ? 'stage 1 only' : `stages 1–${upto}`;
      stages.push({ ...base, status: 'not-run', note: `Not graded this time: you asked for ${asked}.` });
      return;
    }
    if (stage.runtimes && !stage.runtimes.includes(runtime)) {
      const note = stage.runtimeNote ?? `This stage runs only in: ${stage.runtimes.join(', ')}.`;
      stages.push({ ...base, status: 'skipped', note });
      return;
    }
    const file = input.results?.testResults.find((f) => f.name.split('/').pop() === fileName);
    if (!file) {
      if (fail?.kind === 'load-timeout' && fail.file.endsWith(fileName)) {
        topMessage ??= hopError('LoadTimeout', { stage: index, stageId: stage.id, seconds: seconds(fail.afterMs) }).message;
        stages.push({ ...base, status: 'error', note: 'Your code did not finish loading.' });
      } else if (fail) {
        stages.push({ ...base, status: 'not-run', note: `Did not run: ${stopReason()}.` });
      } else {
        stages.push({ ...base, status: 'error', note: `No results came back for tests/${fileName}.` });
      }
      return;
    }
    const loadProblem = file.message ? clean(file.message) : '';
    if (file.assertionResults.length === 0 || loadProblem) {
      const syntax = syntaxErrorAt(loadProblem);
      topMessage ??= syntax
        ? hopError('LearnerSyntaxError', syntax).message
        : hopError('StageLoadFailed', { stage: index, stageId: stage.id, problem: loadProblem || 'the test file has no tests' }).message;
      const note = syntax ? `${syntax.file}:${syntax.line}:${syntax.column}: ${syntax.problem}` : loadProblem.split('\n')[0] || 'No tests.';
      stages.push({ ...base, status: 'error', note });
      return;
    }

    /** One test's status and message: a watchdog's verdict beats Vitest's, an uncaught error fails it. */
    const judge = (result: VitestTestResult, name: string, uncaught: UnhandledError[]): Pick<TestReport, 'status' | 'message'> => {
      const blamed = fail && (fail.kind === 'test-timeout' || fail.kind === 'run-timeout') && fail.test === name && fail.file?.endsWith(fileName);
      if (blamed && fail.kind === 'test-timeout') {
        return { status: 'fail', message: hopError('GradeTimeout', { stage: index, stageId: stage.id, test: name, seconds: seconds(fail.afterMs) }).message };
      }
      if (blamed) {
        const where = `stage ${index} (${stage.id}), test '${name}'`;
        return { status: 'fail', message: hopError('RunTimeout', { seconds: seconds(fail.afterMs), where }).message };
      }
      if (result.status === 'passed' && uncaught.length === 0) return { status: 'pass' };
      if (result.status === 'failed' || uncaught.length > 0) {
        const texts = [
          ...(result.failureMessages ?? []).map((m) => failureText(m, clean, index, stage.id, name)),
          ...uncaught.map((u) => hopError('UncaughtLearnerError', { error: clean(u.error) }).message),
        ];
        return { status: 'fail', message: texts.join('\n\n') || undefined };
      }
      return { status: 'error', message: hopError('NotRun', { reason: stopReason() }).message };
    };

    let passed = 0;
    let errored = false;
    let total = 0;
    for (const result of file.assertionResults) {
      if (result.status === 'skipped' && !fail) continue; // test.skip / test.todo in the suite itself
      if (result.status === 'todo') continue;
      total++;
      const name = [...result.ancestorTitles, result.title].join(' › ');
      const uncaught = (input.unhandled ?? []).filter(
        (u) => u.file?.split('/').pop() === fileName && u.name !== null && (u.name === name || name.endsWith(u.name)),
      );
      for (const u of uncaught) matched.add(u);
      const verdict = judge(result, name, uncaught);
      if (verdict.status === 'pass') passed++;
      if (verdict.status === 'error') errored = true;
      const output = input.output?.[testKey(fileName, name)];
      tests.push({
        name,
        status: verdict.status,
        ...(verdict.message ? { message: verdict.message } : {}),
        ...(output ? { output: cleanOutput(output, root) } : {}),
        task_id: index,
      });
    }

    // A test that failed outranks the ones that then could not run: the failure is what to fix.
    const failed = tests.some((t) => t.task_id === index && t.status === 'fail');
    const own: StageReport['status'] = failed ? 'fail' : errored ? 'error' : passed === total ? 'pass' : 'fail';
    const report: StageReport = { ...base, passed, total, status: own };
    if (own === 'pass' && blocker) {
      report.status = 'fail';
      report.note = `Its own tests pass, but stage ${blocker.index} (${blocker.title}) must pass first.`;
    }
    if (total === 0) {
      report.status = 'error';
      report.note = 'This stage has no tests to run.';
    }
    stages.push(report);
    if (report.status !== 'pass') blocker ??= report;
  });

  // An uncaught error we cannot pin on a test still means the learner's code crashed somewhere.
  const stray = (input.unhandled ?? []).find((u) => !matched.has(u));
  if (stray) topMessage ??= hopError('UncaughtLearnerError', { error: clean(stray.error) }).message;
  if (fail?.kind === 'crash') topMessage ??= hopError('GradeCrashed', { detail: clean(fail.detail) }).message;
  if (fail?.kind === 'run-timeout' && !fail.test) {
    topMessage ??= hopError('RunTimeout', { seconds: seconds(fail.afterMs), where: 'before any test was running' }).message;
  }

  const asked = stages.filter((s) => s.index <= upto);
  const status = topMessage ? 'error' : asked.every((s) => s.status === 'pass' || s.status === 'skipped') ? 'pass' : 'fail';
  return {
    version: 3,
    status,
    ...(topMessage ? { message: topMessage } : {}),
    tests,
    lab: input.slug,
    stages,
    uptoStage: upto,
    durationMs: Math.round(input.durationMs),
  };
}

/** A failure message, with Vitest's own test timeout rephrased for a learner. */
function failureText(raw: string, clean: (text: string) => string, stage: number, stageId: string, test: string): string {
  const timedOut = /^(?:Error: )?Test timed out in (\d+)ms/.exec(raw);
  if (timedOut) return hopError('TestTimeout', { stage, stageId, test, seconds: seconds(Number(timedOut[1])) }).message;
  return clean(raw);
}

/** The workspace root, from the absolute test file paths in Vitest's JSON output. */
function rootOf(results: VitestJson | null): string | undefined {
  const name = results?.testResults.find((f) => f.name.startsWith('/') && f.name.includes('/tests/'))?.name;
  return name?.slice(0, name.lastIndexOf('/tests/'));
}
