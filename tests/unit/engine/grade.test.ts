import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { grade, type GradeOptions } from '../../../src/engine/grade.ts';
import { assembleWorkspace } from '../../../src/engine/workspace.ts';
import { loadLab } from '../../../src/engine/labs.ts';
import { ECHO_UPPER, FAILS_ECHO, FIXTURE_LABS, liveGroupMembers, server } from './helpers.ts';

/** Grades the fixture lab and remembers the run's pid and workspace, to check nothing outlives it. */
const runs: Array<{ pid: number; dir: string }> = [];
function gradeFixture(opts: Partial<GradeOptions>) {
  return grade({ slug: 'echo-upper', labsRoot: FIXTURE_LABS, files: path.join(ECHO_UPPER, 'solution'), onSpawn: (run) => runs.push(run), ...opts });
}

afterEach(() => {
  // Every run, however it ended, leaves no live process in its group and no workspace folder.
  for (const run of runs.splice(0)) {
    expect(liveGroupMembers(run.pid)).toEqual([]);
    expect(existsSync(run.dir)).toBe(false);
  }
});

describe('grade', () => {
  test('passes every stage of the solution', async () => {
    const report = await gradeFixture({});
    expect(report.status).toBe('pass');
    expect(report.stages.map((s) => `${s.id}:${s.status}:${s.passed}/${s.total}`)).toEqual(['respond:pass:1/1', 'echo:pass:2/2', 'shout:pass:1/1']);
    expect(runs).toHaveLength(1);
  });

  test('fails every stage of the starter, saying what was expected and what came back', async () => {
    const report = await gradeFixture({ files: path.join(ECHO_UPPER, 'starter') });
    expect(report.stages.map((s) => s.status)).toEqual(['fail', 'fail', 'fail']);
    expect(report.tests[0]!.message).toContain('Expected: 200 ok\n  Received: 501 not implemented yet');
  });

  test('runs only stages 1..N with --stage N and passes when those pass', async () => {
    const report = await gradeFixture({ files: FAILS_ECHO, uptoStage: 1 });
    expect(report.status).toBe('pass');
    expect(report.tests.map((t) => t.task_id)).toEqual([1]);
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'not-run', 'not-run']);
  });

  test('holds back a later stage until the earlier ones pass, and keeps console output per test', async () => {
    const report = await gradeFixture({ files: FAILS_ECHO });
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'fail']);
    expect(report.stages[2]!.note).toMatch(/must pass first/);
    expect(report.tests.find((t) => t.task_id === 3)).toMatchObject({ status: 'pass', output: 'handling /shout\n' });
  });

  test("starts every stage file with a fresh copy of the learner's module state", async () => {
    // One worker runs all stage files; a module-level counter must still start at 0 in each. No
    // stage file sends more than 2 requests, so a counter carried over from stage 1 fails stage 2.
    const files = {
      'server.ts': `import http from 'node:http';

let handled = 0;

export function createServer(): http.Server {
  return http.createServer((req, res) => {
    if (++handled > 2) return void res.end('stale module state');
    if (req.url === '/health') return void res.end('ok');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(req.url === '/shout' ? Buffer.concat(chunks).toString().toUpperCase() : Buffer.concat(chunks)));
  });
}
`,
    };
    const report = await gradeFixture({ files });
    expect(report.stages.map((s) => `${s.id}:${s.status}:${s.passed}/${s.total}`)).toEqual(['respond:pass:1/1', 'echo:pass:2/2', 'shout:pass:1/1']);
  });

  test('reports a syntax error with the learner file, line and column', async () => {
    const report = await gradeFixture({ files: server('    const x = ;\n    res.end(x);') });
    expect(report.status).toBe('error');
    expect(report.message).toMatchInlineSnapshot(`
      "[LearnerSyntaxError] server.ts:5:14 is not valid TypeScript (Unexpected ";"), so none of the tests could load your code.
      Fix: Fix the code at that spot (a missing bracket or quote often shows up a line later than it happened), save, and grade again."
    `);
  });

  test('stops an endless loop in a handler and names the stage and test it hung in', async () => {
    const files = server(`    if (req.url === '/health') return void res.end('ok');\n    while (true) {}`);
    const limits = { testMs: 1_000, graceMs: 1_000, runMs: 60_000 };
    const report = await gradeFixture({ files, limits });
    expect(report.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'error']);
    expect(report.tests[1]!.message).toMatch(/^\[GradeTimeout\] Timed out after 1 s in stage 2 \(echo\), test 'echoes a POST body back unchanged'/);
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'not-run']);
    // The per-test watchdog ended it, not the whole-run limit.
    expect(report.durationMs).toBeLessThan(limits.runMs);
  });

  test('blames the test that is looping, not the one before it, when an earlier test in the file passed', async () => {
    // Only the second stage-2 test sends an empty body. Vitest batches progress from a blocked
    // worker, so without the worker's own announcement the first (passing) test would be blamed.
    const files = server(
      `    if (req.url === '/health') return void res.end('ok');\n` +
        `    if (req.headers['content-length'] === '0') { while (true) {} }\n` +
        `    req.pipe(res);`,
    );
    const report = await gradeFixture({ files, limits: { testMs: 1_000, graceMs: 1_000, runMs: 60_000 } });
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([
      ['answers GET /health with 200 and the body ok', 'pass'],
      ['echoes a POST body back unchanged', 'pass'],
      ['echoes an empty body as an empty body', 'fail'],
    ]);
    expect(report.tests[2]!.message).toMatch(/^\[GradeTimeout\] Timed out after 1 s in stage 2 \(echo\), test 'echoes an empty body as an empty body'/);
  });

  test('stops code that loops while loading and says it never finished loading', async () => {
    const files = { 'server.ts': `while (true) {}\nexport function createServer() {}\n` };
    const report = await gradeFixture({ files, limits: { loadMs: 3_000 } });
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/^\[LoadTimeout\] Loading your code for stage 1 \(respond\) took longer than 3 s/);
    expect(report.stages.map((s) => s.status)).toEqual(['error', 'not-run', 'not-run']);
  });

  test('kills the run and cleans up when the signal aborts', async () => {
    const controller = new AbortController();
    // The handler never answers, so the run would sit in the kit's request timeout; we abort as
    // soon as the learner's code has printed, i.e. while a test is running.
    const files = server(`    console.log('got it');`);
    const run = gradeFixture({ files, signal: controller.signal, onOutput: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(runs).toHaveLength(1);
  });

  test('rejects learner file names that escape the workspace', async () => {
    for (const name of ['../evil.ts', '/etc/evil.ts', 'lib/../../evil.ts', 'a\\..\\evil.ts']) {
      await expect(gradeFixture({ files: { ...FAILS_ECHO, [name]: '' } })).rejects.toMatchObject({ code: 'UnsafeLearnerPath' });
    }
    expect(runs).toEqual([]);
  });

  test('names the missing file when a folder lacks a lab file', async () => {
    await expect(gradeFixture({ files: FIXTURE_LABS })).rejects.toThrowErrorMatchingInlineSnapshot(`
      [HopError: [LearnerFileMissing] tests/fixtures/labs has no server.ts, which the lab "echo-upper" grades.
      Fix: Grade the folder that holds your lab files, or start one with \`hop init echo-upper <dir>\`.]
    `);
  });

  test('refuses a stage number the lab does not have', async () => {
    await expect(gradeFixture({ uptoStage: 4 })).rejects.toMatchObject({ code: 'StageOutOfRange' });
  });
});

