import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

// End to end: a lesson whose <KnowledgeCheck> marks two answers correct must fail `astro build`
// with the lesson's file name, the question and the fix, because that is all the author sees.
const repo = resolve(import.meta.dirname, '../../..');
let root: string;

const lesson = `---
title: Broken check
summary: A lesson whose knowledge check marks two options correct, which must fail the build.
module: 1
order: 1
objectives: [Explain a, Explain b]
minutes: 5
---

## A heading

<KnowledgeCheck
  id="broken"
  questions={[
    {
      prompt: 'Which port does DNS use?',
      options: [
        { text: '53', correct: true, explain: 'DNS servers listen on port 53.' },
        { text: '853', correct: true, explain: 'That is DNS over TLS.' },
      ],
    },
  ]}
/>
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hop-kc-build-'));
  for (const f of ['package.json', 'astro.config.mjs', 'tsconfig.json']) cpSync(join(repo, f), join(root, f));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  cpSync(join(repo, 'src'), join(root, 'src'), { recursive: true });
  cpSync(join(repo, 'content/course.json'), join(root, 'content/course.json'));
  mkdirSync(join(root, 'content/lessons/broken-check'), { recursive: true });
  writeFileSync(join(root, 'content/lessons/broken-check/index.mdx'), lesson);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('astro build fails naming the lesson file and the question with two correct options', async () => {
  const run = promisify(execFile)(process.execPath, [join(repo, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
  });
  const failure = await run.then(
    () => undefined,
    (err: { stdout: string; stderr: string }) => err,
  );
  expect(failure, 'astro build should have failed').toBeDefined();
  const output = `${failure!.stdout}\n${failure!.stderr}`;
  // The whole of src/ is copied in, so a half-finished file of another author's can fail the
  // build first; show the build's own output so such a failure is told apart at a glance.
  const shown = `astro build output:\n${output.slice(-3000)}`;
  expect(output, shown).toContain(
    '[InvalidAuthoredFile] content/lessons/broken-check/index.mdx: the use of <KnowledgeCheck id="broken"> is not valid.',
  );
  expect(output, shown).toContain('exactly one option needs correct: true, and this question has 2.');
  expect(output, shown).toContain('Fix: Edit content/lessons/broken-check/index.mdx');
}, 90_000);
