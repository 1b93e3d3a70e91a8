/**
 * Every error a learner or an instructor can see, in one place, with a permanent name.
 *
 * Each entry says what happened and why, then what to do. Names never change once shipped:
 * docs, tests and support answers refer to them. Add new entries at the end of their group.
 * Avoid the words "document" and "window" in messages: Astro's error printer takes them for a
 * browser-API mistake and appends an unrelated hint.
 */

export type ErrorParts = {
  /** What happened and why, in one or two sentences. */
  what: string;
  /** What to do about it. */
  fix: string;
  /** Optional bullet list of specifics (one problem per line). */
  details?: string[];
};

const catalogue = {
  // ── Authoring: files written by instructors ──────────────────────────────
  InvalidAuthoredFile: (p: { file: string; kind: string; problems: string[]; docs: string }) => ({
    what: `${p.file}: the ${p.kind} is not valid.`,
    details: p.problems,
    fix: `Edit ${p.file} and correct the field(s) above. Each field is explained in ${p.docs}.`,
  }),
  UnreadableAuthoredFile: (p: { file: string; kind: string; reason: string }) => ({
    what: `${p.file} could not be read as a ${p.kind}: ${p.reason}.`,
    fix: `Check the syntax of ${p.file} (a JSON file needs double-quoted keys and no trailing commas; frontmatter sits between two --- lines).`,
  }),
  UnknownModule: (p: { file: string; module: number; known: number[] }) => ({
    what: `${p.file} says it belongs to module ${p.module}, but the course has no module ${p.module}.`,
    fix: `Use one of the modules listed in content/course.json (${p.known.join(', ')}), or add module ${p.module} there.`,
  }),
  DuplicateLessonOrder: (p: { files: string[]; module: number; order: number }) => ({
    what: `Two lessons claim position ${p.order} in module ${p.module}: ${p.files.join(' and ')}.`,
    fix: `Give each lesson in a module its own "order" number.`,
  }),
  UnknownLab: (p: { file: string; lab: string; known: string[] }) => ({
    what: `${p.file} links to the lab "${p.lab}", but there is no labs/${p.lab}/lab.json.`,
    fix: `Use one of the existing labs (${p.known.join(', ') || 'none yet'}) or remove the "lab" field.`,
  }),
} satisfies Record<string, (params: never) => ErrorParts>;

export type ErrorName = keyof typeof catalogue;
type ParamsOf<N extends ErrorName> = Parameters<(typeof catalogue)[N]>[0];

/** An error from the catalogue. `name` is the permanent name; the message is ready to print. */
export class HopError extends Error {
  readonly code: ErrorName;
  readonly parts: ErrorParts;
  constructor(code: ErrorName, parts: ErrorParts) {
    super(formatParts(code, parts));
    this.name = 'HopError';
    this.code = code;
    this.parts = parts;
  }
}

export function formatParts(code: ErrorName, parts: ErrorParts): string {
  const lines = [`[${code}] ${parts.what}`];
  for (const d of parts.details ?? []) lines.push(`  • ${d}`);
  lines.push(`Fix: ${parts.fix}`);
  return lines.join('\n');
}

/** Builds the catalogue error `code` with its parameters. */
export function hopError<N extends ErrorName>(code: N, params: ParamsOf<N>): HopError {
  const make = catalogue[code] as (p: ParamsOf<N>) => ErrorParts;
  return new HopError(code, make(params));
}
