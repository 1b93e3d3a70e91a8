/**
 * The learner's work on one lab, kept in localStorage under `hop:lab:<slug>`.
 *
 * The record is versioned and checked with zod on the way in, because it outlives the code that
 * wrote it: a learner comes back weeks later to a newer site. Old versions are migrated; anything
 * we cannot read (corrupt JSON, a record from a newer site, a wrong shape) is never dropped — it is
 * copied aside under another key and the page says so, naming the key.
 */
import { z } from 'astro/zod';
import { storageKey } from './storage-key.ts';

export { storageKey };

export const STORAGE_VERSION = 2;

const Files = z.record(z.string(), z.string());

const StoredTest = z.object({
  name: z.string(),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string().optional(),
  output: z.string().optional(),
});

/** The last result of one stage, as the results panel shows it after a reload. */
export const StageResultSchema = z.object({
  status: z.enum(['pass', 'fail', 'error', 'skipped']),
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  note: z.string().optional(),
  tests: z.array(StoredTest),
  /** When the run finished (ms since the epoch). */
  at: z.number(),
  runtime: z.enum(['local', 'webcontainer']),
});
export type StageResult = z.infer<typeof StageResultSchema>;

/** Version 1 kept the files only (the first save format: no results, no undo, no starter hash). */
const SavedLabV1Schema = z.object({
  version: z.literal(1),
  lab: z.string(),
  files: Files,
  updatedAt: z.number(),
});

export const SavedLabSchema = z.object({
  version: z.literal(STORAGE_VERSION),
  lab: z.string(),
  /** The learner's files by path; may hold files a newer lab version no longer lists (kept, not shown). */
  files: Files,
  /** Hash of the starter the files were started from; a different one means the lab was updated. */
  starterHash: z.string(),
  updatedAt: z.number(),
  /** By 1-based stage number. */
  lastResults: z.record(z.string(), StageResultSchema),
  /** The code a reset replaced, so "Undo reset" can bring it back (one level). */
  undo: z.object({ files: Files, at: z.number() }).nullable(),
  /** How many hints the learner has opened, by 1-based stage number. */
  hintsShown: z.record(z.string(), z.number().int().min(0)),
});
export type SavedLab = z.infer<typeof SavedLabSchema>;

/** The part of localStorage we use, so tests can hand in a Map-backed fake. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type Starter = { files: Record<string, string>; hash: string };

export type LoadResult = {
  saved: SavedLab;
  /** Sentences for the notice area: what happened to saved data the learner should know about. */
  notices: string[];
  /** False when unreadable data could not be copied aside: saving would overwrite it. */
  canSave: boolean;
};

