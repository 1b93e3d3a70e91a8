/**
 * The wire format between the lab page and the local grader that `npm start` serves. Browser-safe:
 * the page and the server import the same schema, so a request the page builds is one the server
 * accepts.
 */
import { z } from 'astro/zod';
import { WorkspacePathSchema } from '../schemas/lab.ts';
import type { GradeReport } from '../engine/report.ts';

export const GRADE_PATH = '/api/grade';
export const HEALTH_PATH = '/api/health';

/** Largest single learner file the grader accepts; real lab files are a few KB. */
export const MAX_FILE_CHARS = 200_000;

export const GradeRequestSchema = z.strictObject({
  /** Lab slug, e.g. "reverse-proxy". */
  lab: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  /** Learner files by name relative to the lab's starter/ folder. */
  files: z.record(WorkspacePathSchema, z.string().max(MAX_FILE_CHARS)),
  /** Grade stages 1..uptoStage; all when absent. */
  uptoStage: z.number().int().min(1).optional(),
});
export type GradeRequest = z.infer<typeof GradeRequestSchema>;

/** One line of the NDJSON response stream. */
export type GradeStreamMessage =
  | { type: 'output'; text: string }
  | { type: 'report'; report: GradeReport }
  | { type: 'error'; code: string; message: string };

export type HealthResponse = { ok: true; runtime: 'local'; labs: string[] };
