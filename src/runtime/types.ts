/**
 * What the lab page needs from a place that can run a learner's code. Two implementations:
 * the local runtime (the grader behind `npm start`) and the WebContainer runtime (Node inside the
 * browser tab). No UI code here: the workbench talks to a runtime only through this interface.
 */
import type { GradeReport } from '../engine/report.ts';
import type { LabManifest } from '../schemas/lab.ts';

export type RuntimeKind = 'local' | 'webcontainer';

/** Where a runtime is in its life, for the status line. */
export type RuntimePhase =
  | { phase: 'idle' }
  | { phase: 'booting'; detail: string }
  | { phase: 'installing'; detail: string; percent?: number }
  | { phase: 'ready' }
  | { phase: 'running'; detail: string }
  | { phase: 'unavailable'; reason: string };

export type RunRequest = {
  lab: string;
  manifest: LabManifest;
  /** The learner's files by name (relative to starter/). */
  files: Record<string, string>;
  /** Grade stages 1..uptoStage; all when absent. */
  uptoStage?: number;
  /** Cancels the run; run() then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Everything the run prints, as it happens. */
  onOutput?: (text: string) => void;
};

export interface LabRuntime {
  readonly kind: RuntimeKind;
  /** Human name for the picker: "This computer (npm start)" or "In your browser (WebContainer)". */
  readonly label: string;
  /**
   * Gets ready to run (boot, install) ahead of the first Run, reporting progress. Resolves when
   * ready; rejects with a readable reason when this runtime cannot work here. Idempotent.
   */
  prepare(opts?: { signal?: AbortSignal; onPhase?: (p: RuntimePhase) => void }): Promise<void>;
  /** Grades the files and resolves with the report (also for failing or erroring code). */
  run(req: RunRequest): Promise<GradeReport>;
  /** Which stages of this manifest this runtime cannot run, with the manifest's reason. */
  unsupportedStages(manifest: LabManifest): Array<{ index: number; note: string }>;
  dispose(): void;
}
