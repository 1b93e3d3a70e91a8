/**
 * Pure changes to the saved record: editing, reset and its undo, recording a run's results,
 * opening hints. Every function returns a new record, so the store can tell what changed.
 */
import type { GradeReport } from '../engine/report.ts';
import type { RuntimeKind } from '../runtime/types.ts';
import type { SavedLab, StageResult } from './storage.ts';

/** Stored messages are capped: a runaway log in a failure message must not fill localStorage. */
const MAX_MESSAGE = 4_000;
const MAX_OUTPUT = 2_000;

export function withFile(saved: SavedLab, name: string, text: string, now = Date.now()): SavedLab {
  if (saved.files[name] === text) return saved;
  return { ...saved, files: { ...saved.files, [name]: text }, updatedAt: now };
}

/**
 * Puts the starter back and keeps what it replaced in the undo buffer. Files the learner has that
 * the starter does not (an older lab version's) stay, so a reset never loses a file for good.
 */
export function withReset(saved: SavedLab, starter: Record<string, string>, now = Date.now()): SavedLab {
  return { ...saved, files: { ...saved.files, ...starter }, undo: { files: saved.files, at: now }, updatedAt: now };
}

export function withUndoneReset(saved: SavedLab, now = Date.now()): SavedLab {
  if (!saved.undo) return saved;
  return { ...saved, files: saved.undo.files, undo: null, updatedAt: now };
}

export function withHintShown(saved: SavedLab, stage: number, total: number): SavedLab {
  const shown = Math.min((saved.hintsShown[String(stage)] ?? 0) + 1, total);
  return { ...saved, hintsShown: { ...saved.hintsShown, [String(stage)]: shown } };
}

function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters not kept)`;
}

/**
 * Records what a run says about each stage it graded. Stages it did not run (`not-run`) keep their
 * previous result, so running only stage 1 does not wipe what stage 3 said yesterday.
 */
export function withReport(saved: SavedLab, report: GradeReport, runtime: RuntimeKind, now = Date.now()): SavedLab {
  const lastResults = { ...saved.lastResults };
  for (const stage of report.stages) {
    if (stage.status === 'not-run') continue;
    const result: StageResult = {
      status: stage.status,
      passed: stage.passed,
      total: stage.total,
      ...(stage.note ? { note: stage.note } : {}),
      tests: report.tests
        .filter((t) => t.task_id === stage.index)
        .map((t) => ({
          name: t.name,
          status: t.status,
          ...(t.message ? { message: clip(t.message, MAX_MESSAGE) } : {}),
          ...(t.output ? { output: clip(t.output, MAX_OUTPUT) } : {}),
        })),
      at: now,
      runtime,
    };
    lastResults[String(stage.index)] = result;
  }
  return { ...saved, lastResults };
}
