import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hopError } from '../errors/catalogue.ts';
import { displayPath, REPO_ROOT, type Lab } from '../engine/labs.ts';

/** Copies a lab's starter files into `dir` with a short README; never overwrites anything. */
export async function initLab(lab: Lab, dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw hopError('InitTargetNotEmpty', { dir: displayPath(dir) });
  await mkdir(dir, { recursive: true });
  await cp(path.join(lab.dir, 'starter'), dir, { recursive: true });
  await writeFile(path.join(dir, 'README.md'), readme(lab, dir));
}

function readme(lab: Lab, dir: string): string {
  const { manifest } = lab;
  // The command works from the course repository, where `npm run hop` is defined.
  const target = path.relative(REPO_ROOT, dir);
  const where = target && !target.startsWith('..') ? target : dir;
  const stages = manifest.stages.map((s, i) => `${i + 1}. **${s.title}** — ${s.goal}`).join('\n');
  return `# ${manifest.title}

${manifest.summary}

Edit ${manifest.files.map((f) => `\`${f}\``).join(', ')}. The stages, in order:

${stages}

## Grade your work

From the course repository:

    npm run hop -- grade ${lab.slug} ${where}              # every stage
    npm run hop -- grade ${lab.slug} ${where} --stage 2    # stages 1–2 only
    npm run hop -- grade ${lab.slug} ${where} --watch      # again on every save

A stage passes when its tests and every earlier stage's tests pass. A failure shows what was
sent, what was expected and what came back, plus a hint.
`;
}
