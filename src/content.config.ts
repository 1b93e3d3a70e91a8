import { existsSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { file, glob, type Loader } from 'astro/loaders';
import { GlossaryTermSchema } from './schemas/glossary.ts';
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

// The glossary: content/glossary.yaml maps each term's id (its anchor on /glossary/) to the term.
// The content-check integration has already checked its links to lessons, labs and other terms.
const glossary = defineCollection({
  loader: optionalFile('content/glossary.yaml'),
  schema: GlossaryTermSchema,
});

/**
 * Astro's file() loader, except that a missing file means no entries. file() only logs an error
 * and leaves the content cache (node_modules/.astro) as it was, so a course without a glossary
 * would be built with the terms of an earlier build.
 */
function optionalFile(path: string): Loader {
  const inner = file(path);
  return {
    name: 'hop-optional-file',
    load: async (context) => {
      if (existsSync(new URL(path, context.config.root))) return inner.load(context);
      context.store.clear();
    },
  };
}

export const collections = { lessons, labs, glossary };
