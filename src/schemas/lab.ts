import { z } from 'astro/zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/** Where a lab (or one stage of it) can be graded. */
export const RuntimeSchema = z.enum(['webcontainer', 'local']);

/** A relative file path inside the learner's workspace: no `..`, no leading `/`, no backslashes. */
export const WorkspacePathSchema = z
  .string()
  .regex(
    /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/,
    'use a relative path like "proxy.ts" or "lib/cache.ts" with no ".." and no leading "/"',
  );

/** One stage of a lab: graded by `tests/<NN>-<id>.test.ts`, where NN is its 1-based position. */
export const StageSchema = z.strictObject({
  /** Short kebab-case id, also the suffix of the stage's test file name. */
  id: slug.describe('a kebab-case id such as "forward" matching tests/01-forward.test.ts'),
  /** Stage heading in the brief, the checklist and the CLI. */
  title: z.string().min(3).describe('a short heading, e.g. "Forward a request"'),
  /** One line: what passing this stage proves the learner can do. */
  goal: z.string().min(10).max(200).describe('one sentence of 10–200 characters'),
  /** Revealed one at a time, from a nudge to a near-answer. */
  hints: z
    .array(z.string().min(10))
    .min(2)
    .max(3)
    .describe('a list of 2–3 hints, from a gentle nudge to a near-answer'),
  /** Set when this stage cannot run in every runtime the lab supports (e.g. UDP is local-only). */
  runtimes: z.array(RuntimeSchema).min(1).optional().describe('a subset of ["webcontainer", "local"]'),
  /** Shown when the stage is skipped in a runtime it does not support. */
  runtimeNote: z.string().min(10).optional().describe('a sentence saying why the stage needs that runtime'),
});

/** `labs/<slug>/lab.json`: everything the engine, the CLI and the lab page need to know. */
export const LabManifestSchema = z.strictObject({
  /** Lets editors validate the file; ignored by the engine. */
  $schema: z.string().optional(),
  /** Lab heading. */
  title: z.string().min(3).describe('the lab title, e.g. "Build a reverse proxy"'),
  /** One or two sentences for lists and the page description. */
  summary: z.string().min(20).max(240).describe('one or two sentences (20–240 characters)'),
  /** Slug of the lesson that teaches what this lab practises. */
  lesson: slug.describe('the folder name of a lesson under content/lessons/'),
  /** How hard the lab is for someone who has read its lesson. */
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  /** Estimated time to finish every stage, in minutes. */
  minutes: z.number().int().min(5).max(600).describe('a whole number of minutes between 5 and 600'),
  /** Files the learner edits, relative to `starter/` (and to `src/` in the workspace). */
  files: z.array(WorkspacePathSchema).min(1).describe('a list of paths relative to starter/, e.g. ["proxy.ts"]'),
  /** Runtimes that can grade this lab. */
  runtimes: z.array(RuntimeSchema).min(1).describe('a subset of ["webcontainer", "local"]'),
  /** Stages in order; a stage passes only when every earlier stage passes too. */
  stages: z.array(StageSchema).min(1).max(12).describe('a list of 1–12 stage objects'),
});

export type LabManifest = z.infer<typeof LabManifestSchema>;
export type LabStage = z.infer<typeof StageSchema>;
export type Runtime = z.infer<typeof RuntimeSchema>;

/** File name of a stage's hidden test, e.g. `01-forward.test.ts`. */
export function stageTestFile(index: number, id: string): string {
  return `${String(index + 1).padStart(2, '0')}-${id}.test.ts`;
}
