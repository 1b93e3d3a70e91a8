import { describe, expect, test } from 'vitest';
import type { GradeReport } from '../../../src/engine/report.ts';
import { withFile, withHintShown, withReport, withReset, withUndoneReset } from '../../../src/workbench/saved-lab.ts';
import {
  freshSave,
  loadSaved,
  STORAGE_VERSION,
  starterHash,
  storageKey,
  writeSaved,
  type StorageLike,
} from '../../../src/workbench/storage.ts';

class MemoryStorage implements StorageLike {
  data = new Map<string, string>();
  full = false;
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

const LAB = 'reverse-proxy';
const starterFiles = { 'proxy.ts': '// starter\n' };
const starter = { files: starterFiles, hash: starterHash(starterFiles) };
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

function stored(storage: MemoryStorage, value: unknown) {
  storage.data.set(storageKey(LAB), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('loading saved work', () => {
  test('nothing saved: the starter, no notice', () => {
    const r = loadSaved(new MemoryStorage(), LAB, starter, NOW);
    expect(r.saved).toEqual(freshSave(LAB, starter, NOW));
    expect(r.notices).toEqual([]);
    expect(r.canSave).toBe(true);
  });

  test('a round trip keeps files, results, undo and hints', () => {
    const storage = new MemoryStorage();
    let saved = withFile(freshSave(LAB, starter, NOW), 'proxy.ts', 'mine');
    saved = withReset(saved, starterFiles);
    saved = withHintShown(saved, 1, 3);
    expect(writeSaved(storage, saved)).toBeNull();
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.saved).toEqual(saved);
    expect(r.notices).toEqual([]);
  });

  test('corrupt JSON is set aside under another key, with a notice naming it', () => {
    const storage = new MemoryStorage();
    stored(storage, '{"version":2,"files":{"proxy.ts":"half a fi');
    const r = loadSaved(storage, LAB, starter, NOW);
    const asideKey = `${storageKey(LAB)}:unreadable:2025-01-02T03:04:05.000Z`;
    expect(storage.data.get(asideKey)).toBe('{"version":2,"files":{"proxy.ts":"half a fi');
    expect(storage.data.has(storageKey(LAB))).toBe(false);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toContain("We couldn't read your saved code");
    expect(r.notices[0]).toContain('not valid JSON');
    expect(r.notices[0]).toContain(asideKey);
    expect(r.saved.files).toEqual(starterFiles);
    expect(r.canSave).toBe(true);
  });

  test('a record with the wrong shape is set aside too', () => {
    const storage = new MemoryStorage();
    stored(storage, { version: 2, lab: LAB, files: { 'proxy.ts': 42 } });
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.notices[0]).toContain('does not have the shape');
    expect([...storage.data.keys()]).toEqual([`${storageKey(LAB)}:unreadable:2025-01-02T03:04:05.000Z`]);
  });

  test('a record from a newer site is kept aside, not misread', () => {
    const storage = new MemoryStorage();
    stored(storage, { version: STORAGE_VERSION + 1, lab: LAB, files: { 'proxy.ts': 'future' } });
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.notices[0]).toContain('newer version of this site');
    expect(r.saved.files).toEqual(starterFiles);
  });

  test('when the copy cannot be made, the original stays and saving is turned off', () => {
    const storage = new MemoryStorage();
    stored(storage, 'not json');
    storage.full = true;
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.canSave).toBe(false);
    expect(storage.data.get(storageKey(LAB))).toBe('not json');
    expect(r.notices[0]).toContain('saving is off');
  });

  test('version 1 (files only) is migrated, keeping the code', () => {
    const storage = new MemoryStorage();
    stored(storage, { version: 1, lab: LAB, files: { 'proxy.ts': 'my v1 code' }, updatedAt: 5 });
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.saved).toEqual({
      version: STORAGE_VERSION,
      lab: LAB,
      files: { 'proxy.ts': 'my v1 code' },
      starterHash: starter.hash,
      updatedAt: 5,
      lastResults: {},
      undo: null,
      hintsShown: {},
    });
    expect(r.notices).toEqual([]);
  });

  test("another lab's record under this key is set aside", () => {
    const storage = new MemoryStorage();
    stored(storage, freshSave('l7-load-balancer', starter, NOW));
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.notices[0]).toContain('another lab');
  });

  test('storage that throws on read still gives a working page, with a notice', () => {
    const storage: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {},
      removeItem: () => {},
    };
    const r = loadSaved(storage, LAB, starter, NOW);
    expect(r.saved.files).toEqual(starterFiles);
    expect(r.canSave).toBe(false);
    expect(r.notices[0]).toContain('Download my code');
  });
});

