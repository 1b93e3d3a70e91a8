import type { Course, CourseModule } from '../../schemas/course.ts';
import type { Lesson } from '../../schemas/lesson.ts';

/** A lesson as the site sees it: its slug (folder name) plus its frontmatter. */
export type LessonRef = { slug: string; data: Lesson };

export type ModuleWithLessons = CourseModule & { lessons: LessonRef[] };

export type CourseOutline = {
  modules: ModuleWithLessons[];
  /** Every published lesson in reading order: module, then order within the module. */
  sequence: LessonRef[];
};

/**
 * Orders lessons for the home page, the sidebar and previous/next links. Drafts are left out
 * unless asked for (they show in `npm run dev` only). Modules without lessons are kept so the
 * home page can show what is coming.
 */
export function buildOutline(course: Course, lessons: LessonRef[], opts: { includeDrafts?: boolean } = {}): CourseOutline {
  const visible = lessons.filter((l) => opts.includeDrafts || !l.data.draft);
  const modules = [...course.modules]
    .sort((a, b) => a.number - b.number)
    .map((m) => ({
      ...m,
      lessons: visible
        .filter((l) => l.data.module === m.number)
        .sort((a, b) => a.data.order - b.data.order || a.slug.localeCompare(b.slug)),
    }));
  return { modules, sequence: modules.flatMap((m) => m.lessons) };
}

export type Neighbours = { prev?: LessonRef; next?: LessonRef; position: number; total: number };

/** The lessons before and after `slug` in reading order, crossing module boundaries. */
export function neighbours(outline: CourseOutline, slug: string): Neighbours {
  const i = outline.sequence.findIndex((l) => l.slug === slug);
  if (i === -1) return { position: 0, total: outline.sequence.length };
  return {
    prev: outline.sequence[i - 1],
    next: outline.sequence[i + 1],
    position: i + 1,
    total: outline.sequence.length,
  };
}

/** Total estimated minutes of a list of lessons. */
export function totalMinutes(lessons: LessonRef[]): number {
  return lessons.reduce((sum, l) => sum + l.data.minutes, 0);
}
