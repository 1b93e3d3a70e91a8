import { describe, expect, test } from 'vitest';
import { PROGRESS_VERSION, type Progress } from '../../../src/schemas/progress.ts';
import {
  activeNotices,
  dismissNotices,
  emptyProgress,
  labStagesPassed,
  lessonStatus,
  loadProgress,
  markRead,
  markUnread,
  noteCheckTotals,
  PROGRESS_KEY,
  recordAnswer,
  resetLessons,
  updateProgress,
  type StorageLike,
} from '../../../src/progress/store.ts';
import { noticeParts } from '../../../src/progress/messages.ts';
import { freshSave, starterHash, storageKey } from '../../../src/workbench/storage.ts';

class MemoryStorage implements StorageLike {
  data = new Map<string, string>();
  full = false;
  blocked = false;
  getItem(key: string) {
    if (this.blocked) throw new Error('SecurityError');
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.blocked) throw new Error('SecurityError');
    if (this.full) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const ASIDE = `${PROGRESS_KEY}:unreadable:2026-01-02T03:04:05.000Z`;

describe('loading progress', () => {
  test('nothing saved gives empty progress and no notice', () => {
    const r = loadProgress(new MemoryStorage(), NOW);
    expect(r.progress).toEqual(emptyProgress(NOW));
    expect(r.progress.version).toBe(PROGRESS_VERSION);
    expect(activeNotices(r)).toEqual([]);
    expect(r.canSave).toBe(true);
  });

  test('a saved record round-trips through storage', () => {
    const storage = new MemoryStorage();
    updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW);
    updateProgress(storage, (p) => recordAnswer(p, { lesson: 'dns', check: 'dns-check', question: 2, option: 1, correct: true }, NOW), NOW);
    const r = loadProgress(storage, NOW + 1);
    expect(r.progress.lessons).toEqual({
      dns: { readAt: NOW, checks: { 'dns-check': { answers: { '2': { option: 1, correct: true, at: NOW } } } } },
    });
  });

  test('corrupt JSON is set aside under another key, with a notice naming that key', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, '{"version":1,"lessons":{"dn');
    const r = loadProgress(storage, NOW);
    expect(storage.data.get(ASIDE)).toBe('{"version":1,"lessons":{"dn');
    expect(r.progress.lessons).toEqual({});
    expect(r.canSave).toBe(true);
    const notices = activeNotices(r);
    expect(notices).toEqual([{ code: 'ProgressUnreadable', key: ASIDE, problem: 'it is not valid JSON' }]);
    const parts = noticeParts(notices[0]!);
    expect(parts.what).toContain('could not be read (it is not valid JSON)');
    expect(parts.what).toContain(ASIDE);
    expect(parts.fix).toContain('import');
  });

  test('the set-aside notice stays on later loads until it is dismissed', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, 'not json');
    loadProgress(storage, NOW);
    expect(activeNotices(loadProgress(storage, NOW + 10))).toHaveLength(1);
    updateProgress(storage, dismissNotices, NOW + 20);
    const later = loadProgress(storage, NOW + 30);
    expect(activeNotices(later)).toEqual([]);
    expect(later.progress.setAside).toEqual([{ key: ASIDE, problem: 'it is not valid JSON', at: NOW, dismissed: true }]);
    expect(storage.data.get(ASIDE)).toBe('not json');
  });

  test('a record from a newer version is set aside, not misread', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, JSON.stringify({ version: PROGRESS_VERSION + 1, lessons: {}, whatever: true }));
    const r = loadProgress(storage, NOW);
    expect(activeNotices(r)[0]).toMatchObject({ problem: `it was saved by a newer version of this site (format ${PROGRESS_VERSION + 1})` });
    expect(storage.data.has(ASIDE)).toBe(true);
  });

  test('an unknown version is set aside', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, JSON.stringify({ version: '1', lessons: {} }));
    expect(activeNotices(loadProgress(storage, NOW))[0]).toMatchObject({ problem: 'its format version ("1") is not one this site knows' });
    storage.data.set(PROGRESS_KEY, JSON.stringify([1, 2, 3]));
    expect(activeNotices(loadProgress(storage, NOW + 1000))[0]).toMatchObject({ problem: 'it does not have the shape this site saves' });
  });

  test('a current-version record with the wrong shape is set aside', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, JSON.stringify({ version: 1, lessons: { dns: { readAt: 'yesterday', checks: {} } }, setAside: [], updatedAt: NOW }));
    expect(activeNotices(loadProgress(storage, NOW))[0]).toMatchObject({ problem: 'it does not have the shape this site saves' });
  });

  test('unreadable data that cannot be copied aside is left alone and saving stops', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, 'garbage');
    storage.full = true;
    const r = loadProgress(storage, NOW);
    expect(r.canSave).toBe(false);
    expect(r.notices).toEqual([{ code: 'ProgressUnreadableKept', key: PROGRESS_KEY, problem: 'it is not valid JSON' }]);
    const after = updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW);
    expect(after.progress.lessons.dns?.readAt).toBe(NOW);
    expect(storage.data.get(PROGRESS_KEY)).toBe('garbage');
  });

  test('storage that is turned off never throws and says progress is not kept', () => {
    const storage = new MemoryStorage();
    storage.blocked = true;
    const r = loadProgress(storage, NOW);
    expect(r.canSave).toBe(false);
    expect(r.notices).toEqual([{ code: 'ProgressNotKept' }]);
    expect(noticeParts(r.notices[0]!).what).toContain('forgotten when you close the tab');
    expect(() => updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW)).not.toThrow();
  });

  test('a full storage reports a save failure instead of throwing', () => {
    const storage = new MemoryStorage();
    loadProgress(storage, NOW);
    storage.full = true;
    const r = updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW);
    expect(r.saveFailure).toEqual({ code: 'ProgressSaveFailed', full: true });
    expect(noticeParts(r.saveFailure!).what).toContain('full');
  });
});

