import { z } from 'astro/zod';
import { hopError } from '../errors/catalogue.ts';

/**
 * The one way we parse any file a person wrote (lesson frontmatter, lab manifests, course data,
 * component props). zod's own messages ("Invalid input: expected number, received string") are
 * accurate but unhelpful to an instructor; this turns each issue into a sentence that names the
 * field, says what it should be, and — for a misspelt key — suggests the nearest real one.
 */
export type FriendlyContext = {
  /** Repo-relative path of the file being parsed, shown first in the error. */
  file: string;
  /** What the file is, e.g. "lesson frontmatter" or "lab manifest". */
  kind: string;
  /** Where the fields are documented, e.g. "src/schemas/lesson.ts". */
  docs: string;
};

export function parseWithFriendlyErrors<S extends z.ZodType>(
  schema: S,
  data: unknown,
  ctx: FriendlyContext,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, schema, data));
  throw hopError('InvalidAuthoredFile', { ...ctx, problems });
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, data: unknown): string {
  const where = fieldName(issue.path);
  const got = valueAt(data, issue.path);
  const expects = descriptionAt(schema, issue.path);
  const should = expects ? ` It should be ${expects}.` : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, issue.path);
      return issue.keys
        .map((key) => {
          const near = nearest(key, known);
          const field = fieldName([...issue.path, key]);
          return near
            ? `${field} is not a known field. Did you mean "${near}"?`
            : `${field} is not a known field. Known fields: ${known.join(', ')}.`;
        })
        .join('\n  • ');
    }
    case 'invalid_type':
      if (got === undefined) return `${where} is missing.${should}`;
      return `${where} is ${show(got)}, but it should be ${expects ?? `a ${issue.expected}`}.`;
    case 'invalid_key': {
      // A map's key (such as a glossary term's id) is the field name itself, so show the rule it broke.
      const key = schemaAt(schema, issue.path.slice(0, -1));
      const keyRule = key instanceof z.ZodRecord ? (key.keyType as z.ZodType).description : undefined;
      const reasons = issue.issues.map((i) => i.message).join('; ');
      return `${where} is not a valid key: ${reasons}.${keyRule ? ` It should be ${keyRule}.` : ''}`;
    }
    case 'invalid_value':
      return `${where} is ${show(got)}; it must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return `${where} ${got === undefined ? 'is missing' : `is ${show(got)}`}: ${issue.message}.${should}`;
    default:
      return `${where}: ${issue.message}.${should}`;
  }
}

function fieldName(path: PropertyKey[]): string {
  if (path.length === 0) return 'The file';
  const text = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  return `"${text}"`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Walks the schema along `path`, unwrapping optionals, defaults, arrays, records and pipes. */
function schemaAt(schema: z.ZodType, path: PropertyKey[]): z.ZodType | undefined {
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!cur) return undefined;
    if (cur instanceof z.ZodObject) cur = unwrap(cur.shape[key as string] as z.ZodType | undefined);
    else if (cur instanceof z.ZodArray) cur = unwrap(cur.element as z.ZodType);
    else if (cur instanceof z.ZodRecord) cur = unwrap(cur.valueType as z.ZodType);
    else return undefined;
  }
  return cur;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let cur = schema;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
      cur = cur.unwrap() as z.ZodType;
    } else if (cur instanceof z.ZodPipe) {
      cur = cur.in as z.ZodType;
    } else break;
  }
  return cur;
}

function descriptionAt(schema: z.ZodType, path: PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  const parent = schemaAt(schema, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent instanceof z.ZodObject) {
    const field = parent.shape[last as string] as z.ZodType | undefined;
    return field?.description ?? unwrap(field)?.description;
  }
  if (parent instanceof z.ZodArray) return (parent.element as z.ZodType).description;
  if (parent instanceof z.ZodRecord) return (parent.valueType as z.ZodType).description;
  return undefined;
}

function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  const obj = schemaAt(schema, path);
  return obj instanceof z.ZodObject ? Object.keys(obj.shape) : [];
}

/** The closest known key by edit distance, if it is close enough to be a typo. */
export function nearest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
