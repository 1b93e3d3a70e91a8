/**
 * The learner's progress, kept in localStorage under `hop:progress` (browser code; every function
 * takes the storage so tests can hand in a Map-backed fake).
 *
 * What is kept: lessons read and knowledge-check answers (src/schemas/progress.ts). What is not:
 * lab stages — the lab page already saves each run's results per stage (`hop:lab:<slug>`,
 * src/workbench/storage.ts), so labStagesPassed() reads them from there instead of copying them.
 *
 * Like the lab saves, the record is versioned and checked on the way in, because it outlives the
 * code that wrote it. The check is ProgressSchema (src/schemas/progress.ts) as a JSON shape made
 * at build time, so this code, loaded on every lesson page, does not bring zod along. Anything
 * unreadable (corrupt JSON, a newer or unknown format version, a wrong shape) is never dropped and
 * never crashes a page: it is copied aside under `hop:progress:unreadable:<time>`, the learner
 * starts afresh, and the record remembers the key so the pages can say what happened until the
 * learner dismisses the notice.
 */
import { progress as progressShape, savedLab as savedLabShape } from 'virtual:hop/stored-shapes';
import { matchesShape } from '../lib/json-shape.ts';
import { PROGRESS_VERSION } from '../schemas/progress-format.ts';
import type { LessonProgress, Progress } from '../schemas/progress.ts';
import { storageKey as labStorageKey } from '../workbench/storage-key.ts';
import type { SavedLab, StorageLike } from '../workbench/storage.ts';

export type { StorageLike };

export const PROGRESS_KEY = 'hop:progress';

/** Something the pages should tell the learner about their saved progress (worded in src/errors/catalogue.ts). */
export type ProgressNotice =
  | { code: 'ProgressUnreadable'; key: string; problem: string }
  | { code: 'ProgressUnreadableKept'; key: string; problem: string }
  | { code: 'ProgressNotKept' };

export type LoadedProgress = {
  progress: Progress;
  /** Notices for this load only (storage off, nothing could be set aside); set-aside ones live in progress.setAside. */
  notices: ProgressNotice[];
  /** False when writing would fail or would overwrite data we could not read. */
  canSave: boolean;
};

export function emptyProgress(now = Date.now()): Progress {
  return { version: PROGRESS_VERSION, lessons: {}, setAside: [], updatedAt: now };
}

/** Older versions to the current one. There is only version 1 so far; each later step is kept forever. */
function migrate(data: unknown): Progress | { problem: string } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problem: 'it does not have the shape this site saves' };
  }
  const version = (data as { version?: unknown }).version;
  if (typeof version === 'number' && version > PROGRESS_VERSION) {
    return { problem: `it was saved by a newer version of this site (format ${version})` };
  }
  if (version !== PROGRESS_VERSION) {
    return { problem: `its format version (${JSON.stringify(version) ?? 'none'}) is not one this site knows` };
  }
  // Strict shapes (no unknown keys, nothing transformed), so what passes is the record as stored.
  return matchesShape(progressShape, data) ? (data as Progress) : { problem: 'it does not have the shape this site saves' };
}

/** Reads the record, setting aside anything unreadable. Never throws. */
export function loadProgress(storage: StorageLike, now = Date.now()): LoadedProgress {
  let raw: string | null;
  try {
    raw = storage.getItem(PROGRESS_KEY);
  } catch {
    return { progress: emptyProgress(now), notices: [{ code: 'ProgressNotKept' }], canSave: false };
  }
  if (raw === null) return { progress: emptyProgress(now), notices: [], canSave: true };

  let problem: string;
  try {
    const migrated = migrate(JSON.parse(raw));
    if (!('problem' in migrated)) return { progress: migrated, notices: [], canSave: true };
    problem = migrated.problem;
  } catch {
    problem = 'it is not valid JSON';
  }

  const key = `${PROGRESS_KEY}:unreadable:${new Date(now).toISOString()}`;
  const fresh: Progress = { ...emptyProgress(now), setAside: [{ key, problem, at: now, dismissed: false }] };
  try {
    storage.setItem(key, raw);
    storage.setItem(PROGRESS_KEY, JSON.stringify(fresh));
  } catch {
    // Could not copy it aside (storage full): leave it where it is and do not overwrite it.
    try {
      storage.removeItem(key);
    } catch {
      /* nothing more we can do */
    }
    return {
      progress: emptyProgress(now),
      notices: [{ code: 'ProgressUnreadableKept', key: PROGRESS_KEY, problem }],
      canSave: false,
    };
  }
  return { progress: fresh, notices: [], canSave: true };
}

/** Every notice to show: this load's, plus set-aside data the learner has not dismissed yet. */
export function activeNotices(loaded: LoadedProgress): ProgressNotice[] {
  const aside: ProgressNotice[] = loaded.progress.setAside
    .filter((s) => !s.dismissed)
    .map((s) => ({ code: 'ProgressUnreadable', key: s.key, problem: s.problem }));
  return [...loaded.notices, ...aside];
}

export type SaveFailure = { code: 'ProgressSaveFailed'; full: boolean };

/** Writes the record; returns what went wrong when the browser refuses (quota, storage off). */
export function saveProgress(storage: StorageLike, progress: Progress): SaveFailure | null {
  try {
    storage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return null;
  } catch (err) {
    return { code: 'ProgressSaveFailed', full: (err as Error)?.name === 'QuotaExceededError' };
  }
}

