import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { main, type Io } from '../../../src/cli/hop.ts';
import { formatReport, plain } from '../../../src/cli/print-report.ts';
import { buildReport, GradeReportSchema, type VitestJson } from '../../../src/engine/report.ts';
import { ECHO_UPPER, FIXTURE_LABS, manifest, sample } from './helpers.ts';

type FakeIo = Io & { stdout: () => string; stderr: () => string; interrupter: AbortController };

function fakeIo(cwd: string, onOut?: (all: string) => void): FakeIo {
  let out = '';
  let err = '';
  const interrupter = new AbortController();
  return {
    out: (text) => {
      out += text;
      onOut?.(out);
    },
    err: (text) => void (err += text),
    cwd,
    paint: plain,
    interrupt: interrupter.signal,
    interrupter,
    stdout: () => out,
    stderr: () => err,
  };
}

const fixtureArgs = ['--labs-root', FIXTURE_LABS];
let scratch: string;
beforeEach(async () => void (scratch = await mkdtemp(path.join(os.tmpdir(), 'hop-cli-'))));
afterEach(() => rm(scratch, { recursive: true, force: true }));

describe('hop grade', () => {
  test('prints each test under its stage, the first failure with its hint, and a summary', () => {
    const report = buildReport({ slug: 'echo-upper', stages: manifest().stages, results: sample<VitestJson>('vitest-starter.json'), uptoStage: 2, durationMs: 1234 });
    expect(formatReport(report, manifest(), plain)).toMatchInlineSnapshot(`
      "echo-upper — Echo, then shout

      Stage 1 · Answer a health check  not yet
        ✗ answers GET /health with 200 and the body ok
      Stage 2 · Echo the body  not yet
        ✗ echoes a POST body back unchanged
        ✗ echoes an empty body as an empty body
      Stage 3 · Shout it back  not run — Not graded this time: you asked for stages 1–2.

      First failure — stage 1 (Answer a health check), “answers GET /health with 200 and the body ok”:
            Sent:     GET /health
            Expected: 200 ok
            Received: 501 not implemented yet
          : expected 501 to be 200
              at tests/01-respond.test.ts:8:116

      Hint: Look at req.url and req.method inside the handler.

      ✗ 0 of 2 stages, 0 of 3 tests pass · 1.2 s"
    `);
  });

  test('exits 0 when every stage passes and 1 when one fails', async () => {
    const pass = fakeIo(scratch);
    expect(await main(['grade', 'echo-upper', path.join(ECHO_UPPER, 'solution'), ...fixtureArgs], pass)).toBe(0);
    expect(pass.stdout()).toMatch(/✓ 3 of 3 stages, 4 of 4 tests pass · [\d.]+ s\n$/);
    const fail = fakeIo(scratch);
    expect(await main(['grade', 'echo-upper', path.join(ECHO_UPPER, 'starter'), '--stage', '1', ...fixtureArgs], fail)).toBe(1);
    expect(fail.stdout()).toContain('Hint: Look at req.url and req.method inside the handler.');
    expect(fail.stdout()).toMatch(/✗ 0 of 1 stages, 0 of 1 tests pass/);
  });

  test('prints the report as JSON with --json', async () => {
    const io = fakeIo(path.join(ECHO_UPPER, 'solution'));
    expect(await main(['grade', 'echo-upper', '--json', ...fixtureArgs], io)).toBe(0);
    const report = GradeReportSchema.parse(JSON.parse(io.stdout()));
    expect(report).toMatchObject({ version: 3, status: 'pass', lab: 'echo-upper' });
  });

  test('grades again when a lab file is saved, until interrupted', async () => {
    const dir = path.join(scratch, 'mine');
    expect(await main(['init', 'echo-upper', dir, ...fixtureArgs], fakeIo(scratch))).toBe(0);
    let summaries = 0;
    const secondGrade = Promise.withResolvers<void>();
    const firstGrade = Promise.withResolvers<void>();
    const io = fakeIo(dir, (all) => {
      const count = all.match(/stages, \d+ of \d+ tests pass/g)?.length ?? 0;
      if (count === summaries) return;
      summaries = count;
      (count === 1 ? firstGrade : secondGrade).resolve();
    });
    const watching = main(['grade', 'echo-upper', '--watch', ...fixtureArgs], io);
    await firstGrade.promise;
    await writeFile(path.join(dir, 'server.ts'), readFileSync(path.join(ECHO_UPPER, 'solution', 'server.ts')));
    await secondGrade.promise;
    io.interrupter.abort();
    expect(await watching).toBe(0);
    const [first, second] = io.stdout().split('Change saved — grading again.');
    expect(first).toMatch(/✗ 0 of 3 stages/);
    expect(second).toMatch(/✓ 3 of 3 stages/);
  });

  test('explains a usage mistake and exits 2', async () => {
    const io = fakeIo(scratch);
    expect(await main(['grade', 'echo-upper', '--stage', 'two'], io)).toBe(2);
    expect(io.stderr()).toMatchInlineSnapshot(`
      "[UsageError] --stage takes a stage number such as 2, not "two".
      Fix: Usage: hop grade <lab> [dir] [--stage N] [--json] [--watch]
      "
    `);
  });
});

describe('hop init', () => {
  test("copies the starter files and a README that says how to grade", async () => {
    const io = fakeIo(scratch);
    expect(await main(['init', 'echo-upper', 'mine', ...fixtureArgs], io)).toBe(0);
    expect((await readdir(path.join(scratch, 'mine'))).sort()).toEqual(['README.md', 'server.ts']);
    expect(readFileSync(path.join(scratch, 'mine', 'README.md'), 'utf8')).toContain('npm run hop -- grade echo-upper');
  });

  test('refuses to write into a folder that has files', async () => {
    await writeFile(path.join(scratch, 'notes.txt'), 'mine');
    const io = fakeIo(scratch);
    expect(await main(['init', 'echo-upper', '.', ...fixtureArgs], io)).toBe(1);
    expect(io.stderr().replaceAll(scratch, '<dir>')).toMatchInlineSnapshot(`
      "[InitTargetNotEmpty] <dir> already has files in it, and hop init never overwrites anything.
      Fix: Pick a new or empty folder, e.g. \`hop init <lab> my-lab\`.
      "
    `);
    expect(existsSync(path.join(scratch, 'server.ts'))).toBe(false);
  });
});

describe('bin/hop.mjs', () => {
  test('runs the TypeScript CLI and lists the labs with their stages', async () => {
    const bin = new URL('../../../bin/hop.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'labs', ...fixtureArgs]);
    expect(stdout).toContain('echo-upper — Echo, then shout (beginner, about 10 min)\n  1. Answer a health check (respond)');
  });
});
