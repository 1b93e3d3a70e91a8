import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verify } from '../../../src/engine/verify.ts';
import { ECHO_UPPER, server } from './helpers.ts';

// Each test breaks a copy of the fixture lab in its own way; the fixture itself must verify clean
// (tests/labs/verify-all.test.ts checks that).
let labsRoot: string;
let lab: string;
beforeEach(async () => {
  labsRoot = await mkdtemp(path.join(os.tmpdir(), 'hop-verify-'));
  lab = path.join(labsRoot, 'copy');
  await cp(ECHO_UPPER, lab, { recursive: true });
});
afterEach(() => rm(labsRoot, { recursive: true, force: true }));

const messages = async () => (await verify('copy', { labsRoot })).map((p) => p.message.replaceAll(labsRoot, '<labs>'));

describe('verify', () => {
  test('lists missing files and test files that match no stage, without grading', async () => {
    await rm(path.join(lab, 'brief.mdx'));
    await rm(path.join(lab, 'solution', 'server.ts'));
    await writeFile(path.join(lab, 'tests', '04-extra.test.ts'), '');
    expect(await messages()).toMatchInlineSnapshot(`
      [
        "[LabFileMissing] <labs>/copy/brief.mdx is missing: it is the page learners read before they start.
      Fix: Create <labs>/copy/brief.mdx. docs/labs.md describes what each file of a lab holds.",
        "[LabFileMissing] <labs>/copy/solution/server.ts is missing: lab.json "files" lists server.ts.
      Fix: Create <labs>/copy/solution/server.ts. docs/labs.md describes what each file of a lab holds.",
        "[StrayStageTest] <labs>/copy/tests/04-extra.test.ts matches no stage in lab.json, so it would never run.
      Fix: Rename it to one of 01-respond.test.ts, 02-echo.test.ts, 03-shout.test.ts, add its stage to lab.json, or move shared code into a non-test helper such as tests/support.ts.",
      ]
    `);
  });

  test('flags a stage the starter already passes and a stage the solution fails', async () => {
    await writeFile(path.join(lab, 'starter', 'server.ts'), server(`    res.end(req.url === '/health' ? 'ok' : 'todo');`)['server.ts']!);
    const solution = server(`    if (req.url === '/health') return void res.end('ok');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(Buffer.concat(chunks)));`);
    await writeFile(path.join(lab, 'solution', 'server.ts'), solution['server.ts']!);
    const problems = await verify('copy', { labsRoot });
    expect(problems.map((p) => p.code)).toEqual(['StarterPassesStage', 'SolutionFailsStage']);
    expect(problems[0]!.message.replaceAll(labsRoot, '<labs>')).toMatchInlineSnapshot(`
      "[StarterPassesStage] Every test of stage 1 (respond) passes on <labs>/copy/starter/, so a learner would get that stage for free.
      Fix: Add a test that the starter fails, or make the starter leave that stage's work undone."
    `);
    expect(problems[1]!.message.replaceAll(labsRoot, '<labs>')).toMatch(/^\[SolutionFailsStage\] Stage 3 \(shout\) does not pass on <labs>\/copy\/solution\/: test 'answers POST \/shout with the body in upper case' says: expected '\w+' to be '[A-Z]+'/);
  });

  test('reports a lab folder without a manifest', async () => {
    await rm(path.join(lab, 'lab.json'));
    expect(await messages()).toMatchInlineSnapshot(`
      [
        "[LabFileMissing] <labs>/copy/lab.json is missing: every lab folder needs a manifest.
      Fix: Create <labs>/copy/lab.json. docs/labs.md describes what each file of a lab holds.",
      ]
    `);
  });
});
