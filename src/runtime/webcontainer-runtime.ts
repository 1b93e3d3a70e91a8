/**
 * The in-browser runtime: Node (v20) inside a WebContainer in this tab. It boots once per page,
 * mounts the shared lab workspace and installs its locked dependencies in the background, then for
 * each run writes the learner's files, mounts the hidden tests only for that run, runs Vitest with
 * the same arguments and watchdog rules as `hop grade`, and builds the same report.
 *
 * WebContainers load from stackblitz.com and wait forever without internet, so every wait here is
 * raced against a timeout and ends in a sentence the learner can act on.
 */
import type { FileSystemTree, WebContainer } from '@webcontainer/api';
import { hopError } from '../errors/catalogue.ts';
import { EventSplitter, RunState } from '../engine/events.ts';
import { DEFAULT_LIMITS, isWantedTestFile, stageFilesFor, vitestArgs, watchdogVerdict, type Limits } from '../engine/plan.ts';
import { buildReport, type GradeReport, type Interruption, type VitestJson } from '../engine/report.ts';
import { WorkspacePathSchema } from '../schemas/lab.ts';
import type { LabBundle } from './bundle.ts';
import { stagesNotFor } from './local-runtime.ts';
import type { LabRuntime, RunRequest, RuntimePhase } from './types.ts';

/** A process as far as we use it: its output, its exit code, and a way to stop it. */
export type ProcessLike = { output: ReadableStream<string>; exit: Promise<number>; kill(): void };

/**
 * The part of the WebContainer API we use, spelled out (not `Pick`ed from its overloads) so the
 * unit tests' fake can match it exactly; `WebContainer` itself must stay assignable to it.
 */
export type WebContainerLike = {
  readonly workdir: string;
  mount(tree: FileSystemTree): Promise<void>;
  spawn(command: string, args: string[], options?: { env?: Record<string, string> }): Promise<ProcessLike>;
  on(event: 'error', listener: (error: { message: string }) => void): () => void;
  fs: {
    readFile(path: string, encoding: 'utf-8'): Promise<string>;
    writeFile(path: string, data: string): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  };
};

// Compile-time proof that the real API still fits the shape above.
type Assert<T extends true> = T;
export type RealContainerFits = Assert<WebContainer extends WebContainerLike ? true : false>;

export type WebContainerRuntimeOptions = {
  lab: string;
  loadBundle: () => Promise<LabBundle>;
  /** Defaults to WebContainer.boot() from @webcontainer/api, loaded only when needed. */
  boot?: () => Promise<WebContainerLike>;
  bootTimeoutMs?: number;
  installTimeoutMs?: number;
  limits?: Partial<Limits>;
  /** What the page offers; defaults to the real globals. */
  environment?: { crossOriginIsolated: boolean; sharedArrayBuffer: boolean };
};

// Only one WebContainer may exist per page, and a boot cannot be cancelled: a boot that outlives
// its timeout is kept, so "Try again" waits on the same boot instead of starting a second.
let pageBoot: Promise<WebContainerLike> | undefined;

async function defaultBoot(): Promise<WebContainerLike> {
  const { WebContainer, configureAPIKey } = await import('@webcontainer/api');
  // Optional: StackBlitz's API key for commercial deployments, set at build time.
  const key = (import.meta as { env?: Record<string, string | undefined> }).env?.PUBLIC_WEBCONTAINER_API_KEY;
  if (key) configureAPIKey(key);
  return WebContainer.boot({ coep: 'require-corp', workdirName: 'hop' });
}

/** Test hook: forget the page's boot (a real page never needs this). */
export function resetPageBootForTests(): void {
  pageBoot = undefined;
}

