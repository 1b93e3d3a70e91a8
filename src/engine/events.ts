/**
 * Reads the progress events that labs/_workspace/hop-reporter.ts writes to stdout, and keeps the
 * state of a run from them: which tests exist, which finished, what each printed, which one is
 * running now. Browser-safe, so the WebContainer runtime reads the same stream the same way.
 */
import type { VitestJson, UnhandledError } from './report.ts';
import { testKey } from './report.ts';

/** Must equal MARKER in labs/_workspace/hop-reporter.ts. */
export const MARKER = '\u001ehop:';

export type TestRef = { id: string; file: string; name: string };

export type HopEvent =
  | { t: 'collected'; id?: string; file: string; tests: TestRef[] }
  | ({ t: 'start' } & TestRef)
  /** From labs/_workspace/hop-progress.ts inside the worker: unbatched, so it names a test that then blocks. */
  | ({ t: 'worker-start' } & TestRef)
  | ({ t: 'end'; state: string; errors: string[]; ms: number } & TestRef)
  | { t: 'module-end'; file: string; errors: string[] }
  | { t: 'log'; id: string | null; stream: 'stdout' | 'stderr'; content: string }
  | { t: 'done'; unhandled: UnhandledError[] };

export type Piece = { event: HopEvent } | { text: string };

/**
 * Splits a byte stream into events and plain text. Learner code can write to stdout without a
 * newline, so a marker may start mid-line: everything before it is plain text.
 */
export class EventSplitter {
  private buffer = '';

  push(chunk: string): Piece[] {
    this.buffer += chunk;
    const pieces: Piece[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      pieces.push(...this.line(this.buffer.slice(0, newline + 1)));
      this.buffer = this.buffer.slice(newline + 1);
    }
    // Plain text with no marker in sight can go out now; a partial event line must wait.
    if (this.buffer && !this.buffer.includes('\u001e')) {
      pieces.push({ text: this.buffer });
      this.buffer = '';
    }
    return pieces;
  }

  flush(): Piece[] {
    const rest = this.buffer;
    this.buffer = '';
    return rest ? this.line(rest) : [];
  }

  private line(line: string): Piece[] {
    const at = line.indexOf(MARKER);
    if (at === -1) return [{ text: line }];
    const pieces: Piece[] = at > 0 ? [{ text: line.slice(0, at) }] : [];
    try {
      pieces.push({ event: JSON.parse(line.slice(at + MARKER.length)) as HopEvent });
    } catch {
      pieces.push({ text: line.slice(at) });
    }
    return pieces;
  }
}

type FileState = { moduleId?: string; tests: TestRef[]; ended: Map<string, HopEvent & { t: 'end' }>; errors: string[]; finished: boolean };

/** What the run has done so far, rebuilt from events alone (enough to report after a kill). */
export class RunState {
  readonly files = new Map<string, FileState>();
  private readonly tests = new Map<string, TestRef>();
  private readonly output = new Map<string, string>();
  /** Output whose test or file has not been announced yet (Vitest batches its updates). */
  private readonly early: Array<{ id: string; content: string }> = [];
  unhandled: UnhandledError[] = [];
  done = false;
  /** Bumped on every event that proves the run is moving; the watchdog measures from it. */
  lastProgress = 0;
  /** The test the worker itself says it started and that has not ended yet. */
  private workerRunning: TestRef | undefined;

  apply(event: HopEvent, now: number): void {
    switch (event.t) {
      case 'collected': {
        this.files.set(event.file, { moduleId: event.id, tests: event.tests, ended: new Map(), errors: [], finished: false });
        for (const test of event.tests) this.tests.set(test.id, test);
        for (const log of this.early.splice(0)) this.record(log.id, log.content);
        break;
      }
      case 'end':
        this.fileOf(event.file).ended.set(event.id, event);
        if (this.workerRunning && sameTest(this.workerRunning, event)) this.workerRunning = undefined;
        break;
      case 'worker-start':
        this.workerRunning = { id: event.id, file: event.file, name: event.name };
        break;
      case 'module-end': {
        const file = this.fileOf(event.file);
        file.errors = event.errors;
        file.finished = true;
        if (this.workerRunning?.file === event.file) this.workerRunning = undefined;
        break;
      }
      case 'log':
        this.record(event.id, event.content);
        return; // output is not progress: a looping test can print forever
      case 'done':
        this.unhandled = event.unhandled ?? [];
        this.done = true;
        break;
      case 'start':
        break;
    }
    this.lastProgress = now;
  }

  /** The test running now: tests of a file run in order, so it is the first unfinished one. */
  running(): TestRef | undefined {
    if (this.workerRunning) return this.workerRunning;
    for (const file of this.files.values()) {
      if (file.finished) continue;
      return file.tests.find((t) => !file.ended.has(t.id));
    }
    return undefined;
  }

  outputByTest(): Record<string, string> {
    return Object.fromEntries(this.output);
  }

  /** The same shape as Vitest's JSON reporter, for runs that were killed before it could write. */
  toVitestJson(): VitestJson {
    return {
      testResults: Array.from(this.files, ([name, file]) => ({
        name,
        status: file.errors.length > 0 || [...file.ended.values()].some((e) => e.state === 'failed') ? 'failed' : 'passed',
        message: file.errors[0] ?? '',
        assertionResults: file.tests.map((t) => {
          const end = file.ended.get(t.id);
          return { ancestorTitles: [], title: t.name, status: end?.state ?? 'pending', failureMessages: end?.errors ?? [] };
        }),
      })),
    };
  }

  /**
   * Vitest's JSON keeps only the message of an error that stopped a test file from loading; our
   * events have its stack, which says where in the learner's file it happened. Swaps them in.
   */
  withLoadStacks(results: VitestJson): VitestJson {
    return {
      testResults: results.testResults.map((file) => {
        const stack = [...this.files].find(([name]) => file.name.endsWith(`/${name}`) || file.name === name)?.[1].errors[0];
        return file.message && stack?.includes(file.message) ? { ...file, message: stack } : file;
      }),
    };
  }

  private fileOf(name: string): FileState {
    let file = this.files.get(name);
    if (!file) this.files.set(name, (file = { tests: [], ended: new Map(), errors: [], finished: false }));
    return file;
  }

  private record(id: string | null, content: string): void {
    if (!id) return;
    const test = this.ownerOf(id);
    if (!test) {
      this.early.push({ id, content });
      return;
    }
    const key = testKey(test.file, test.name);
    this.output.set(key, (this.output.get(key) ?? '') + content);
  }

  /** Console output belongs to its test; output while a file loads goes to that file's first test. */
  private ownerOf(id: string): TestRef | undefined {
    const test = this.tests.get(id);
    if (test) return test;
    for (const file of this.files.values()) if (file.moduleId === id) return file.tests[0];
    return undefined;
  }
}

function sameTest(a: TestRef, b: TestRef): boolean {
  return a.id === b.id || (a.file === b.file && a.name === b.name);
}
