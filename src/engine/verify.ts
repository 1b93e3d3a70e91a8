/**
 * `verify()`: the checks a lab must pass before learners see it. Structure first (manifest, brief,
 * starter and solution files, one test file per stage), then behaviour: every stage must have a
 * test the starter fails — or the learner gets it for free — and everything must pass on the
 * solution. Grades the starter once and the solution once, all stages, in parallel.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HopError, hopError } from '../errors/catalogue.ts';
import { stageTestFile } from '../schemas/lab.ts';
import { grade, type GradeOptions } from './grade.ts';
import { DEFAULT_LABS_ROOT, displayPath, listLabSlugs, loadLab, type Lab } from './labs.ts';
import type { GradeReport } from './report.ts';

export type VerifyOptions = Pick<GradeOptions, 'labsRoot' | 'limits' | 'signal'>;

/** Every problem with the lab, as catalogue errors; empty when the lab is ready. */
export async function verify(slug: string, opts: VerifyOptions = {}): Promise<HopError[]> {
  const labsRoot = opts.labsRoot ?? DEFAULT_LABS_ROOT;
  const dir = path.join(labsRoot, slug);
  const rel = (...parts: string[]) => displayPath(path.join(dir, ...parts));
  if (!existsSync(dir)) return [hopError('NoSuchLab', { lab: slug, known: listLabSlugs(labsRoot) })];
  if (!existsSync(path.join(dir, 'lab.json'))) {
    return [hopError('LabFileMissing', { file: rel('lab.json'), why: 'every lab folder needs a manifest' })];
  }
  let lab: Lab;
  try {
    lab = await loadLab(slug, labsRoot);
  } catch (err) {
    if (err instanceof HopError) return [err];
    throw err;
  }

  const problems = structureProblems(lab, rel);
  // Grading a lab with missing pieces only repeats those problems less clearly.
  if (problems.length > 0) return problems;

  const run = (variant: 'starter' | 'solution') =>
    grade({ slug, labsRoot, files: path.join(dir, variant), limits: opts.limits, signal: opts.signal });
  const [starter, solution] = await Promise.all([run('starter'), run('solution')]);
  return [...starterProblems(lab, starter), ...solutionProblems(lab, solution)];
}

function structureProblems(lab: Lab, rel: (...parts: string[]) => string): HopError[] {
  const problems: HopError[] = [];
  const missing = (file: string, why: string) => problems.push(hopError('LabFileMissing', { file, why }));
  if (!existsSync(path.join(lab.dir, 'brief.mdx'))) missing(rel('brief.mdx'), 'it is the page learners read before they start');
  for (const variant of ['starter', 'solution']) {
    for (const file of lab.manifest.files) {
      if (!existsSync(path.join(lab.dir, variant, file))) missing(rel(variant, file), `lab.json "files" lists ${file}`);
    }
  }
  const expected = lab.manifest.stages.map((stage, i) => stageTestFile(i, stage.id));
  expected.forEach((file, i) => {
    if (!existsSync(path.join(lab.dir, 'tests', file))) missing(rel('tests', file), `it holds the tests of stage ${i + 1} (${lab.manifest.stages[i]!.id})`);
  });
  const testsDir = path.join(lab.dir, 'tests');
  const present = existsSync(testsDir) ? readdirSync(testsDir).filter((f) => f.endsWith('.test.ts')) : [];
  for (const file of present) {
    if (!expected.includes(file)) problems.push(hopError('StrayStageTest', { file: rel('tests', file), expected }));
  }
  return problems;
}

function starterProblems(lab: Lab, report: GradeReport): HopError[] {
  if (report.status === 'error') {
    return [hopError('StarterDoesNotLoad', { dir: displayPath(lab.dir), problem: report.message ?? 'the run ended in an error' })];
  }
  return report.stages
    .filter((stage) => stage.status !== 'skipped')
    .filter((stage) => {
      const own = report.tests.filter((t) => t.task_id === stage.index);
      return own.length > 0 && own.every((t) => t.status === 'pass');
    })
    .map((stage) => hopError('StarterPassesStage', { dir: displayPath(lab.dir), stage: stage.index, stageId: stage.id }));
}

function solutionProblems(lab: Lab, report: GradeReport): HopError[] {
  const ownTestsPass = (index: number) => {
    const own = report.tests.filter((t) => t.task_id === index);
    return own.length > 0 && own.every((t) => t.status === 'pass');
  };
  return report.stages
    .filter((stage) => stage.status !== 'pass' && stage.status !== 'skipped')
    // A stage held back only because an earlier one failed is that stage's problem, already listed.
    .filter((stage) => !(stage.status === 'fail' && ownTestsPass(stage.index)))
    .map((stage) => {
      const failing = report.tests.find((t) => t.task_id === stage.index && t.status !== 'pass');
      const problem = failing
        ? `test '${failing.name}' says: ${firstLines(failing.message ?? failing.status)}`
        : (report.message ?? stage.note ?? `the stage ended as "${stage.status}"`);
      return hopError('SolutionFailsStage', { dir: displayPath(lab.dir), lab: lab.slug, stage: stage.index, stageId: stage.id, problem });
    });
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 4).join('\n');
}