export function createWebContainerRuntime(opts: WebContainerRuntimeOptions): LabRuntime {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let ready: Promise<{ wc: WebContainerLike; bundle: LabBundle }> | undefined;
  let current: AbortController | undefined;
  /** Set while a run is in flight: the container's own 'error' events end it as a crash. */
  let failActive: ((detail: string) => void) | undefined;
  let listening = false;

  async function setUp(onPhase: (p: RuntimePhase) => void, signal?: AbortSignal) {
    const env = opts.environment ?? {
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    };
    if (!env.sharedArrayBuffer && env.crossOriginIsolated) throw hopError('BrowserUnsupported', { missing: 'SharedArrayBuffer' });
    if (!env.crossOriginIsolated) throw hopError('NotIsolated', undefined);
    onPhase({ phase: 'booting', detail: 'Starting Node.js in your browser…' });
    const bundlePromise = opts.loadBundle();
    const wc = await bootWithTimeout(opts.boot ?? defaultBoot, opts.bootTimeoutMs ?? 8_000, signal);
    if (!listening) {
      listening = true;
      wc.on('error', (e) => failActive?.(`The in-browser runtime reported an error: ${e.message}`));
    }
    const bundle = await bundlePromise;
    await wc.mount(toTree(bundle.workspace));
    onPhase({ phase: 'installing', detail: 'Installing the test tools (first run only)…' });
    const install = await wc.spawn('npm', ['install', '--no-audit', '--no-fund'], { env: { CI: 'true' } });
    let tail = '';
    const drained = drain(install.output, (text) => {
      tail = (tail + text).slice(-2_000);
      const last = text.trim().split('\n').pop();
      if (last) onPhase({ phase: 'installing', detail: last.slice(0, 120) });
    });
    const code = await withTimeout(install.exit, opts.installTimeoutMs ?? 180_000, () => {
      install.kill();
      return hopError('InstallFailed', { code: -1, tail: `${tail}\n(stopped: still installing after ${Math.round((opts.installTimeoutMs ?? 180_000) / 1000)} s)` });
    });
    await drained;
    if (code !== 0) throw hopError('InstallFailed', { code, tail: tail.trim().split('\n').slice(-8).join('\n') });
    onPhase({ phase: 'ready' });
    return { wc, bundle };
  }

  async function prepare({ signal, onPhase }: { signal?: AbortSignal; onPhase?: (p: RuntimePhase) => void } = {}) {
    const notify = onPhase ?? (() => {});
    ready ??= setUp(notify, signal).catch((err: Error) => {
      ready = undefined; // a later "Try again" starts over (reusing the page's boot)
      notify({ phase: 'unavailable', reason: err.message });
      throw err;
    });
    await ready;
  }

  return {
    kind: 'webcontainer',
    label: 'In your browser (WebContainer)',
    prepare,

    async run(req: RunRequest): Promise<GradeReport> {
      current?.abort(new DOMException('A newer run replaced this one.', 'AbortError'));
      const controller = new AbortController();
      current = controller;
      const signal = req.signal ? AbortSignal.any([req.signal, controller.signal]) : controller.signal;
      await prepare({ signal });
      const { wc, bundle } = await ready!;
      signal.throwIfAborted();
      const started = Date.now();
      const upto = req.uptoStage ?? req.manifest.stages.length;
      const testFiles = stageFilesFor(req.manifest, upto, 'webcontainer');
      const report = (extra: Partial<Parameters<typeof buildReport>[0]>) =>
        buildReport({
          slug: req.lab, stages: req.manifest.stages, results: null, uptoStage: upto,
          runtime: 'webcontainer', durationMs: Date.now() - started, root: wc.workdir, ...extra,
        });
      if (testFiles.length === 0) return report({ results: { testResults: [] } });

      for (const [name, text] of Object.entries(req.files)) {
        if (!WorkspacePathSchema.safeParse(name).success) throw hopError('UnsafeLearnerPath', { file: name });
        await writeFileDeep(wc, `src/${name}`, text);
      }
      const wanted = new Set(testFiles);
      await wc.fs.rm('tests', { recursive: true, force: true });
      await wc.fs.rm('.hop/results.json', { force: true });
      for (const [name, text] of Object.entries(bundle.tests)) {
        if (isWantedTestFile(name, wanted)) await writeFileDeep(wc, `tests/${name}`, text);
      }
      try {
        const outcome = await runOnce(wc, {
          limits, testFiles, signal, onOutput: req.onOutput,
          onFailHook: (fail) => (failActive = fail),
        });
        return report({ ...outcome, output: outcome.state.outputByTest(), unhandled: outcome.state.unhandled });
      } finally {
        // Hidden tests live in the container only while they run.
        await wc.fs.rm('tests', { recursive: true, force: true }).catch(() => {});
        if (current === controller) current = undefined;
        failActive = undefined;
      }
    },

    unsupportedStages: (manifest) => stagesNotFor('webcontainer', manifest),
    dispose() {
      current?.abort(new DOMException('The page is closing.', 'AbortError'));
    },
  };
}

