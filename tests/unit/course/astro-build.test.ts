import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

// The real thing, end to end: `astro build` on a project whose only lesson misspells a field.
// The site's source is linked in, the content is ours, so the test sees exactly what an
// instructor would see in their terminal.
const repo = resolve(import.meta.dirname, '../../..');
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hop-build-'));
  for (const f of ['package.json', 'astro.config.mjs', 'tsconfig.json']) cpSync(join(repo, f), join(root, f));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  cpSync(join(repo, 'src'), join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'content/lessons/typo'), { recursive: true });
  cpSync(join(repo, 'content/course.json'), join(root, 'content/course.json'));
  writeFileSync(
    join(root, 'content/lessons/typo/index.mdx'),
    `---\ntitle: Typo\nsumary: A summary with a misspelt key that must fail the build.\nmodule: 1\norder: 1\nobjectives: [Explain a, Explain b]\nminutes: 5\n---\n\nBody.\n`,
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('astro build fails naming the lesson file, the misspelt field and the fix', async () => {
  const run = promisify(execFile)(process.execPath, [join(repo, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
  });
  const failure = await run.then(
    () => undefined,
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  expect(failure, 'astro build should have failed').toBeDefined();
  const output = `${failure!.stdout}\n${failure!.stderr}`;
  expect(output).toContain('[InvalidAuthoredFile] content/lessons/typo/index.mdx: the lesson frontmatter is not valid.');
  expect(output).toContain('"summary" is missing.');
  expect(output).toContain('"sumary" is not a known field. Did you mean "summary"?');
  expect(output).toContain('Fix: Edit content/lessons/typo/index.mdx');
}, 60_000);
