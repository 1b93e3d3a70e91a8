import { describe, expect, test } from 'vitest';
import { buildOutline, neighbours, totalMinutes, type LessonRef } from '../../../src/lib/course/navigation.ts';
import type { Course } from '../../../src/schemas/course.ts';

const course: Course = {
  title: 'Hop by Hop',
  tagline: 'A test course with three modules.',
  modules: [
    { number: 2, title: 'Second' },
    { number: 1, title: 'First' },
    { number: 3, title: 'Empty' },
  ],
};

function lesson(slug: string, module: number, order: number, draft = false): LessonRef {
  return {
    slug,
    data: { title: slug, summary: `${slug} summary text long enough`, module, order, objectives: ['a a a a a', 'b b b b b'], minutes: 10, draft },
  };
}

const lessons = [lesson('c', 2, 1), lesson('b', 1, 2), lesson('a', 1, 1), lesson('d', 2, 2, true)];

describe('course outline', () => {
  test('orders lessons by module number, then by order inside the module', () => {
    const outline = buildOutline(course, lessons);
    expect(outline.sequence.map((l) => l.slug)).toEqual(['a', 'b', 'c']);
    expect(outline.modules.map((m) => [m.number, m.lessons.map((l) => l.slug)])).toEqual([
      [1, ['a', 'b']],
      [2, ['c']],
      [3, []],
    ]);
  });

  test('leaves drafts out unless asked to include them', () => {
    expect(buildOutline(course, lessons).sequence.map((l) => l.slug)).not.toContain('d');
    expect(buildOutline(course, lessons, { includeDrafts: true }).sequence.map((l) => l.slug)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('links previous and next across module boundaries', () => {
    const outline = buildOutline(course, lessons);
    const mid = neighbours(outline, 'b');
    expect([mid.prev?.slug, mid.next?.slug, mid.position, mid.total]).toEqual(['a', 'c', 2, 3]);
    expect(neighbours(outline, 'a').prev).toBeUndefined();
    expect(neighbours(outline, 'c').next).toBeUndefined();
  });

  test('adds up reading time', () => {
    expect(totalMinutes(buildOutline(course, lessons).sequence)).toBe(30);
  });
});
