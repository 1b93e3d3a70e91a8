import { describe, expect, test } from 'vitest';
import { HopError } from '../../../src/errors/catalogue.ts';
import { mergeProgress, progressFileName, readProgressFile, toProgressFile } from '../../../src/progress/file.ts';
import { emptyProgress, markRead, noteCheckTotals, recordAnswer } from '../../../src/progress/store.ts';

const NOW = Date.UTC(2026, 0, 31, 12);

function sample() {
  let p = markRead(emptyProgress(NOW), 'dns', NOW);
  p = noteCheckTotals(p, 'dns', { 'dns-check': 4 });
  p = recordAnswer(p, { lesson: 'dns', check: 'dns-check', question: 1, option: 2, correct: true }, NOW);
  return p;
}

function importError(text: string, name = 'progress.json'): HopError {
  try {
    readProgressFile(text, name);
  } catch (err) {
    if (err instanceof HopError) return err;
    throw err;
  }
  throw new Error('expected the import to fail');
}

describe('export and import', () => {
  test('an exported file imports back to the same lessons', () => {
    const file = toProgressFile(sample(), NOW);
    expect(file).toMatchObject({ format: 'hop-by-hop-progress', version: 1, exportedAt: NOW });
    expect(readProgressFile(JSON.stringify(file, null, 2), 'x.json')).toEqual(file);
    expect(progressFileName(NOW)).toBe('hop-by-hop-progress-2026-01-31.json');
  });

  test('the export leaves out the set-aside notices, which belong to this browser', () => {
    const p = { ...sample(), setAside: [{ key: 'k', problem: 'p', at: NOW, dismissed: false }] };
    expect(Object.keys(toProgressFile(p, NOW)).sort()).toEqual(['exportedAt', 'format', 'lessons', 'version']);
  });

  test('a file that is not JSON says so, naming the file', () => {
    const err = importError('{"format": "hop-by-hop-progress",', 'notes.txt');
    expect(err.code).toBe('InvalidProgressFile');
    expect(err.parts.what).toBe('"notes.txt" is not a progress file this course can import, so nothing was changed.');
    expect(err.parts.details?.[0]).toMatch(/^It is not JSON: /);
  });

  test('some other JSON file is recognised as not a progress file', () => {
    expect(importError('{"name": "hop-by-hop", "version": "0.1.0"}').parts.details).toEqual([
      'It has no "format" field, so it is not a progress file from this course (those say "format": "hop-by-hop-progress").',
    ]);
    expect(importError('[1, 2]').parts.details?.[0]).toContain('It holds a list');
    expect(importError('{"format": "hop-by-hop-bookmarks"}').parts.details?.[0]).toBe(
      '"format" is "hop-by-hop-bookmarks", but a progress file from this course says "hop-by-hop-progress".',
    );
  });

  test('a file from a newer course version asks for a reload', () => {
    const err = importError(JSON.stringify({ format: 'hop-by-hop-progress', version: 2, exportedAt: NOW, lessons: {} }));
    expect(err.parts.details?.[0]).toContain('exported by a newer version of this course (version 2)');
  });

  test('a wrong field is named with what it should be', () => {
    const file = toProgressFile(sample(), NOW) as unknown as { lessons: { dns: { readAt: unknown } } };
    file.lessons.dns.readAt = 'yesterday';
    const details = importError(JSON.stringify(file)).parts.details ?? [];
    expect(details).toEqual(['"lessons.dns.readAt" is "yesterday", but it should be a time in milliseconds since 1970, such as 1767225600000.']);
  });

  test('a misspelt field gets a suggestion', () => {
    const file = { ...toProgressFile(sample(), NOW), lesons: {} } as Record<string, unknown>;
    const details = importError(JSON.stringify(file)).parts.details ?? [];
    expect(details).toContain('"lesons" is not a known field. Did you mean "lessons"?');
  });

  test('a bad answer deep inside is named by its path', () => {
    const file = toProgressFile(sample(), NOW);
    (file.lessons.dns!.checks['dns-check']!.answers['1'] as { correct: unknown }).correct = 'yes';
    const details = importError(JSON.stringify(file)).parts.details ?? [];
    expect(details.join('\n')).toContain('"lessons.dns.checks.dns-check.answers.1.correct" is "yes"');
  });
});

describe('merging an import', () => {
  test('keeps what either side has: earliest read date, latest answer per question', () => {
    let mine = markRead(emptyProgress(NOW), 'dns', NOW + 100);
    mine = recordAnswer(mine, { lesson: 'dns', check: 'c', question: 1, option: 0, correct: false }, NOW + 100);
    mine = recordAnswer(mine, { lesson: 'dns', check: 'c', question: 2, option: 0, correct: false }, NOW);
    let theirs = markRead(emptyProgress(NOW), 'dns', NOW);
    theirs = markRead(theirs, 'nat-and-port-forwarding', NOW + 5);
    theirs = noteCheckTotals(theirs, 'dns', { c: 3 });
    theirs = recordAnswer(theirs, { lesson: 'dns', check: 'c', question: 1, option: 1, correct: true }, NOW + 50);
    theirs = recordAnswer(theirs, { lesson: 'dns', check: 'c', question: 2, option: 2, correct: true }, NOW + 50);

    const { progress, summary } = mergeProgress(mine, toProgressFile(theirs, NOW));
    expect(progress.lessons.dns).toEqual({
      readAt: NOW,
      checks: {
        c: {
          total: 3,
          answers: {
            '1': { option: 0, correct: false, at: NOW + 100 },
            '2': { option: 2, correct: true, at: NOW + 50 },
          },
        },
      },
    });
    expect(progress.lessons['nat-and-port-forwarding']).toEqual({ readAt: NOW + 5, checks: {} });
    expect(summary).toEqual({ lessonsRead: 2, answers: 2 });
  });
});
