import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { LessonSchema } from './schemas/lesson.ts';

// One folder per lesson: content/lessons/<slug>/index.mdx, so a lesson can keep its own assets
// beside it. The id is the folder name, which is also the URL.
const lessons = defineCollection({
  loader: glob({
    pattern: '*/index.mdx',
    base: './content/lessons',
    generateId: ({ entry }) => entry.split('/')[0]!,
  }),
  schema: LessonSchema,
});

export const collections = { lessons };
