/**
 * A grade report as terminal text: ✓/✗ per test under its stage, then the first failure with
 * that stage's first hint, then one summary line. Colour only when asked (stdout is a TTY).
 */
import type { LabManifest } from '../schemas/lab.ts';
import type { GradeReport, StageReport, TestReport } from '../engine/report.ts';

export type Paint = {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
};

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const colors: Paint = { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
const id = (s: string) => s;
export const plain: Paint = { green: id, red: id, yellow: id, dim: id, bold: id };

const indent = (text: string, by = '    ') => text.replace(/^/gm, by);

function stageLine(stage: StageReport, p: Paint): string {
  const head = p.bold(`Stage ${stage.index} · ${stage.title}`);
  const tail: Record<StageReport['status'], string> = {
    pass: p.green('passed'),
    fail: p.red('not yet'),
    error: p.red('error'),
    skipped: p.yellow('skipped'),
    'not-run': p.dim('not run'),
  };
  const note = stage.note ? p.dim(` — ${stage.note}`) : '';
  return `${head}  ${tail[stage.status]}${note}`;
}

function testLine(test: TestReport, p: Paint): string {
  if (test.status === 'pass') return `  ${p.green('✓')} ${test.name}`;
  if (test.status === 'fail') return `  ${p.red('✗')} ${test.name}`;
  return `  ${p.yellow('○')} ${p.dim(test.name)}`;
}

export function formatReport(report: GradeReport, manifest: LabManifest, p: Paint = plain): string {
  const lines: string[] = [p.bold(`${report.lab} — ${manifest.title}`), ''];
  for (const stage of report.stages) {
    lines.push(stageLine(stage, p));
    for (const test of report.tests.filter((t) => t.task_id === stage.index)) lines.push(testLine(test, p));
  }

  if (report.message) {
    lines.push('', p.red(report.message));
  } else {
    const first = report.tests.find((t) => t.status === 'fail') ?? report.tests.find((t) => t.status === 'error');
    if (first) {
      const stage = manifest.stages[first.task_id - 1];
      lines.push('', p.red(`First failure — stage ${first.task_id} (${stage?.title ?? '?'}), “${first.name}”:`));
      if (first.message) lines.push(indent(first.message));
      if (first.output) lines.push(p.dim('  Your code printed:'), p.dim(indent(first.output.trimEnd())));
      if (stage?.hints[0]) lines.push('', `${p.yellow('Hint:')} ${stage.hints[0]}`);
    }
  }
  lines.push('', summary(report, p));
  return lines.join('\n');
}

export function summary(report: GradeReport, p: Paint = plain): string {
  const asked = report.stages.filter((s) => s.index <= report.uptoStage);
  const passedStages = asked.filter((s) => s.status === 'pass').length;
  const passedTests = report.tests.filter((t) => t.status === 'pass').length;
  const time = `${(report.durationMs / 1000).toFixed(1)} s`;
  const counts = `${passedStages} of ${asked.length} stages, ${passedTests} of ${report.tests.length} tests pass · ${time}`;
  if (report.status === 'pass') return p.green(`✓ ${counts}`);
  return p.red(`✗ ${counts}`);
}
