import { z } from 'astro/zod';
import { describe, expect, test } from 'vitest';
import { progress, savedLab } from 'virtual:hop/stored-shapes';
import { shapeOf } from '../../../src/integrations/stored-shapes.ts';
import { matchesShape, type Shape } from '../../../src/lib/json-shape.ts';
import { ProgressSchema } from '../../../src/schemas/progress.ts';
import { SavedLabSchema } from '../../../src/workbench/storage.ts';

// Browsers check stored records with shapes generated from the zod schemas (no zod on lesson
// pages). These tests hold the checker to zod's verdicts on many random, mostly near-valid records.

/** mulberry32: a seeded generator, so a failure is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings that match and miss the schemas' patterns and lengths, and keys that trip naive checkers.
const STRINGS = ['dns', 'tcp-vs-udp', 'a--b', '-a', 'DNS', '', '1', '01', '12', 'x'.repeat(100), 'x'.repeat(101), '__proto__', 'constructor', 'toString', 'pass', 'fail', 'local', 'hop-by-hop-progress', 'é', ' dns'];
const MAP_KEYS = STRINGS.filter((s) => s !== '__proto__');
const NUMBERS = [0, -0, 1, -1, 2, 0.5, 49, 50, 51, 99, 100, 101, 1767225600000, 2 ** 53, -(2 ** 53), 1e308];
const ODD = [null, true, false, 0, 1.5, -3, 'text', [], {}, [1], { version: 1 }];

function generate(shape: Shape, rnd: () => number, depth = 0): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // Now and then, anything at all in place of the expected value.
  if (rnd() < 0.04) return pick(ODD);
  if (shape.anyOf) return generate(pick(shape.anyOf), rnd, depth);
  if ('const' in shape && rnd() < 0.9) return shape.const;
  if (shape.enum && rnd() < 0.9) return pick(shape.enum);
  const bounds = [shape.minimum, shape.maximum].filter((n): n is number => n !== undefined);
  switch (shape.type) {
    case 'integer':
    case 'number':
      return rnd() < 0.5 && bounds.length ? pick(bounds) + pick([-1, 0, 0, 0, 1, 0.5]) : pick(NUMBERS);
    case 'string':
      return rnd() < 0.7 ? pick(STRINGS) : Array.from({ length: Math.floor(rnd() * 6) }, () => pick(['a', 'b', '1', '-', '_', 'Z'])).join('');
    case 'boolean':
      return rnd() < 0.5;
    case 'null':
      return null;
    case 'array':
      return depth > 6 ? [] : Array.from({ length: Math.floor(rnd() * 3) }, () => generate(shape.items ?? {}, rnd, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      // defineProperty: plain assignment of "__proto__" would set the prototype, not a key.
      const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      for (const [key, s] of Object.entries(shape.properties ?? {})) {
        const required = shape.required?.includes(key);
        if ((required && rnd() < 0.97) || (!required && rnd() < 0.5)) put(key, generate(s, rnd, depth + 1));
      }
      const records = typeof shape.additionalProperties === 'object' && depth < 6 ? Math.floor(rnd() * 3) : 0;
      // Map keys: no "__proto__", the one deliberate difference from zod (tested on its own below).
      for (let i = 0; i < records; i++) put(pick(MAP_KEYS), generate(shape.additionalProperties as Shape, rnd, depth + 1));
      if (rnd() < 0.05) put(pick(typeof shape.additionalProperties === 'object' ? MAP_KEYS : STRINGS), pick(ODD));
      return out;
    }
    default:
      return pick(ODD);
  }
}

describe.each([
  ['ProgressSchema', ProgressSchema, progress],
  ['SavedLabSchema', SavedLabSchema, savedLab],
] as const)('the browser check for %s', (name, schema, shape) => {
  test('is the shape generated from the zod schema', () => {
    expect(shape).toEqual(shapeOf(schema, name));
  });

  test('accepts and rejects exactly what zod does, on 3000 random records', () => {
    const rnd = random(name.length * 7919);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      // Through JSON, as the records come out of localStorage.
      const record = JSON.parse(JSON.stringify(generate(shape, rnd))) as unknown;
      const zod = schema.safeParse(record).success;
      expect(matchesShape(shape, record), JSON.stringify(record)).toBe(zod);
      if (zod) accepted++;
    }
    // Both verdicts are well represented, so agreement means something.
    expect(accepted).toBeGreaterThan(150);
    expect(accepted).toBeLessThan(2850);
  });
});

describe('the JSON shape checker', () => {
  test('stops the build when a schema uses a check it cannot enforce', () => {
    const Unknown = z.strictObject({ contact: z.string().email(), tags: z.array(z.string()).max(3) });
    expect(() => shapeOf(Unknown, 'Example')).toThrow(/Example: src\/lib\/json-shape\.ts cannot check #\/properties\/contact\/format, .*#\/properties\/tags\/maxItems/);
  });

  test('refuses a "__proto__" key in a map, which zod would drop from a record we keep as stored', () => {
    const stored = JSON.parse('{"version":1,"lessons":{"__proto__":{"checks":{}}},"setAside":[],"updatedAt":0}') as unknown;
    expect(ProgressSchema.safeParse(stored)).toMatchObject({ success: true, data: { lessons: {} } });
    expect(matchesShape(progress, stored)).toBe(false);
  });

  test('does not mistake inherited names for declared fields', () => {
    const shape: Shape = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect(matchesShape(shape, JSON.parse('{"a": "x", "toString": 1}'))).toBe(false);
    expect(matchesShape(shape, JSON.parse('{"a": "x", "__proto__": {}}'))).toBe(false);
    expect(matchesShape(shape, { a: 'x' })).toBe(true);
  });
});