/**
 * Read, change, write — from storage each time, so two open tabs add to each other's progress
 * instead of overwriting it. When saving is off, the change is made in memory only.
 */
export function updateProgress(
  storage: StorageLike,
  change: (p: Progress) => Progress,
  now = Date.now(),
): LoadedProgress & { saveFailure: SaveFailure | null } {
  const loaded = loadProgress(storage, now);
  const before = JSON.stringify(loaded.progress);
  const changed = change(loaded.progress);
  if (JSON.stringify(changed) === before) return { ...loaded, saveFailure: null };
  const progress = { ...changed, updatedAt: now };
  const saveFailure = loaded.canSave ? saveProgress(storage, progress) : null;
  return { ...loaded, progress, saveFailure };
}

// ── Changes (pure: each returns a new record) ─────────────────────────────────────────────────

function lessonOf(p: Progress, slug: string): LessonProgress {
  return p.lessons[slug] ?? { checks: {} };
}

function withLesson(p: Progress, slug: string, lesson: LessonProgress): Progress {
  return { ...p, lessons: { ...p.lessons, [slug]: lesson } };
}

/** Marks a lesson read; the first time counts, so re-reading keeps the original date. */
export function markRead(p: Progress, slug: string, now = Date.now()): Progress {
  const lesson = lessonOf(p, slug);
  if (lesson.readAt !== undefined) return p;
  return withLesson(p, slug, { ...lesson, readAt: now });
}

export function markUnread(p: Progress, slug: string): Progress {
  const lesson = p.lessons[slug];
  if (!lesson || lesson.readAt === undefined) return p;
  const { readAt: _dropped, ...rest } = lesson;
  return withLesson(p, slug, rest);
}

/** Notes how many questions each check on a lesson has, so "n/m" can be shown elsewhere. */
export function noteCheckTotals(p: Progress, slug: string, totals: Record<string, number>): Progress {
  const lesson = lessonOf(p, slug);
  const checks = { ...lesson.checks };
  let changed = !(slug in p.lessons) && Object.keys(totals).length > 0;
  for (const [id, total] of Object.entries(totals)) {
    if (!Number.isInteger(total) || total < 1 || total > 100) continue;
    const check = checks[id] ?? { answers: {} };
    if (check.total === total && checks[id]) continue;
    checks[id] = { ...check, total };
    changed = true;
  }
  return changed ? withLesson(p, slug, { ...lesson, checks }) : p;
}

export type AnswerEvent = { lesson: string; check: string; question: number; option: number; correct: boolean };

/** Records the learner's latest answer to one question (a changed answer replaces the earlier one). */
export function recordAnswer(p: Progress, a: AnswerEvent, now = Date.now()): Progress {
  if (!a.check || !Number.isInteger(a.question) || a.question < 1 || !Number.isInteger(a.option) || a.option < 0) return p;
  const lesson = lessonOf(p, a.lesson);
  const check = lesson.checks[a.check] ?? { answers: {} };
  const answers = { ...check.answers, [String(a.question)]: { option: a.option, correct: a.correct, at: now } };
  return withLesson(p, a.lesson, { ...lesson, checks: { ...lesson.checks, [a.check]: { ...check, answers } } });
}

/** Marks every set-aside notice as seen. The set-aside data itself stays in storage. */
export function dismissNotices(p: Progress): Progress {
  if (p.setAside.every((s) => s.dismissed)) return p;
  return { ...p, setAside: p.setAside.map((s) => ({ ...s, dismissed: true })) };
}

/** Forgets lessons read and check answers; keeps the record of set-aside data. */
export function resetLessons(p: Progress): Progress {
  return { ...p, lessons: {} };
}

// ── Reading it back ───────────────────────────────────────────────────────────────────────────

export type LessonStatus = {
  read: boolean;
  /** Questions answered, over every check of the lesson. */
  answered: number;
  correct: number;
  /** Questions in the lesson's checks, once the learner has opened it; undefined before. */
  total: number | undefined;
};

export function lessonStatus(p: Progress, slug: string): LessonStatus {
  const lesson = p.lessons[slug];
  if (!lesson) return { read: false, answered: 0, correct: 0, total: undefined };
  let answered = 0;
  let correct = 0;
  let total: number | undefined = 0;
  for (const check of Object.values(lesson.checks)) {
    const answers = Object.values(check.answers);
    answered += answers.length;
    correct += answers.filter((a) => a.correct).length;
    total = check.total === undefined || total === undefined ? undefined : total + check.total;
  }
  if (Object.keys(lesson.checks).length === 0) total = undefined;
  return { read: lesson.readAt !== undefined, answered, correct, total };
}

/**
 * The 1-based stages whose last run passed, from the lab page's own save. Read-only and
 * forgiving: a save the lab page cannot read yet is its business (it sets it aside and says so
 * when the lab is opened), so here it simply counts as no stages passed.
 */
export function labStagesPassed(storage: StorageLike, lab: string): number[] {
  let raw: string | null;
  try {
    raw = storage.getItem(labStorageKey(lab));
  } catch {
    return [];
  }
  if (raw === null) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!matchesShape(savedLabShape, data) || (data as SavedLab).lab !== lab) return [];
  return Object.entries((data as SavedLab).lastResults)
    .filter(([stage, result]) => /^[1-9][0-9]*$/.test(stage) && result.status === 'pass')
    .map(([stage]) => Number(stage))
    .sort((a, b) => a - b);
}
