import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { EventSplitter, RunState } from '../../../src/engine/events.ts';
import { buildReport, GradeReportSchema, type ReportInput, type VitestJson } from '../../../src/engine/report.ts';
import { manifest, sample, SAMPLES } from './helpers.ts';

// The samples are real Vitest 4 output from the lab workspace, captured from the echo-upper
// fixture lab: its starter (everything fails), a "mixed" learner file (stage 2 broken, with an
// uncaught throw in the handler), and a learner file with a syntax error.
const stages = manifest().stages;
const starter = sample<VitestJson>('vitest-starter.json');
const mixed = sample<VitestJson>('vitest-mixed.json');
const syntax = sample<VitestJson>('vitest-syntax-error.json');

function mixedEvents(): RunState {
  const state = new RunState();
  const text = readFileSync(path.join(SAMPLES, 'events-mixed.txt'), 'utf8');
  for (const piece of new EventSplitter().push(text)) if ('event' in piece) state.apply(piece.event, 0);
  return state;
}

const report = (input: Partial<ReportInput>) => buildReport({ slug: 'echo-upper', stages, results: null, durationMs: 1234, ...input });

describe('buildReport', () => {
  test('lists tests in stage order, each tagged with its 1-based stage number', () => {
    const r = report({ results: starter });
    expect(r.tests.map((t) => [t.task_id, t.status])).toEqual([[1, 'fail'], [2, 'fail'], [2, 'fail'], [3, 'fail']]);
    expect(r.stages.map((s) => [s.index, s.id, s.status, s.passed, s.total])).toEqual([
      [1, 'respond', 'fail', 0, 1],
      [2, 'echo', 'fail', 0, 2],
      [3, 'shout', 'fail', 0, 1],
    ]);
    expect(() => GradeReportSchema.parse(r)).not.toThrow();
  });

  test('keeps expected-vs-received but drops temp paths, Vitest frames and jargon', () => {
    const message = report({ results: starter }).tests[0]!.message!;
    expect(message).toMatchInlineSnapshot(`
      "  Sent:     GET /health
        Expected: 200 ok
        Received: 501 not implemented yet
      : expected 501 to be 200
          at tests/01-respond.test.ts:8:116"
    `);
    expect(message).not.toMatch(/\/tmp\/|node_modules|node:internal|AssertionError|Object\.is/);
  });

  test('fails a stage whose own tests pass while an earlier stage fails', () => {
    const state = mixedEvents();
    const r = report({ results: mixed, output: state.outputByTest(), unhandled: state.unhandled });
    expect(r.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'fail']);
    expect(r.stages[2]).toMatchObject({ passed: 1, total: 1, note: 'Its own tests pass, but stage 2 (Echo the body) must pass first.' });
    expect(r.status).toBe('fail');
  });

  test('passes when every asked stage passes and marks later stages not run', () => {
    const r = report({ results: mixed, uptoStage: 1 });
    expect(r.status).toBe('pass');
    expect(r.stages.map((s) => s.status)).toEqual(['pass', 'not-run', 'not-run']);
    expect(r.stages[1]!.note).toBe('Not graded this time: you asked for stage 1 only.');
  });

  test('pins an uncaught error in the learner handler on its test, with learner-relative frames', () => {
    const state = mixedEvents();
    const echo = report({ results: mixed, unhandled: state.unhandled }).tests[1]!;
    expect(echo.status).toBe('fail');
    expect(echo.message).toContain('[UncaughtLearnerError] Your code threw an error that nothing caught:\nError: cannot reverse 8 characters\n    at reverse (server.ts:18:27)');
  });

  test("attaches each test's console output to that test", () => {
    const r = report({ results: mixed, output: mixedEvents().outputByTest() });
    expect(r.tests.map((t) => t.output)).toEqual(['got GET /health\n', 'got POST /echo\n', 'got POST /echo\n', 'got POST /shout\n']);
  });

  test('caps console output at about 2 KB and says it was truncated', () => {
    const key = '01-respond.test.ts::answers GET /health with 200 and the body ok';
    const output = report({ results: mixed, output: { [key]: 'x'.repeat(10_000) } }).tests[0]!.output!;
    expect(output.length).toBeLessThan(2_100);
    expect(output).toMatch(/…truncated \(showing the first 2000 of 10000 characters\)$/);
  });

  test('turns a syntax error into an error report naming the learner file, line and column', () => {
    const r = report({ results: syntax });
    expect(r.status).toBe('error');
    expect(r.tests).toEqual([]);
    expect(r.stages.map((s) => s.status)).toEqual(['error', 'error', 'error']);
    expect(r.message).toMatchInlineSnapshot(`
      "[LearnerSyntaxError] server.ts:7:12 is not valid TypeScript (Unexpected ";"), so none of the tests could load your code.
      Fix: Fix the code at that spot (a missing bracket or quote often shows up a line later than it happened), save, and grade again."
    `);
  });

  test("rephrases Vitest's own test timeout for a learner", () => {
    const results: VitestJson = {
      testResults: [{
        name: '/w/tests/01-respond.test.ts', status: 'failed', message: '',
        assertionResults: [{ ancestorTitles: ['health'], title: 'answers', status: 'failed', failureMessages: ['Error: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".'] }],
      }],
    };
    const t = report({ results, uptoStage: 1 }).tests[0]!;
    expect(t.name).toBe('health › answers');
    expect(t.message).toMatchInlineSnapshot(`
      "[TestTimeout] Test 'health › answers' in stage 1 (respond) did not finish within 5 s: it was still waiting for your code.
      Fix: Make sure every request or connection gets an answer (for HTTP, every path ends with res.end()) and every promise you create settles."
    `);
  });

  test('skips a stage this runtime cannot run without blocking the stages after it', () => {
    const localOnly = stages.map((s: object, i: number) => (i === 1 ? { ...s, runtimes: ['webcontainer'], runtimeNote: 'Needs a browser for this one.' } : s));
    const withoutEcho = { testResults: mixed.testResults.filter((f) => !f.name.endsWith('02-echo.test.ts')) };
    const r = buildReport({ slug: 'echo-upper', stages: localOnly, results: withoutEcho, runtime: 'local', durationMs: 1 });
    expect(r.stages.map((s) => s.status)).toEqual(['pass', 'skipped', 'pass']);
    expect(r.stages[1]!.note).toBe('Needs a browser for this one.');
    expect(r.status).toBe('pass');
  });
});

