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

// Lab briefs: labs/<slug>/brief.mdx, beside the lab's lab.json, starter/ and tests/. The id is the
// folder name (the lab's slug). No frontmatter: the lab's facts live in lab.json, checked by its schema.
const labs = defineCollection({
  loader: glob({
    pattern: '*/brief.mdx',
    base: './labs',
    generateId: ({ entry }) => entry.split('/')[0]!,
  }),
});

export const collections = { lessons, labs };