describe('grade before it runs anything', () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  test('names the manifest file and each bad field', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hop-test-'));
    await cp(ECHO_UPPER, path.join(scratch, 'broken'), { recursive: true });
    const labJson = JSON.parse(await readFile(path.join(ECHO_UPPER, 'lab.json'), 'utf8'));
    labJson.minutes = 'ten';
    labJson.stages[0].hint = labJson.stages[0].hints;
    delete labJson.stages[0].hints;
    await writeFile(path.join(scratch, 'broken', 'lab.json'), JSON.stringify(labJson));
    const error = (await grade({ slug: 'broken', labsRoot: scratch, files: {} }).catch((e: Error) => e)) as Error;
    expect(error.message.replaceAll(scratch, '<labs>')).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] <labs>/broken/lab.json: the lab manifest is not valid.
        • "minutes" is "ten", but it should be a whole number of minutes between 5 and 600.
        • "stages[0].hints" is missing. It should be a list of 2–3 hints, from a gentle nudge to a near-answer.
        • "stages[0].hint" is not a known field. Did you mean "hints"?
      Fix: Edit <labs>/broken/lab.json and correct the field(s) above. Each field is explained in src/schemas/lab.ts."
    `);
  });

  test('says to run npm ci when the lab workspace is not installed', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hop-test-'));
    await mkdir(path.join(scratch, 'kit'));
    const lab = await loadLab('echo-upper', FIXTURE_LABS);
    const error = (await assembleWorkspace({ lab, files: {}, testFiles: [], workspaceDir: scratch }).catch((e: Error) => e)) as Error;
    expect(error.message.replaceAll(scratch, '<workspace>')).toMatchInlineSnapshot(`
      "[WorkspaceNotInstalled] The lab workspace <workspace> has no node_modules, so there is no test runner to grade with.
      Fix: Run \`npm ci\` in the repository root (it installs <workspace> too), or \`npm ci --prefix <workspace>\`."
    `);
  });

  test('names the labs there are when the lab does not exist', async () => {
    await expect(grade({ slug: 'echo-lower', labsRoot: FIXTURE_LABS, files: {} })).rejects.toThrowErrorMatchingInlineSnapshot(`
      [HopError: [NoSuchLab] There is no lab called "echo-lower".
      Fix: Use one of: echo-upper. \`hop labs\` lists them with their stages.]
    `);
  });
});
