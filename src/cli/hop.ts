/**
 * `hop`: the course's command line. `hop labs`, `hop init`, `hop grade`, `hop verify`.
 * Every message a person sees comes from the error catalogue; exit codes: 0 all good, 1 a grade
 * or check failed, 2 the command line itself was wrong, 130 interrupted.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { HopError, hopError } from '../errors/catalogue.ts';
import { DEFAULT_LABS_ROOT, listLabSlugs, loadLab } from '../engine/labs.ts';
import { verify } from '../engine/verify.ts';
import { gradeCommand } from './grade-command.ts';
import { initLab } from './init-lab.ts';
import { colors, plain, type Paint } from './print-report.ts';

export type Io = {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  paint: Paint;
  /** Aborted on Ctrl-C: stops a grade in flight (cleaning up its processes) or ends --watch. */
  interrupt: AbortSignal;
};

export const USAGE = {
  labs: 'hop labs',
  init: 'hop init <lab> [dir]',
  grade: 'hop grade <lab> [dir] [--stage N] [--json] [--watch]',
  verify: 'hop verify [lab]',
};

const HELP = `hop — grade and author Hop by Hop labs

  ${USAGE.labs.padEnd(52)} list the labs and their stages
  ${USAGE.init.padEnd(52)} copy a lab's starter files into dir (default ./<lab>)
  ${USAGE.grade.padEnd(52)} run the lab's tests on dir (default: current folder)
  ${USAGE.verify.padEnd(52)} check a lab (or every lab) is ready for learners

Every command takes --labs-root <dir> to use labs from another folder.`;

function usageError(problem: string, usage: string): HopError {
  return hopError('UsageError', { problem, usage });
}

/** parseArgs with our own wording for its errors (Node's mention flags hop does not have). */
function parse<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string, maxPositionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, 'labs-root': { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    const flag = /'(-[^']*)'/.exec((err as Error).message)?.[1];
    throw usageError(flag ? `${flag} is not an option of this command` : (err as Error).message.split('.')[0]!, usage);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`Too many arguments: ${parsed.positionals.slice(maxPositionals).join(' ')}`, usage);
  }
  return parsed;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'labs':
        return await labsCommand(parse(args, {}, USAGE.labs, 0).values['labs-root'], io);
      case 'init': {
        const { positionals, values } = parse(args, {}, USAGE.init, 2);
        if (!positionals[0]) throw usageError('Name the lab to start', USAGE.init);
        const lab = await loadLab(positionals[0], labsRoot(values['labs-root'], io));
        const dir = path.resolve(io.cwd, positionals[1] ?? lab.slug);
        await initLab(lab, dir);
        io.out(`Started ${lab.slug} in ${path.relative(io.cwd, dir) || '.'}. Read its README.md, then edit ${lab.manifest.files.join(', ')}.\n`);
        return 0;
      }
      case 'grade': {
        const options = { stage: { type: 'string' }, json: { type: 'boolean' }, watch: { type: 'boolean' } } as const;
        const { positionals, values } = parse(args, options, USAGE.grade, 2);
        if (!positionals[0]) throw usageError('Name the lab to grade', USAGE.grade);
        let stage: number | undefined;
        if (values.stage !== undefined) {
          stage = Number(values.stage);
          if (!/^\d+$/.test(values.stage) || stage < 1) throw usageError(`--stage takes a stage number such as 2, not "${values.stage}"`, USAGE.grade);
        }
        return await gradeCommand(
          { slug: positionals[0], dir: path.resolve(io.cwd, positionals[1] ?? '.'), stage, json: !!values.json, watch: !!values.watch, labsRoot: labsRoot(values['labs-root'], io) },
          io,
        );
      }
      case 'verify': {
        const { positionals, values } = parse(args, {}, USAGE.verify, 1);
        return await verifyCommand(positionals[0], labsRoot(values['labs-root'], io), io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw usageError(`"${command}" is not a hop command`, Object.values(USAGE).join(' | '));
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') return 130;
    if (!(err instanceof HopError)) throw err;
    io.err(`${err.message}\n`);
    return err.code === 'UsageError' ? 2 : 1;
  }
}

function labsRoot(flag: string | undefined, io: Io): string {
  return flag ? path.resolve(io.cwd, flag) : DEFAULT_LABS_ROOT;
}

async function labsCommand(rootFlag: string | undefined, io: Io): Promise<number> {
  const root = labsRoot(rootFlag, io);
  let code = 0;
  for (const slug of listLabSlugs(root, { withManifest: true })) {
    try {
      const { manifest } = await loadLab(slug, root);
      io.out(`${io.paint.bold(slug)} — ${manifest.title} (${manifest.difficulty}, about ${manifest.minutes} min)\n`);
      manifest.stages.forEach((stage, i) => io.out(`  ${i + 1}. ${stage.title} ${io.paint.dim(`(${stage.id})`)}\n`));
    } catch (err) {
      if (!(err instanceof HopError)) throw err;
      io.err(`${err.message}\n`);
      code = 1;
    }
  }
  return code;
}

async function verifyCommand(slug: string | undefined, root: string, io: Io): Promise<number> {
  const slugs = slug ? [slug] : listLabSlugs(root);
  let bad = 0;
  for (const s of slugs) {
    const problems = await verify(s, { labsRoot: root, signal: io.interrupt });
    if (problems.length === 0) {
      io.out(`${io.paint.green('✓')} ${s}\n`);
      continue;
    }
    bad++;
    io.out(`${io.paint.red('✗')} ${s}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    for (const p of problems) io.out(`${p.message.replace(/^/gm, '    ')}\n`);
  }
  io.out(bad === 0 ? `${slugs.length} lab(s) ready.\n` : `${bad} of ${slugs.length} lab(s) need work.\n`);
  return bad === 0 ? 0 : 1;
}

function defaultIo(): Io {
  const tty = process.stdout.isTTY && !process.env.NO_COLOR;
  // The Vitest run is in its own process group, so Ctrl-C never reaches it: we stop it ourselves.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  return {
    interrupt: interrupt.signal,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    paint: tty ? colors : plain,
  };
}