describe('changing progress', () => {
  test('reading keeps the first date; unread forgets it but keeps the answers', () => {
    let p = markRead(emptyProgress(NOW), 'dns', NOW);
    p = markRead(p, 'dns', NOW + 5000);
    expect(p.lessons.dns?.readAt).toBe(NOW);
    p = recordAnswer(p, { lesson: 'dns', check: 'c', question: 1, option: 0, correct: false }, NOW);
    p = markUnread(p, 'dns');
    expect(p.lessons.dns).toEqual({ checks: { c: { answers: { '1': { option: 0, correct: false, at: NOW } } } } });
  });

  test('a changed answer replaces the earlier one', () => {
    let p = recordAnswer(emptyProgress(NOW), { lesson: 'dns', check: 'c', question: 1, option: 0, correct: false }, NOW);
    p = recordAnswer(p, { lesson: 'dns', check: 'c', question: 1, option: 2, correct: true }, NOW + 1);
    expect(p.lessons.dns?.checks.c?.answers).toEqual({ '1': { option: 2, correct: true, at: NOW + 1 } });
  });

  test('answers with an impossible question or option are ignored', () => {
    const p = emptyProgress(NOW);
    expect(recordAnswer(p, { lesson: 'dns', check: 'c', question: 0, option: 0, correct: true }, NOW)).toBe(p);
    expect(recordAnswer(p, { lesson: 'dns', check: '', question: 1, option: 0, correct: true }, NOW)).toBe(p);
    expect(recordAnswer(p, { lesson: 'dns', check: 'c', question: 1, option: Number.NaN, correct: true }, NOW)).toBe(p);
  });

  test('check totals give n of m per lesson, summed over its checks', () => {
    let p = noteCheckTotals(emptyProgress(NOW), 'dns', { a: 4, b: 2 });
    expect(lessonStatus(p, 'dns')).toEqual({ read: false, answered: 0, correct: 0, total: 6 });
    p = recordAnswer(p, { lesson: 'dns', check: 'a', question: 1, option: 0, correct: true }, NOW);
    p = recordAnswer(p, { lesson: 'dns', check: 'b', question: 2, option: 1, correct: false }, NOW);
    expect(lessonStatus(p, 'dns')).toEqual({ read: false, answered: 2, correct: 1, total: 6 });
    expect(noteCheckTotals(p, 'dns', { a: 4, b: 2 })).toBe(p);
  });

  test('a lesson never opened has no total, and an answer before the total leaves it unknown', () => {
    expect(lessonStatus(emptyProgress(NOW), 'dns')).toEqual({ read: false, answered: 0, correct: 0, total: undefined });
    const p = recordAnswer(emptyProgress(NOW), { lesson: 'dns', check: 'a', question: 1, option: 0, correct: true }, NOW);
    expect(lessonStatus(p, 'dns').total).toBeUndefined();
  });

  test('updateProgress leaves storage untouched when nothing changed', () => {
    const storage = new MemoryStorage();
    updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW);
    const before = storage.data.get(PROGRESS_KEY);
    updateProgress(storage, (p) => markRead(p, 'dns', NOW + 99), NOW + 99);
    expect(storage.data.get(PROGRESS_KEY)).toBe(before);
  });

  test('reset forgets lessons but remembers set-aside data', () => {
    const storage = new MemoryStorage();
    storage.data.set(PROGRESS_KEY, '{');
    loadProgress(storage, NOW);
    const r = updateProgress(storage, (p) => resetLessons(markRead(p, 'dns', NOW)), NOW + 1);
    expect(r.progress.lessons).toEqual({});
    expect(r.progress.setAside).toHaveLength(1);
  });

  test('two tabs add to each other instead of overwriting', () => {
    const storage = new MemoryStorage();
    updateProgress(storage, (p) => markRead(p, 'dns', NOW), NOW);
    updateProgress(storage, (p) => markRead(p, 'nat-and-port-forwarding', NOW + 1), NOW + 1);
    expect(Object.keys(loadProgress(storage).progress.lessons).sort()).toEqual(['dns', 'nat-and-port-forwarding']);
  });
});