async function runOnce(
  wc: WebContainerLike,
  o: {
    limits: Limits;
    testFiles: string[];
    signal: AbortSignal;
    onOutput?: (t: string) => void;
    /** Receives a function that ends this run as a crash (for the container's 'error' events). */
    onFailHook?: (fail: (detail: string) => void) => void;
  },
): Promise<{ state: RunState; results: VitestJson | null; interruption?: Interruption }> {
  const state = new RunState();
  const splitter = new EventSplitter();
  const started = Date.now();
  state.lastProgress = started;
  let interruption: Interruption | undefined;
  let tail = '';
  let proc: Awaited<ReturnType<WebContainerLike['spawn']>> | undefined;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // A killed process may not settle its exit promise promptly, so abort and watchdog end the wait.
  // Both are wired before the spawn: an abort or container error during it must not be lost.
  const interrupt = (why: Interruption) => {
    interruption ??= why;
    proc?.kill();
    stop();
  };
  const onAbort = () => {
    proc?.kill();
    stop();
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  o.onFailHook?.((detail) => interrupt({ kind: 'crash', detail }));
  proc = await wc.spawn('node', vitestArgs(o.limits), { env: { NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (o.signal.aborted || interruption) proc.kill();
  const take = (chunk: string) => {
    for (const piece of splitter.push(chunk)) {
      if ('event' in piece) {
        state.apply(piece.event, Date.now());
        if (piece.event.t === 'log') o.onOutput?.(piece.event.content);
      } else if (!piece.text.startsWith('JSON report written to')) {
        tail = (tail + piece.text).slice(-4_000);
        o.onOutput?.(piece.text);
      }
    }
  };
  const drained = drain(proc.output, take);
  const watchdog = setInterval(() => {
    const verdict = watchdogVerdict(state, { started, now: Date.now(), limits: o.limits, testFiles: o.testFiles });
    if (verdict) interrupt(verdict);
  }, 100);
  try {
    await Promise.race([proc.exit, stopped]);
    o.signal.throwIfAborted();
    if (interruption) return { state, results: state.toVitestJson(), interruption };
    await Promise.race([drained, new Promise((r) => setTimeout(r, 500))]);
    for (const piece of splitter.flush()) if ('event' in piece) state.apply(piece.event, Date.now());
    const results = await wc.fs
      .readFile('.hop/results.json', 'utf-8')
      .then((t) => JSON.parse(t) as VitestJson)
      .catch(() => null);
    if (results) return { state, results };
    const detail = tail.trim().split('\n').slice(-12).join('\n') || 'Vitest exited without writing results.';
    return { state, results: state.files.size > 0 ? state.toVitestJson() : null, interruption: { kind: 'crash', detail } };
  } finally {
    clearInterval(watchdog);
    o.signal.removeEventListener('abort', onAbort);
  }
}

async function bootWithTimeout(boot: () => Promise<WebContainerLike>, ms: number, signal?: AbortSignal): Promise<WebContainerLike> {
  pageBoot ??= boot();
  const attempt = pageBoot;
  attempt.catch(() => {
    if (pageBoot === attempt) pageBoot = undefined; // a failed boot may be retried from scratch
  });
  const wc = await withTimeout(attempt, ms, () => hopError('BootTimeout', { seconds: Math.ceil(ms / 1000) }), signal).catch(
    (err: Error) => {
      throw err.name === 'HopError' || err.name === 'AbortError' ? err : hopError('BootFailed', { reason: err.message });
    },
  );
  return wc;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

async function drain(stream: ReadableStream<string>, onChunk: (text: string) => void): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onChunk(value);
    }
  } catch {
    // The process was killed: its stream errors, and there is nothing more to read.
  } finally {
    reader.releaseLock();
  }
}

async function writeFileDeep(wc: WebContainerLike, path: string, text: string): Promise<void> {
  const dir = path.split('/').slice(0, -1).join('/');
  if (dir) await wc.fs.mkdir(dir, { recursive: true });
  await wc.fs.writeFile(path, text);
}

/** { "kit/net.ts": "…" } → the nested tree WebContainer.mount() takes. */
export function toTree(files: Record<string, string>): FileSystemTree {
  const root: FileSystemTree = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      const node = (dir[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`${path}: ${part} is both a file and a folder`);
      dir = node.directory;
    }
    dir[parts[parts.length - 1]!] = { file: { contents } };
  }
  return root;
}
