/**
 * The order and the A–Z grouping of the glossary page. Shared with the e2e test, which checks the
 * page against it, so "alphabetical" means one thing everywhere.
 */

export const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** Terms that start with a digit or a symbol ("0-RTT", "429 Too Many Requests") come first, under this key. */
export const OTHER = '#';

export type LetterGroup<T> = {
  /** A–Z, or OTHER. */
  key: string;
  /** The id of the group's heading, which the letter links point to. */
  id: string;
  /** What the heading and the letter link say. */
  label: string;
  terms: T[];
};

// Case and accents do not count, and numbers sort by value: "HTTP/2" before "HTTP/3", "103" before "429".
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function compareTerms(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The letter a term is filed under: its first letter without accents, or OTHER. */
export function letterOf(term: string): string {
  const first = term.normalize('NFD').charAt(0).toUpperCase();
  return LETTERS.includes(first) ? first : OTHER;
}

/** Terms sorted and grouped by letter; only letters that have terms get a group. */
export function groupByLetter<T extends { term: string }>(terms: T[]): LetterGroup<T>[] {
  const sorted = [...terms].sort((a, b) => compareTerms(a.term, b.term));
  return [OTHER, ...LETTERS]
    .map((key) => ({
      key,
      id: key === OTHER ? 'letter-0-9' : `letter-${key.toLowerCase()}`,
      label: key === OTHER ? '0–9' : key,
      terms: sorted.filter((t) => letterOf(t.term) === key),
    }))
    .filter((g) => g.terms.length > 0);
}
