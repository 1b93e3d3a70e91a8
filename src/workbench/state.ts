/**
 * The workbench's state: what is saved (the learner's files, last results, undo, hints) and what
 * is only true while the page is open (which runtime, whether a run is going, the editor kind).
 * Views render from this; they never read each other's DOM.
 */
import type { RuntimeAttempt } from '../runtime/choose-runtime.ts';
import type { RuntimeKind, RuntimePhase } from '../runtime/types.ts';
import type { LabManifest } from '../schemas/lab.ts';
import type { SavedLab } from './storage.ts';

/** What the page embeds as JSON for the script (see Workbench.astro). */
export type LabPageData = {
  slug: string;
  manifest: LabManifest;
  /** The starter's editable files, in lab.json order. */
  starter: Record<string, string>;
  starterHash: string;
  hasSolution: boolean;
};

export type RuntimeState = {
  /** choosing: trying runtimes in order; preparing: switching to another one; unavailable: none works. */
  status: 'choosing' | 'ready' | 'preparing' | 'unavailable';
  kind?: RuntimeKind;
  label?: string;
  /** Progress of the runtime being prepared (WebContainer boot and install). */
  phase?: RuntimePhase;
  attempts: RuntimeAttempt[];
  /** The other runtime, when it is possible here, for the switch button. */
  alternative?: { kind: RuntimeKind; label: string };
  /** Stages the runtime in use cannot run, with the manifest's note. */
  unsupported: Array<{ index: number; note: string }>;
};

export type RunMessage = { tone: 'error' | 'info' | 'good'; text: string };

export type RunState = {
  status: 'idle' | 'running';
  /** Stages asked for by the run in progress (0 = all). */
  upto: number;
  startedAt?: number;
  /** The report's top-level message, a runtime error, or "cancelled". */
  message?: RunMessage;
};

export type Notice = { id: string; text: string; tone: 'warn' | 'info' };

export type SolutionState = { status: 'hidden' | 'loading' | 'shown'; files?: Record<string, string>; error?: string };

export type WorkbenchState = {
  data: LabPageData;
  saved: SavedLab;
  /** False when saving would overwrite data we could not read (see storage.ts). */
  canSave: boolean;
  activeFile: string;
  /** Run stages 1..upto; 0 runs all. */
  upto: number;
  runtime: RuntimeState;
  run: RunState;
  notices: Notice[];
  /** plain: a textarea (before Monaco arrives, or if it cannot load). */
  editor: 'plain' | 'loading' | 'monaco' | 'failed';
  solution: SolutionState;
};

export function initialState(data: LabPageData, saved: SavedLab, canSave: boolean, notices: Notice[]): WorkbenchState {
  return {
    data,
    saved,
    canSave,
    activeFile: data.manifest.files[0]!,
    upto: 0,
    runtime: { status: 'choosing', attempts: [], unsupported: [] },
    run: { status: 'idle', upto: 0 },
    notices,
    editor: 'plain',
    solution: { status: 'hidden' },
  };
}

/** The files a run sends: exactly the ones lab.json lists (older extras stay saved, not graded). */
export function gradedFiles(state: WorkbenchState): Record<string, string> {
  return Object.fromEntries(state.data.manifest.files.map((name) => [name, state.saved.files[name] ?? state.data.starter[name] ?? '']));
}