describe('a new starter (the lab was updated)', () => {
  test("keeps the learner's files and adds the new starter files", () => {
    const storage = new MemoryStorage();
    stored(storage, withFile(freshSave(LAB, starter, NOW), 'proxy.ts', 'learner code'));
    const next = { 'proxy.ts': '// new starter\n', 'cache.ts': '// cache starter\n' };
    const r = loadSaved(storage, LAB, { files: next, hash: starterHash(next) }, NOW);
    expect(r.saved.files).toEqual({ 'proxy.ts': 'learner code', 'cache.ts': '// cache starter\n' });
    expect(r.saved.starterHash).toBe(starterHash(next));
    expect(r.notices[0]).toMatch(/updated.*kept.*cache\.ts was added/);
  });

  test('says so even when no file was added', () => {
    const storage = new MemoryStorage();
    stored(storage, withFile(freshSave(LAB, starter, NOW), 'proxy.ts', 'learner code'));
    const next = { 'proxy.ts': '// new starter\n' };
    const r = loadSaved(storage, LAB, { files: next, hash: starterHash(next) }, NOW);
    expect(r.saved.files['proxy.ts']).toBe('learner code');
    expect(r.notices[0]).toContain('Your code was kept');
  });

  test('the hash depends on names and contents, not on key order', () => {
    expect(starterHash({ a: '1', b: '2' })).toBe(starterHash({ b: '2', a: '1' }));
    expect(starterHash({ a: '1' })).not.toBe(starterHash({ a: '2' }));
    expect(starterHash({ a: '1' })).not.toBe(starterHash({ b: '1' }));
  });
});

describe('reset and undo', () => {
  test('reset keeps the replaced code; undo brings it back once', () => {
    const mine = withFile(freshSave(LAB, starter, NOW), 'proxy.ts', 'mine');
    const reset = withReset(mine, starterFiles, NOW + 1);
    expect(reset.files).toEqual(starterFiles);
    expect(reset.undo).toEqual({ files: { 'proxy.ts': 'mine' }, at: NOW + 1 });
    const undone = withUndoneReset(reset, NOW + 2);
    expect(undone.files).toEqual({ 'proxy.ts': 'mine' });
    expect(undone.undo).toBeNull();
    expect(withUndoneReset(undone)).toBe(undone);
  });

  test('reset never drops a file the starter does not have', () => {
    const saved = { ...freshSave(LAB, starter, NOW), files: { 'proxy.ts': 'mine', 'old.ts': 'kept' } };
    expect(withReset(saved, starterFiles).files).toEqual({ 'proxy.ts': '// starter\n', 'old.ts': 'kept' });
  });

  test('hints open one at a time, up to the number there are', () => {
    let saved = freshSave(LAB, starter, NOW);
    for (let i = 0; i < 5; i++) saved = withHintShown(saved, 2, 3);
    expect(saved.hintsShown).toEqual({ '2': 3 });
  });
});

describe('results', () => {
  const report: GradeReport = {
    version: 3,
    status: 'fail',
    lab: LAB,
    uptoStage: 1,
    durationMs: 900,
    tests: [
      { name: 'forwards GET', status: 'pass', task_id: 1 },
      { name: 'streams', status: 'fail', message: 'x'.repeat(10_000), output: 'log line', task_id: 1 },
    ],
    stages: [
      { index: 1, id: 'forward', title: 'Forward', status: 'fail', passed: 1, total: 2 },
      { index: 2, id: 'route', title: 'Route', status: 'not-run', passed: 0, total: 0, note: 'Not graded' },
    ],
  };

  test('keeps each graded stage with its tests, capping long messages; not-run stages keep their old result', () => {
    const before = { ...freshSave(LAB, starter, NOW) };
    before.lastResults = { '2': { status: 'pass', passed: 3, total: 3, tests: [], at: 1, runtime: 'local' } };
    const after = withReport(before, report, 'local', NOW);
    expect(after.lastResults['2']).toEqual(before.lastResults['2']);
    const one = after.lastResults['1']!;
    expect(one).toMatchObject({ status: 'fail', passed: 1, total: 2, at: NOW, runtime: 'local' });
    expect(one.tests[0]).toEqual({ name: 'forwards GET', status: 'pass' });
    expect(one.tests[1]!.message!.length).toBeLessThan(4_100);
    expect(one.tests[1]!.message).toContain('more characters not kept');
    expect(one.tests[1]!.output).toBe('log line');
  });
});
