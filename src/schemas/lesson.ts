import { z } from 'astro/zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/**
 * The frontmatter of a lesson: `content/lessons/<slug>/index.mdx`. The folder name is the slug
 * and the URL (`/lessons/<slug>/`). Unknown keys are rejected so a misspelt field fails the build
 * instead of silently vanishing.
 */
export const LessonSchema = z.strictObject({
  /** Shown as the page heading, in the sidebar and on the course home. */
  title: z.string().min(3).max(90).describe('the lesson title as a short string, e.g. "DNS"'),
  /** One or two sentences for the course home and the page description. */
  summary: z
    .string()
    .min(20)
    .max(240)
    .describe('one or two sentences (20–240 characters) saying what the learner gets from the lesson'),
  /** The module number from `content/course.json` this lesson belongs to. */
  module: z.number().int().min(1).describe('a module number from content/course.json, e.g. 4'),
  /** Position inside the module, starting at 1. Lessons are sorted by module, then order. */
  order: z.number().int().min(1).describe('a whole number ≥ 1 giving the position inside the module'),
  /** What a learner can do after the lesson; each starts with a verb. */
  objectives: z
    .array(z.string().min(5))
    .min(2)
    .max(7)
    .describe('a list of 2–7 sentences, each starting with a verb ("Explain …", "Trace …")'),
  /** Estimated reading time in minutes, including the knowledge check. */
  minutes: z.number().int().min(1).max(120).describe('a whole number of minutes between 1 and 120'),
  /** Slug of the lab that practises this lesson (`labs/<slug>/`), if any. */
  lab: slug.optional().describe('the folder name of a lab under labs/, e.g. "dns-resolver"'),
  /** Drafts build in `npm run dev` only and are left out of the course and the static build. */
  draft: z.boolean().default(false).describe('true or false'),
});

export type Lesson = z.infer<typeof LessonSchema>;
