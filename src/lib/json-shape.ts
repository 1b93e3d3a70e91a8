/**
 * A tiny checker for the JSON Schema that `z.toJSONSchema()` writes for our stored records, so the
 * browser can validate saved progress without shipping zod (~26 KB gzip) to every lesson page.
 *
 * The zod schemas stay the one source of truth: the shapes are generated from them at build time
 * (src/integrations/stored-shapes.ts), and tests/unit/progress/json-shape.test.ts checks on random
 * records that this checker and zod accept and reject the same ones (one deliberate exception: a
 * "__proto__" key in a map, which zod drops and this refuses). Only the keywords
 * zod emits for those schemas are understood, with zod's meaning (string lengths are `.length`);
 * any other keyword makes unsupportedKeywords() name it, and the build stops.
 */
export type Shape = {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Shape>;
  required?: string[];
  additionalProperties?: Shape | false;
  propertyNames?: Shape;
  items?: Shape;
  anyOf?: Shape[];
};

const KNOWN = new Set(['type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'anyOf']);
/** Documentation only: they never change what is accepted. */
const IGNORED = new Set(['$schema', 'description', 'title', 'examples']);

const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/** Keywords (or `type` values) this checker would not enforce, as JSON pointers; empty when there are none. */
export function unsupportedKeywords(shape: Shape, at = '#'): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    if (IGNORED.has(key)) continue;
    if (!KNOWN.has(key) || (key === 'type' && !TYPES.has(value as string))) out.push(`${at}/${key}`);
    else if (key === 'properties') for (const [name, s] of Object.entries(value as Record<string, Shape>)) out.push(...unsupportedKeywords(s, `${at}/properties/${name}`));
    else if (key === 'anyOf') (value as Shape[]).forEach((s, i) => out.push(...unsupportedKeywords(s, `${at}/anyOf/${i}`)));
    else if (['additionalProperties', 'propertyNames', 'items'].includes(key) && value !== false) out.push(...unsupportedKeywords(value as Shape, `${at}/${key}`));
  }
  return out;
}

/** Drops the documentation keywords, so a shape shipped to the browser carries only what is checked. */
export function stripDocs(shape: Shape): Shape {
  return JSON.parse(JSON.stringify(shape, (key, value: unknown) => (IGNORED.has(key) ? undefined : value))) as Shape;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function matchesShape(shape: Shape, value: unknown): boolean {
  if (shape.anyOf && !shape.anyOf.some((s) => matchesShape(s, value))) return false;
  if ('const' in shape && value !== shape.const) return false;
  if (shape.enum && !shape.enum.includes(value)) return false;
  switch (shape.type) {
    case undefined:
      return true;
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (shape.type === 'integer' && !Number.isSafeInteger(value)) return false;
      return !(value < (shape.minimum ?? -Infinity) || value > (shape.maximum ?? Infinity));
    case 'string':
      if (typeof value !== 'string') return false;
      if (value.length < (shape.minLength ?? 0) || value.length > (shape.maxLength ?? Infinity)) return false;
      return shape.pattern === undefined || new RegExp(shape.pattern).test(value);
    case 'array':
      return Array.isArray(value) && (!shape.items || value.every((v) => matchesShape(shape.items!, v)));
    case 'object': {
      if (!isRecord(value)) return false;
      const properties = shape.properties ?? {};
      if (!(shape.required ?? []).every((k) => Object.hasOwn(value, k))) return false;
      const isMap = typeof shape.additionalProperties === 'object';
      for (const [key, v] of Object.entries(value)) {
        // zod drops a "__proto__" key from a map (z.record) rather than judge it; the caller keeps
        // the record as stored, where that key would still be, so it is refused instead.
        if (isMap && key === '__proto__') return false;
        if (shape.propertyNames && !matchesShape(shape.propertyNames, key)) return false;
        // hasOwn: a key such as "constructor" must not find Object.prototype's.
        const own = Object.hasOwn(properties, key) ? properties[key] : shape.additionalProperties;
        if (own === false || (own && !matchesShape(own, v))) return false;
      }
      return true;
    }
  }
}
