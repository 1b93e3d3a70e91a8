import { z } from 'astro/zod';
import { PROGRESS_FILE_FORMAT, PROGRESS_VERSION } from './progress-format.ts';

/**
 * A learner's progress through the course, kept in their browser (localStorage, key
 * `hop:progress`) and in the files "Export progress" writes. Lab stages are not here: they are
 * derived from the lab page's own saves (`hop:lab:<slug>`, src/workbench/storage.ts).
 *
 * The stored record and the export file are versioned. A new version gets a new literal (in
 * ./progress-format.ts) and a migration step in src/progress/store.ts; old steps are kept forever.
 *
 * Browsers check stored records against a JSON shape generated from these schemas at build time
 * (src/integrations/stored-shapes.ts), so lesson pages do not ship zod.
 */
export { PROGRESS_FILE_FORMAT, PROGRESS_VERSION };

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
  .describe('a lesson slug such as "dns"');

const time = z
  .number()
  .int()
  .min(0)
  .describe('a time in milliseconds since 1970, such as 1767225600000');

/** The learner's latest answer to one question of a knowledge check. */
export const CheckAnswerSchema = z.strictObject({
  /** 0-based index of the chosen option. */
  option: z.number().int().min(0).max(50).describe('the 0-based number of the chosen option'),
  correct: z.boolean().describe('true or false'),
  at: time,
});

/** One `<KnowledgeCheck>` of a lesson. */
export const CheckProgressSchema = z.strictObject({
  /** How many questions the check has, noted when the learner opens the lesson. */
  total: z.number().int().min(1).max(100).optional().describe('the number of questions, 1–100'),
  /** By 1-based question number. */
  answers: z.record(z.string().regex(/^[1-9][0-9]*$/, 'use a question number such as "1"'), CheckAnswerSchema),
});

export const LessonProgressSchema = z.strictObject({
  /** When the learner reached the end of the lesson or pressed "Mark as read"; absent while unread. */
  readAt: time.optional(),
  /** By the check's `id` prop. */
  checks: z.record(z.string().min(1).max(100), CheckProgressSchema).describe('an object of checks by id, such as {}'),
});

/** Saved data this site could not read, copied aside under `key` rather than dropped. */
export const SetAsideSchema = z.strictObject({
  key: z.string(),
  problem: z.string(),
  at: time,
  /** The learner closed the notice about it. */
  dismissed: z.boolean(),
});

/** What localStorage holds under `hop:progress`. */
export const ProgressSchema = z.strictObject({
  version: z.literal(PROGRESS_VERSION),
  /** By lesson slug. */
  lessons: z.record(slug, LessonProgressSchema),
  setAside: z.array(SetAsideSchema),
  updatedAt: time,
});

/** An exported file: the lessons part of the record, labelled so an import can recognise it. */
export const ProgressFileSchema = z.strictObject({
  format: z.literal(PROGRESS_FILE_FORMAT).describe(`"${PROGRESS_FILE_FORMAT}"`),
  version: z.literal(PROGRESS_VERSION).describe(`${PROGRESS_VERSION}`),
  exportedAt: time,
  lessons: z.record(slug, LessonProgressSchema).describe('an object of lessons by slug'),
});

export type CheckAnswer = z.infer<typeof CheckAnswerSchema>;
export type CheckProgress = z.infer<typeof CheckProgressSchema>;
export type LessonProgress = z.infer<typeof LessonProgressSchema>;
export type SetAside = z.infer<typeof SetAsideSchema>;
export type Progress = z.infer<typeof ProgressSchema>;
export type ProgressFile = z.infer<typeof ProgressFileSchema>;
