import { getCollection } from 'astro:content';
import courseJson from '../../../content/course.json';
import { CourseSchema } from '../../schemas/course.ts';
import { buildOutline, type CourseOutline } from './navigation.ts';

// The content-check integration has already validated course.json with friendly errors; this
// parse only narrows the type for the pages.
export const course = CourseSchema.parse(courseJson);

/** The course outline for pages. Drafts appear in `astro dev` only. */
export async function loadOutline(): Promise<CourseOutline> {
  const entries = await getCollection('lessons');
  return buildOutline(
    course,
    entries.map((e) => ({ slug: e.id, data: e.data })),
    { includeDrafts: import.meta.env.DEV },
  );
}