describe('buildReport after the watchdog killed a run', () => {
  // The event stream of the mixed run, cut off while stage 2's first test was still running.
  function killedDuringEcho(): RunState {
    const state = new RunState();
    const text = readFileSync(path.join(SAMPLES, 'events-mixed.txt'), 'utf8');
    const cut = text.indexOf('"t":"end","id":"-1843989361_0"');
    for (const piece of new EventSplitter().push(text.slice(0, text.lastIndexOf('\n', cut) + 1))) {
      if ('event' in piece) state.apply(piece.event, 0);
    }
    return state;
  }

  test('fails the stuck test naming stage and test, errors the rest of its file, and leaves later stages not run', () => {
    const state = killedDuringEcho();
    expect(state.running()?.name).toBe('echoes a POST body back unchanged');
    const r = report({
      results: state.toVitestJson(),
      interruption: { kind: 'test-timeout', file: 'tests/02-echo.test.ts', test: 'echoes a POST body back unchanged', afterMs: 5_000 },
    });
    expect(r.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'error']);
    expect(r.tests[1]!.message).toMatchInlineSnapshot(`
      "[GradeTimeout] Timed out after 5 s in stage 2 (echo), test 'echoes a POST body back unchanged': your code never gave control back, so the run was stopped.
      Fix: Look for an endless loop (a while or for loop whose condition never changes) in the code this test runs; the tests after it could not run."
    `);
    expect(r.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'not-run']);
    expect(r.status).toBe('fail');
  });
});

describe('the report modules', () => {
  // The WebContainer runtime bundles these for the browser, where node: modules do not exist.
  test('import nothing but zod, directly or through their own imports', () => {
    const seen = new Set<string>();
    const outside: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (spec!.startsWith('.')) visit(path.resolve(path.dirname(file), spec!));
        else if (spec !== 'astro/zod') outside.push(`${path.basename(file)} → ${spec}`);
      }
    };
    const engine = new URL('../../../src/engine/', import.meta.url).pathname;
    for (const entry of ['report.ts', 'events.ts', 'clean-text.ts']) visit(path.join(engine, entry));
    expect(outside).toEqual([]);
    expect(seen.size).toBeGreaterThan(3);
  });
});
