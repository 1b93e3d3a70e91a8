import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkContent } from '../../../src/lib/course/check-content.ts';
import { errorOf } from './error-of.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hop-content-'));
  mkdirSync(join(root, 'content/lessons'), { recursive: true });
  writeFileSync(join(root, 'content/course.json'), readFileSync('content/course.json'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function addLesson(slug: string, frontmatter: string): void {
  mkdirSync(join(root, 'content/lessons', slug), { recursive: true });
  writeFileSync(join(root, 'content/lessons', slug, 'index.mdx'), `---\n${frontmatter}\n---\n\n## Body\n`);
}

const base = (order = 1, extra = '') => `title: A lesson
summary: A summary that is long enough to pass the schema check.
module: 1
order: ${order}
objectives: [Explain one thing, Explain another thing]
minutes: 10
${extra}`;


describe('checkContent', () => {
  test('returns every lesson with its slug and parsed frontmatter', () => {
    addLesson('first', base(1));
    addLesson('second', base(2));
    const { lessons, course } = checkContent(root);
    expect(lessons.map((l) => [l.slug, l.data.order])).toEqual([['first', 1], ['second', 2]]);
    expect(course.modules.length).toBeGreaterThan(0);
  });

  test('reports broken YAML with the file and the parser reason', () => {
    addLesson('broken', 'title: [unclosed');
    expect(errorOf(() => checkContent(root))).toMatch(
      /^\[UnreadableAuthoredFile\] content\/lessons\/broken\/index\.mdx could not be read as a lesson frontmatter: unexpected end/,
    );
  });

  test('rejects a module the course does not have, listing the real ones', () => {
    addLesson('lost', base(1).replace('module: 1', 'module: 42'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownModule] content/lessons/lost/index.mdx says it belongs to module 42, but the course has no module 42.
      Fix: Use one of the modules listed in content/course.json (1, 2, 3, 4, 5, 6, 7), or add module 42 there."
    `);
  });

  test('rejects a link to a lab that does not exist', () => {
    addLesson('linked', base(1, 'lab: no-such-lab'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownLab] content/lessons/linked/index.mdx links to the lab "no-such-lab", but there is no labs/no-such-lab/lab.json.
      Fix: Use one of the existing labs (none yet) or remove the "lab" field."
    `);
  });

  test('rejects a lab whose manifest names a lesson that does not exist', () => {
    addLesson('real', base(1));
    mkdirSync(join(root, 'labs/tunnel'), { recursive: true });
    writeFileSync(join(root, 'labs/tunnel/lab.json'), JSON.stringify({ title: 'Tunnel', lesson: 'raal' }));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownLessonInLab] labs/tunnel/lab.json says it practises the lesson "raal", but there is no content/lessons/raal/index.mdx.
      Fix: Set "lesson" to one of the existing lessons (real)."
    `);
    writeFileSync(join(root, 'labs/tunnel/lab.json'), JSON.stringify({ title: 'Tunnel', lesson: 'real' }));
    expect(() => checkContent(root)).not.toThrow();
  });

  test('rejects two published lessons at the same position, but lets a draft share it', () => {
    addLesson('one', base(3));
    addLesson('draft', base(3, 'draft: true'));
    expect(() => checkContent(root)).not.toThrow();
    addLesson('two', base(3));
    expect(errorOf(() => checkContent(root))).toContain('Two lessons claim position 3 in module 1');
  });
});
