import { randomBytes as cryptoBytes, randomInt as cryptoInt } from 'node:crypto';

// Hidden tests randomise whatever a hard-coded answer could depend on: names, paths, bodies,
// pool sizes. Values stay readable so failure messages are easy to follow.

/** A whole number in [min, max], both inclusive. */
export function randomInt(min: number, max: number): number {
  return cryptoInt(min, max + 1);
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'do', 'fu', 'gi', 'ho'];

/** A pronounceable lowercase word such as "kaminero". */
export function randomWord(parts = 3): string {
  let w = '';
  for (let i = 0; i < parts; i++) w += syllables[cryptoInt(syllables.length)];
  return w;
}

/** A path like "/sato/kuneva" with `segments` random words. */
export function randomPath(segments = 2): string {
  return '/' + Array.from({ length: segments }, () => randomWord(2)).join('/');
}

/** Random binary bytes (every byte value appears in large buffers). */
export function randomBytes(size: number): Buffer {
  return cryptoBytes(size);
}

/** Picks one element. */
export function pick<T>(items: readonly T[]): T {
  return items[cryptoInt(items.length)]!;
}

/** A shuffled copy. */
export function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = cryptoInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