/** FNV-1a over the sorted files: synchronous and stable, which is all a change detector needs. */
export function starterHash(files: Record<string, string>): string {
  let h = 0x811c9dc5;
  for (const name of Object.keys(files).sort()) {
    for (const ch of `${name}\0${files[name]}\0`) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

export function freshSave(lab: string, starter: Starter, now = Date.now()): SavedLab {
  return {
    version: STORAGE_VERSION,
    lab,
    files: { ...starter.files },
    starterHash: starter.hash,
    updatedAt: now,
    lastResults: {},
    undo: null,
    hintsShown: {},
  };
}

/** Older versions to the current one. Each step is small and kept forever. */
function migrate(data: unknown): SavedLab | { problem: string } {
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > STORAGE_VERSION) {
    return { problem: `it was saved by a newer version of this site (save format ${version})` };
  }
  if (version === 1) {
    const v1 = SavedLabV1Schema.safeParse(data);
    if (!v1.success) return { problem: 'it does not have the shape this site saves' };
    // An empty hash never matches, so the starter-upgrade step below adds any new starter files.
    return { ...v1.data, version: STORAGE_VERSION, starterHash: '', lastResults: {}, undo: null, hintsShown: {} };
  }
  const current = SavedLabSchema.safeParse(data);
  return current.success ? current.data : { problem: 'it does not have the shape this site saves' };
}

/** Reads the saved work for a lab, migrating, setting aside and upgrading as needed. */
export function loadSaved(storage: StorageLike, lab: string, starter: Starter, now = Date.now()): LoadResult {
  const key = storageKey(lab);
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    // Storage disabled (some private modes): work still goes on, it just is not kept.
    return { saved: freshSave(lab, starter, now), notices: ['This browser does not let the page keep your code, so it will be lost when you close the tab. Use "Download my code" to keep it.'], canSave: false };
  }
  if (raw === null) return { saved: freshSave(lab, starter, now), notices: [], canSave: true };

  let data: unknown;
  let problem: string | undefined;
  try {
    data = JSON.parse(raw);
  } catch {
    problem = 'it is not valid JSON';
  }
  let saved: SavedLab | undefined;
  if (!problem) {
    const migrated = migrate(data);
    if ('problem' in migrated) problem = migrated.problem;
    else if (migrated.lab !== lab) problem = `it belongs to another lab ("${migrated.lab}")`;
    else saved = migrated;
  }
  if (!saved) {
    const aside = setAside(storage, lab, raw, now);
    const notice = aside
      ? `We couldn't read your saved code for this lab (${problem}), so you are starting from the starter files. Nothing was deleted: it was kept in this browser's storage as "${aside}".`
      : `We couldn't read your saved code for this lab (${problem}) and couldn't copy it aside either (storage is full). It was left untouched under "${key}", and saving is off so it is not overwritten; use "Download my code" to keep your work.`;
    return { saved: freshSave(lab, starter, now), notices: [notice], canSave: aside !== null };
  }
  return upgradeStarter(saved, starter);
}

/**
 * A new lab version may ship a different starter. The learner's files always win; starter files
 * they do not have yet are added, and the page says what changed.
 */
export function upgradeStarter(saved: SavedLab, starter: Starter): LoadResult {
  if (saved.starterHash === starter.hash) return { saved, notices: [], canSave: true };
  const added = Object.keys(starter.files).filter((name) => !(name in saved.files));
  const files = { ...saved.files };
  for (const name of added) files[name] = starter.files[name]!;
  const notices =
    saved.starterHash === ''
      ? added.length > 0
        ? [`This lab now has more files: ${added.join(', ')} ${added.length === 1 ? 'was' : 'were'} added from the starter. Your code was kept.`]
        : []
      : [
          added.length > 0
            ? `This lab was updated since you last worked on it. Your code was kept, and ${added.join(', ')} ${added.length === 1 ? 'was' : 'were'} added from the new starter.`
            : 'This lab was updated since you last worked on it. Your code was kept as it was; compare with "Reset to starter" (you can undo it) if something no longer fits.',
        ];
  return { saved: { ...saved, files, starterHash: starter.hash }, notices, canSave: true };
}

/** Copies unreadable data to `hop:lab:<slug>:unreadable:<time>`; returns that key, or null if it could not. */
function setAside(storage: StorageLike, lab: string, raw: string, now: number): string | null {
  const asideKey = `${storageKey(lab)}:unreadable:${new Date(now).toISOString()}`;
  try {
    storage.setItem(asideKey, raw);
    storage.removeItem(storageKey(lab));
    return asideKey;
  } catch {
    return null;
  }
}

/** Writes the record; returns a sentence for the learner when the browser refuses (quota, disabled). */
export function writeSaved(storage: StorageLike, saved: SavedLab): string | null {
  try {
    storage.setItem(storageKey(saved.lab), JSON.stringify(saved));
    return null;
  } catch (err) {
    const full = (err as Error)?.name === 'QuotaExceededError';
    return full
      ? "Your browser's storage for this site is full, so your latest changes are not saved. Use \"Download my code\" to keep them."
      : 'Your latest changes could not be saved in this browser. Use "Download my code" to keep them.';
  }
}
