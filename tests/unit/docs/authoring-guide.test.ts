import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { z } from 'astro/zod';
import yaml from 'js-yaml';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { CourseSchema } from '../../../src/schemas/course.ts';
import { LessonSchema } from '../../../src/schemas/lesson.ts';

// docs/authoring.md must not drift from the code it documents. Components, props and frontmatter
// fields are read from the source (not listed here), so a new component, a renamed prop or a new
// field fails this test until the guide catches up. Every ```mdx example is parsed like a lesson
// and its props are checked with the component's own zod schema.
const repo = resolve(import.meta.dirname, '../../..');
const GUIDE = 'docs/authoring.md';
const guide = readFileSync(join(repo, GUIDE), 'utf8');
const lines = guide.split('\n');

// ── The components, as the site registers them (src/components/mdx.ts) ─────────────────────────

type Component = { name: string; schemaName?: string; docs?: string; schema?: z.ZodType };

const componentDir = join(repo, 'src/components/lesson');
const components: Component[] = await Promise.all(
  readdirSync(componentDir)
    .filter((f) => /^[A-Z][^/]*\.astro$/.test(f))
    .sort()
    .map(async (file) => {
      const source = readFileSync(join(componentDir, file), 'utf8');
      const schemaName = /validateProps\(\s*(\w+)/.exec(source)?.[1];
      const docs = /docs:\s*'([^']+)'/.exec(source)?.[1];
      const schema =
        schemaName && docs ? ((await import(join(repo, docs))) as Record<string, z.ZodType>)[schemaName] : undefined;
      return { name: file.slice(0, -'.astro'.length), schemaName, docs, schema };
    }),
);
const byName = new Map(components.map((c) => [c.name, c]));

// ── Reading the guide ───────────────────────────────────────────────────────────────────────────

type Heading = { level: number; title: string; line: number };
type Fence = { lang: string; code: string; line: number; invalid: boolean };

/** Headings and fenced blocks, with fences respected (a "# comment" in a sh block is no heading). */
function scan(): { headings: Heading[]; fences: Fence[] } {
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  let open: { marker: string; lang: string; start: number } | undefined;
  lines.forEach((text, i) => {
    if (open) {
      if (new RegExp(`^${open.marker[0]}{${open.marker.length},}\\s*$`).test(text)) {
        const before = lines.slice(0, open.start).reverse().find((l) => l.trim() !== '') ?? '';
        fences.push({
          lang: open.lang,
          code: lines.slice(open.start + 1, i).join('\n'),
          line: open.start + 2,
          invalid: before.trim() === '<!-- invalid example -->',
        });
        open = undefined;
      }
      return;
    }
    const fence = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(text);
    if (fence) open = { marker: fence[1]!, lang: fence[2]!, start: i };
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(text);
    if (!fence && heading) headings.push({ level: heading[1]!.length, title: heading[2]!, line: i });
  });
  return { headings, fences };
}
const { headings, fences } = scan();

/** The lines [from, to) of the section under a heading, up to the next heading of its level or above. */
function section(title: string): { from: number; to: number } | undefined {
  const i = headings.findIndex((h) => h.title === title);
  if (i === -1) return undefined;
  const h = headings[i]!;
  const next = headings.slice(i + 1).find((n) => n.level <= h.level);
  return { from: h.line, to: next?.line ?? lines.length };
}

/** Table rows whose first cell is a `name`, outside code blocks: name → the row's cells. */
function tableRows(range: { from: number; to: number }): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  const inFence = (i: number) => fences.some((f) => i >= f.line - 2 && i <= f.line - 1 + f.code.split('\n').length);
  for (let i = range.from; i < range.to; i++) {
    const text = lines[i]!;
    if (!text.startsWith('|') || inFence(i)) continue;
    const cells = text.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (name) rows.set(name, cells);
  }
  return rows;
}

const fencesIn = (range: { from: number; to: number }) => fences.filter((f) => f.line - 1 > range.from && f.line - 1 < range.to);

// ── Schemas ─────────────────────────────────────────────────────────────────────────────────────

function unwrap(schema: z.ZodType): z.ZodType {
  let cur = schema;
  for (let i = 0; i < 10; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodPipe) cur = cur.in as z.ZodType;
    else break;
  }
  return cur;
}

