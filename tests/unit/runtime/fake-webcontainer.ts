import type { FileSystemTree } from '@webcontainer/api';
import { MARKER } from '../../../src/engine/events.ts';
import type { WebContainerLike } from '../../../src/runtime/webcontainer-runtime.ts';

/** A spawned process whose output and exit the test scripts. */
export class FakeProcess {
  killed = false;
  readonly exit: Promise<number>;
  readonly output: ReadableStream<string>;
  readonly input = new WritableStream<string>();
  private controller!: ReadableStreamDefaultController<string>;
  private settle!: (code: number) => void;

  constructor(
    readonly command: string,
    readonly args: string[],
  ) {
    this.output = new ReadableStream<string>({ start: (c) => void (this.controller = c) });
    this.exit = new Promise((resolve) => (this.settle = resolve));
  }

  write(text: string): void {
    if (!this.killed) this.controller.enqueue(text);
  }

  finish(code: number): void {
    try {
      this.controller.close();
    } catch {
      // already closed
    }
    this.settle(code);
  }

  kill(): void {
    this.killed = true;
    // Like a real kill: the stream ends; exit settles with a signal-ish code.
    this.finish(137);
  }

  resize(): void {}
}

export type Script = (proc: FakeProcess, wc: FakeWebContainer) => void | Promise<void>;

/** An in-memory WebContainer: a flat file map, recorded spawns, scripted processes, events. */
export class FakeWebContainer implements WebContainerLike {
  readonly workdir = '/home/hop';
  readonly files = new Map<string, string>();
  readonly spawned: FakeProcess[] = [];
  private readonly listeners = new Map<string, Array<(payload: unknown) => void>>();

  constructor(readonly scripts: Record<string, Script>) {}

  async mount(tree: FileSystemTree, prefix = ''): Promise<void> {
    for (const [name, node] of Object.entries(tree)) {
      if ('directory' in node) await this.mount(node.directory, `${prefix}${name}/`);
      else if ('file' in node && 'contents' in node.file) this.files.set(`${prefix}${name}`, String(node.file.contents));
    }
  }

  async spawn(command: string, args?: unknown, _options?: unknown): Promise<FakeProcess> {
    const proc = new FakeProcess(command, Array.isArray(args) ? (args as string[]) : []);
    this.spawned.push(proc);
    const script = this.scripts[command];
    if (!script) throw new Error(`fake: no script for ${command}`);
    queueMicrotask(() => void script(proc, this));
    return proc;
  }

  on(event: string, listener: (payload: never) => void): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (payload: unknown) => void);
    this.listeners.set(event, list);
    return () => list.splice(list.indexOf(listener as (payload: unknown) => void), 1);
  }

  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  /** Names under a folder, e.g. list('tests/'). */
  list(prefix: string): string[] {
    return [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
  }

  readonly fs = {
    readFile: (async (path: string) => {
      const text = this.files.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    }) as WebContainerLike['fs']['readFile'],
    writeFile: async (path: string, data: string | Uint8Array) => {
      this.files.set(path, typeof data === 'string' ? data : new TextDecoder().decode(data));
    },
    mkdir: (async () => '') as WebContainerLike['fs']['mkdir'],
    rm: async (path: string, opts?: { force?: boolean; recursive?: boolean }) => {
      const hits = [...this.files.keys()].filter((k) => k === path || (opts?.recursive && k.startsWith(`${path}/`)));
      if (hits.length === 0 && !opts?.force) throw new Error(`ENOENT: ${path}`);
      for (const k of hits) this.files.delete(k);
    },
  };
}

export type FakeTest = { name: string; state: 'passed' | 'failed'; errors?: string[]; log?: string };

/**
 * A scripted `node vitest.mjs run`: for every stage file mounted under tests/, emits the hop
 * reporter's events for the given tests and writes .hop/results.json, like the real run.
 */
export function fakeVitest(byFile: Record<string, FakeTest[]>, opts: { hangOn?: string } = {}): Script {
  return (proc, wc) => {
    const emit = (e: unknown) => proc.write(`${MARKER}${JSON.stringify(e)}\n`);
    const testResults = [];
    for (const file of wc.list('tests/').filter((f) => f.endsWith('.test.ts'))) {
      const tests = byFile[file] ?? [];
      const refs = tests.map((t, i) => ({ id: `${file}-${i}`, file: `tests/${file}`, name: t.name }));
      emit({ t: 'collected', id: file, file: `tests/${file}`, tests: refs });
      for (const [i, t] of tests.entries()) {
        emit({ t: 'start', ...refs[i] });
        if (t.log) emit({ t: 'log', id: refs[i]!.id, stream: 'stdout', content: t.log });
        if (t.name === opts.hangOn) return; // a learner's endless loop: nothing more, ever
        emit({ t: 'end', ...refs[i], state: t.state, errors: t.errors ?? [], ms: 1 });
      }
      emit({ t: 'module-end', file: `tests/${file}`, errors: [] });
      testResults.push({
        name: `${wc.workdir}/tests/${file}`,
        status: tests.some((t) => t.state === 'failed') ? 'failed' : 'passed',
        message: '',
        assertionResults: tests.map((t) => ({ ancestorTitles: [], title: t.name, status: t.state, failureMessages: t.errors ?? [] })),
      });
    }
    proc.write('plain output from the run\n');
    emit({ t: 'done', unhandled: [] });
    wc.files.set('.hop/results.json', JSON.stringify({ testResults }));
    proc.finish(testResults.some((r) => r.status === 'failed') ? 1 : 0);
  };
}
