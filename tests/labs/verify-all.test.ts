import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { DEFAULT_LABS_ROOT, listLabSlugs, REPO_ROOT } from '../../src/engine/labs.ts';
import { verify } from '../../src/engine/verify.ts';

// `npm test` proves every lab: each folder under labs/ (not labs/_workspace) must pass the same
// checks as `hop verify` — valid manifest, all files present, every stage failing on the starter
// and everything passing on the solution. The fixture labs are checked the same way, so this file
// always exercises the checks, even before any real lab exists.
const FIXTURE_LABS = fileURLToPath(new URL('../fixtures/labs', import.meta.url));
const labs = [DEFAULT_LABS_ROOT, FIXTURE_LABS].flatMap((root) =>
  listLabSlugs(root).map((slug) => ({ slug, root, where: path.relative(REPO_ROOT, path.join(root, slug)) })),
);

// Grading a starter and a solution takes a few seconds per lab, more on a busy machine.
const VERIFY_MS = 180_000;

test.each(labs)('$where passes every authoring check', async ({ slug, root }) => {
  const problems = await verify(slug, { labsRoot: root });
  expect(problems.map((p) => p.message)).toEqual([]);
}, VERIFY_MS);