/** Every field of an object schema and of the objects inside it, by the guide's names: `steps[].at`, `ports.first`. */
function fieldPaths(schema: z.ZodType, prefix = ''): Map<string, z.ZodType> {
  const out = new Map<string, z.ZodType>();
  const obj = unwrap(schema);
  if (!(obj instanceof z.ZodObject)) return out;
  for (const [key, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
    const path = `${prefix}${key}`;
    out.set(path, field);
    let inner = unwrap(field);
    let suffix = '';
    while (inner instanceof z.ZodArray) {
      inner = unwrap(inner.element as z.ZodType);
      suffix += '[]';
    }
    for (const [p, f] of fieldPaths(inner, `${path}${suffix}.`)) out.set(p, f);
  }
  return out;
}

/**
 * What is wrong with a documentation table against a schema: missing or unknown rows, a required
 * field not marked "required", a field with a default marked "required", or a plain default
 * (text, number, true/false, [] or {}) that the Default column does not show.
 */
function tableProblems(rows: Map<string, string[]>, schema: z.ZodType, skip: string[] = []): string[] {
  const fields = fieldPaths(schema);
  const problems: string[] = [];
  for (const path of fields.keys()) if (!skip.includes(path) && !rows.has(path)) problems.push(`\`${path}\` has no row`);
  for (const [name, cells] of rows) {
    const field = fields.get(name);
    if (!field) {
      problems.push(`\`${name}\` is documented but the schema has no such field`);
      continue;
    }
    const cell = cells[2] ?? '';
    const absent = field.safeParse(undefined);
    if (!absent.success) {
      if (!/required/i.test(cell)) problems.push(`\`${name}\` is required, but its Default cell says "${cell}"`);
    } else if (absent.data !== undefined) {
      const value = absent.data;
      if (/^required/i.test(cell)) problems.push(`\`${name}\` has a default, but its Default cell says "${cell}"`);
      const plain = typeof value !== 'object' || (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0);
      if (plain && !cell.includes(JSON.stringify(value))) problems.push(`\`${name}\` defaults to ${JSON.stringify(value)}, but its Default cell says "${cell}"`);
    }
  }
  return problems;
}

// ── Component uses inside ```mdx examples ───────────────────────────────────────────────────────

type Use = { name: string; props: Record<string, unknown>; line: number };

/** Each `<Component …>` that starts a line, with its props evaluated as the MDX compiler would. */
function componentUses(fence: Fence): Use[] {
  const uses: Use[] = [];
  for (const match of fence.code.matchAll(/^[ \t]*<([A-Z][A-Za-z0-9]*)\b/gm)) {
    const start = match.index + match[0].indexOf('<');
    const line = fence.line + fence.code.slice(0, start).split('\n').length - 1;
    // Parsed as TSX from the tag on: the element ends at its own closing, whatever Markdown follows.
    const file = ts.createSourceFile('use.tsx', `(${fence.code.slice(start)}\n)`, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    let element: ts.JsxOpeningLikeElement | undefined;
    const find = (node: ts.Node): void => {
      if (element) return;
      if (ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) element = node;
      else ts.forEachChild(node, find);
    };
    find(file);
    if (!element) throw new Error(`${GUIDE}:${line}: could not parse <${match[1]}>`);
    const props: Record<string, unknown> = {};
    for (const attr of element.attributes.properties) {
      if (!ts.isJsxAttribute(attr)) throw new Error(`${GUIDE}:${line}: examples cannot spread props`);
      const name = attr.name.getText(file);
      const init = attr.initializer;
      if (!init) props[name] = true;
      else if (ts.isStringLiteral(init)) props[name] = init.text;
      else if (ts.isJsxExpression(init) && init.expression) {
        // Evaluated in an empty context, then copied into this realm so zod sees ordinary objects.
        props[name] = structuredClone(runInNewContext(`(${init.expression.getText(file)})`, {}, { timeout: 1000 }));
      }
    }
    uses.push({ name: element.tagName.getText(file), props, line });
  }
  return uses;
}

const mdxFences = fences.filter((f) => f.lang === 'mdx');
const uses = mdxFences.flatMap((fence) => componentUses(fence).map((use) => ({ ...use, fence })));

/** Validates a use exactly as the component does at build time; returns the error text or undefined. */
function check(use: Use): string | undefined {
  const c = byName.get(use.name)!;
  try {
    validateProps(c.schema!, use.props, { component: c.name, docs: c.docs!, lesson: GUIDE, label: `at line ${use.line}` });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

// ── The tests ───────────────────────────────────────────────────────────────────────────────────

describe('the components section of the authoring guide', () => {
  test('finds the lesson components the site registers', () => {
    expect(components.map((c) => c.name)).toContain('Callout');
    expect(components.map((c) => c.name)).toContain('KnowledgeCheck');
  });

  test.each(components.map((c) => [c.name, c] as const))('%s validates its props with a schema the guide can check', (_, c) => {
    expect(c.schemaName, `${c.name}.astro should call validateProps(<Schema>, Astro.props, …)`).toBeDefined();
    expect(c.docs, `${c.name}.astro should name its schema file in validateProps's docs`).toBeDefined();
    expect(c.schema, `${c.docs} should export ${c.schemaName}`).toBeInstanceOf(z.ZodType);
  });

  test.each(components.map((c) => [c.name, c] as const))('gives %s a section with a row for every prop', (name, c) => {
    const range = section(name);
    expect(range, `${GUIDE} needs a "### ${name}" section`).toBeDefined();
    expect(tableProblems(tableRows(range!), c.schema!, ['lesson'])).toEqual([]);
  });

  test.each(components.map((c) => [c.name] as const))('shows a working example of %s in its own section', (name) => {
    const range = section(name)!;
    const own = fencesIn(range)
      .filter((f) => f.lang === 'mdx' && !f.invalid)
      .flatMap((f) => componentUses(f))
      .filter((u) => u.name === name);
    expect(own.length, `the "### ${name}" section needs a \`\`\`mdx example using <${name}>`).toBeGreaterThan(0);
  });

  test('documents the lesson prop that every component takes', () => {
    const range = section('Components')!;
    expect(lines.slice(range.from, range.to).join('\n')).toMatch(/`lesson` \(text\) names the lesson/);
    const without = components.filter((c) => !c.schema || !fieldPaths(c.schema).has('lesson')).map((c) => c.name);
    expect(without, 'these components do not take the `lesson` prop the guide says every component takes').toEqual([]);
  });
});

describe('the examples in the authoring guide', () => {
  test('use only components that exist', () => {
    const unknown = uses.filter((u) => !byName.has(u.name)).map((u) => `<${u.name}> at ${GUIDE}:${u.line}`);
    expect(unknown).toEqual([]);
  });

  test('pass the schema of every component they use', () => {
    const failures = uses.filter((u) => !u.fence.invalid && byName.has(u.name)).map(check).filter(Boolean);
    expect(failures).toEqual([]);
  });

  test('that are marked invalid fail their schema, with the message the guide quotes', () => {
    const invalid = uses.filter((u) => u.fence.invalid);
    expect(invalid.length).toBeGreaterThan(0);
    for (const use of invalid) {
      const message = check(use);
      expect(message, `<${use.name}> at ${GUIDE}:${use.line} is marked invalid but passes`).toBeDefined();
      const bullets = message!.split('\n').filter((l) => l.trim().startsWith('•'));
      for (const bullet of bullets) expect(guide, 'the guide quotes this error line').toContain(bullet.trim());
    }
  });
});

describe('the lesson and course sections of the authoring guide', () => {
  test('documents every frontmatter field of the lesson schema, marking required fields and defaults', () => {
    const range = section('Frontmatter');
    expect(range, `${GUIDE} needs a "### Frontmatter" section`).toBeDefined();
    const rows = tableRows(range!);
    expect([...rows.keys()].sort()).toEqual(Object.keys(LessonSchema.shape).sort());
    expect(tableProblems(rows, LessonSchema)).toEqual([]);
  });

  test('documents every field of content/course.json', () => {
    const range = section('Modules (content/course.json)');
    expect(range, `${GUIDE} needs a "### Modules (content/course.json)" section`).toBeDefined();
    expect(tableProblems(tableRows(range!), CourseSchema)).toEqual([]);
  });

  test('shows frontmatter that passes the lesson schema and names a real module and lab', () => {
    const course = CourseSchema.parse(JSON.parse(readFileSync(join(repo, 'content/course.json'), 'utf8')));
    const blocks = fences.filter((f) => (f.lang === 'yaml' || f.lang === 'mdx') && f.code.startsWith('---\n'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const front = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(block.code)?.[1];
      expect(front, `${GUIDE}:${block.line} opens a frontmatter block it never closes`).toBeDefined();
      const data = LessonSchema.parse(yaml.load(front!));
      expect(course.modules.map((m) => m.number), `${GUIDE}:${block.line}: module`).toContain(data.module);
      if (data.lab) expect(existsSync(join(repo, 'labs', data.lab, 'lab.json')), `${GUIDE}:${block.line}: lab`).toBe(true);
    }
  });
});
