/**
 * The floor for grading times: what any `hop grade` costs at least. A one-stage lab whose only
 * test is empty, graded by the very same grade() — same workspace assembly, Vitest config,
 * arguments, environment, watchdog and clean-up — so the ratio grade / floor measures the labs'
 * own tests and stage files, not a difference in how the two were started.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grade } from '../../src/engine/grade.ts';

export async function withFloorLab<T>(use: (run: () => Promise<unknown>) => Promise<T>): Promise<T> {
  const labsRoot = mkdtempSync(join(tmpdir(), 'hop-floor-'));
  const lab = join(labsRoot, 'floor');
  mkdirSync(join(lab, 'tests'), { recursive: true });
  mkdirSync(join(lab, 'solution'));
  writeFileSync(
    join(lab, 'lab.json'),
    JSON.stringify({
      title: 'Floor',
      summary: 'One empty test: the least a grading run costs.',
      lesson: 'dns',
      difficulty: 'beginner',
      minutes: 5,
      files: ['empty.ts'],
      runtimes: ['local'],
      stages: [{ id: 'empty', title: 'Nothing', goal: 'Nothing to do.', hints: ['None needed.', 'Still none.'] }],
    }),
  );
  writeFileSync(join(lab, 'solution/empty.ts'), 'export {};\n');
  writeFileSync(join(lab, 'tests/01-empty.test.ts'), "import { test } from 'vitest';\n\ntest('nothing', () => {});\n");
  try {
    return await use(async () => {
      const report = await grade({ slug: 'floor', files: join(lab, 'solution'), labsRoot });
      if (report.status !== 'pass') throw new Error(`The floor run did not pass: ${JSON.stringify(report)}`);
    });
  } finally {
    rmSync(labsRoot, { recursive: true, force: true });
  }
}
