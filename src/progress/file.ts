/**
 * "Export progress" and "Import progress": the lessons part of the record as a JSON file, and
 * back. Imports are checked with the same friendly zod errors as authored files, so a bad file
 * gets a message naming the field that is wrong; an import is merged into what the browser
 * already has, so it never loses anything.
 */
import { hopError, HopError } from '../errors/catalogue.ts';
import { parseWithFriendlyErrors } from '../schemas/parse-with-friendly-errors.ts';
import {
  PROGRESS_FILE_FORMAT,
  PROGRESS_VERSION,
  ProgressFileSchema,
  type LessonProgress,
  type Progress,
  type ProgressFile,
} from '../schemas/progress.ts';

export function toProgressFile(p: Progress, now = Date.now()): ProgressFile {
  return { format: PROGRESS_FILE_FORMAT, version: PROGRESS_VERSION, exportedAt: now, lessons: p.lessons };
}

/** `hop-by-hop-progress-2026-01-31.json` */
export function progressFileName(now = Date.now()): string {
  return `${PROGRESS_FILE_FORMAT}-${new Date(now).toISOString().slice(0, 10)}.json`;
}

/** Parses an exported file, or throws an InvalidProgressFile HopError listing what is wrong. */
export function readProgressFile(text: string, fileName: string): ProgressFile {
  const fail = (problems: string[]) => hopError('InvalidProgressFile', { file: fileName, problems });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw fail([`It is not JSON: ${(err as Error).message}.`]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw fail([`It holds ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}, but a progress file is an object like {"format": "${PROGRESS_FILE_FORMAT}", "version": ${PROGRESS_VERSION}, …}.`]);
  }
  const { format, version } = data as { format?: unknown; version?: unknown };
  if (format !== PROGRESS_FILE_FORMAT) {
    throw fail([
      format === undefined
        ? `It has no "format" field, so it is not a progress file from this course (those say "format": "${PROGRESS_FILE_FORMAT}").`
        : `"format" is ${JSON.stringify(format)}, but a progress file from this course says "${PROGRESS_FILE_FORMAT}".`,
    ]);
  }
  if (typeof version === 'number' && version > PROGRESS_VERSION) {
    throw fail([`It was exported by a newer version of this course (version ${version}); this one reads version ${PROGRESS_VERSION}. Reload the page to get the newest version, then import again.`]);
  }
  try {
    return parseWithFriendlyErrors(ProgressFileSchema, data, { file: fileName, kind: 'progress file', docs: 'src/schemas/progress.ts' });
  } catch (err) {
    if (err instanceof HopError) throw fail(err.parts.details ?? [err.parts.what]);
    throw err;
  }
}

export type MergeSummary = { lessonsRead: number; answers: number };

/**
 * Adds an imported file to the current record: a lesson read in either is read (from the earlier
 * date), and for each question the later answer wins.
 */
export function mergeProgress(current: Progress, file: ProgressFile): { progress: Progress; summary: MergeSummary } {
  const lessons: Record<string, LessonProgress> = { ...current.lessons };
  for (const [slug, incoming] of Object.entries(file.lessons)) {
    const mine = lessons[slug] ?? { checks: {} };
    const readAt =
      mine.readAt === undefined ? incoming.readAt : incoming.readAt === undefined ? mine.readAt : Math.min(mine.readAt, incoming.readAt);
    const checks = { ...mine.checks };
    for (const [id, check] of Object.entries(incoming.checks)) {
      const have = checks[id] ?? { answers: {} };
      const answers = { ...have.answers };
      for (const [q, answer] of Object.entries(check.answers)) {
        const existing = answers[q];
        if (!existing || answer.at > existing.at) answers[q] = answer;
      }
      const total = have.total ?? check.total;
      checks[id] = total === undefined ? { answers } : { total, answers };
    }
    lessons[slug] = readAt === undefined ? { checks } : { readAt, checks };
  }
  const summary: MergeSummary = {
    lessonsRead: Object.values(file.lessons).filter((l) => l.readAt !== undefined).length,
    answers: Object.values(file.lessons).reduce(
      (n, l) => n + Object.values(l.checks).reduce((m, c) => m + Object.keys(c.answers).length, 0),
      0,
    ),
  };
  return { progress: { ...current, lessons }, summary };
}