describe('lab stages come from the lab page saves', () => {
  const LAB = 'reverse-proxy';
  const files = { 'proxy.ts': '// starter\n' };
  const result = (status: 'pass' | 'fail' | 'error' | 'skipped') => ({ status, passed: 1, total: 1, tests: [], at: NOW, runtime: 'local' as const });

  test('counts the stages whose last run passed', () => {
    const storage = new MemoryStorage();
    const saved = { ...freshSave(LAB, { files, hash: starterHash(files) }, NOW), lastResults: { '1': result('pass'), '2': result('pass'), '3': result('fail'), '4': result('skipped') } };
    storage.data.set(storageKey(LAB), JSON.stringify(saved));
    expect(labStagesPassed(storage, LAB)).toEqual([1, 2]);
  });

  test('no save, an old save without results, or an unreadable save count as none passed', () => {
    const storage = new MemoryStorage();
    expect(labStagesPassed(storage, LAB)).toEqual([]);
    storage.data.set(storageKey(LAB), JSON.stringify({ version: 1, lab: LAB, files, updatedAt: NOW }));
    expect(labStagesPassed(storage, LAB)).toEqual([]);
    storage.data.set(storageKey(LAB), '{oops');
    expect(labStagesPassed(storage, LAB)).toEqual([]);
    // Reading never sets anything aside: that is the lab page's job when the lab is opened.
    expect(storage.data.get(storageKey(LAB))).toBe('{oops');
  });

  test('a save that belongs to another lab is not counted', () => {
    const storage = new MemoryStorage();
    const saved: ReturnType<typeof freshSave> = { ...freshSave('dns-resolver', { files, hash: 'x' }, NOW), lastResults: { '1': result('pass') } };
    storage.data.set(storageKey(LAB), JSON.stringify(saved));
    expect(labStagesPassed(storage, LAB)).toEqual([]);
  });
});

// Keep the type import used: the record a test builds by hand has to be a valid Progress.
const _example: Progress = emptyProgress(NOW);
void _example;
