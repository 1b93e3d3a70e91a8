import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkContent } from '../../../src/lib/course/check-content.ts';
import type { GlossaryEntry } from '../../../src/lib/course/check-glossary.ts';
import { sectionText } from '../../../src/lib/course/lesson-headings.ts';

// The build already proves every glossary link lands on a real heading. These tests keep the links
// honest as lessons are edited: the section a term points to must still talk about that term.
const root = resolve(import.meta.dirname, '../../..');
const { lessons, glossary } = checkContent(root);

/** The names a lesson may use for a term: its name without a "(qualifier)", the expansion and the aliases. */
function names(term: GlossaryEntry): string[] {
  return [term.term.replace(/\s*\([^)]*\)$/, ''), term.expansion, ...(term.aliases ?? [])].filter((n): n is string => !!n);
}

/** True when `name` occurs in `text` as a whole word (a plural s or es allowed), ignoring case. */
function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?:s|es)?(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

const source = new Map(lessons.map((l) => [l.slug, readFileSync(resolve(root, 'content/lessons', l.slug, 'index.mdx'), 'utf8')]));

describe('the course glossary', () => {
  test('has terms', () => {
    expect(glossary.length).toBeGreaterThan(100);
  });

  test('mentions each term, or one of its other names, in every section it links to', () => {
    const drifted: string[] = [];
    for (const term of glossary) {
      for (const { lesson, anchor } of term.taught) {
        // Markup between the words ("**stateful** firewall", "`A`") is not what a reader sees.
        const text = sectionText(source.get(lesson)!, anchor)!.replace(/\*\*|\*|`|"|“|”/g, '');
        if (!names(term).some((n) => mentions(text, n))) drifted.push(`${term.id} → ${lesson}#${anchor} (looked for ${names(term).join(', ')})`);
      }
    }
    expect(drifted).toEqual([]);
  });

  test('links to every published lesson at least once', () => {
    const linked = new Set(glossary.flatMap((t) => t.taught.map((p) => p.lesson)));
    expect(lessons.filter((l) => !l.data.draft && !linked.has(l.slug)).map((l) => l.slug)).toEqual([]);
  });

  test('matches names as whole words, so "NAT" is not found in "alternative"', () => {
    expect(mentions('an alternative destination', 'NAT')).toBe(false);
    expect(mentions('Behind NATs, rows expire', 'NAT')).toBe(true);
    expect(mentions('EDNS(0) lifts the limit', 'EDNS(0)')).toBe(true);
  });
});
