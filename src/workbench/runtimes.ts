/**
 * Which runtime grades this page's runs: the local grader when `npm start` serves the page, else
 * a WebContainer — or none, with every reason, so the page can say why within seconds.
 *
 * The WebContainer runtime (and @webcontainer/api behind it) is loaded only when it is tried:
 * most learners on `npm start` never download it. It is found through import.meta.glob so this
 * page still builds and works with the local runtime alone if that module is missing.
 */
import { bundleUrl, LabBundleSchema } from '../runtime/bundle.ts';
import { chooseRuntime } from '../runtime/choose-runtime.ts';
import { createLocalRuntime } from '../runtime/local-runtime.ts';
import type { LabRuntime, RuntimeKind, RuntimePhase } from '../runtime/types.ts';
import type { WorkbenchState } from './state.ts';
import type { Store } from './store.ts';

type WebContainerModule = typeof import('../runtime/webcontainer-runtime.ts');
const found = import.meta.glob<WebContainerModule>('../runtime/webcontainer-runtime.ts');
const loadWebContainerModule = Object.values(found)[0];

const WEBCONTAINER_LABEL = 'In your browser (WebContainer)';
const PREFERENCE_KEY = 'hop:runtime';
/**
 * A WebContainer boots from stackblitz.com; offline it would wait forever. Six seconds is twice a
 * typical boot and keeps "why nothing can run" well under ten seconds on a static host; a slower
 * boot is not lost — "Try again" waits on the same boot (see webcontainer-runtime.ts).
 */
const BOOT_TIMEOUT_MS = 6_000;

/** A WebContainer runtime that imports its module on first prepare(). */
function lazyWebContainer(lab: string): LabRuntime | undefined {
  if (!loadWebContainerModule) return undefined;
  let real: Promise<LabRuntime> | undefined;
  const get = () =>
    (real ??= loadWebContainerModule().then((m) =>
      m.createWebContainerRuntime({
        lab,
        bootTimeoutMs: BOOT_TIMEOUT_MS,
        loadBundle: async () => {
          const res = await fetch(bundleUrl(lab));
          if (!res.ok) throw new Error(`The lab's test bundle could not be downloaded (${res.status} for ${bundleUrl(lab)}).`);
          return LabBundleSchema.parse(await res.json());
        },
      }),
    ));
  let loaded: LabRuntime | undefined;
  return {
    kind: 'webcontainer',
    label: WEBCONTAINER_LABEL,
    async prepare(opts) {
      try {
        loaded = await get();
      } catch (err) {
        real = undefined;
        throw new Error(`The in-browser runtime could not be loaded (${(err as Error).message}). Reload the page to try again.`);
      }
      return loaded.prepare(opts);
    },
    async run(req) {
      return (loaded ?? (await get())).run(req);
    },
    unsupportedStages(manifest) {
      // Same rule as the real runtime (stagesNotFor), without loading it just to ask.
      return manifest.stages.flatMap((s, i) =>
        s.runtimes && !s.runtimes.includes('webcontainer')
          ? [{ index: i + 1, note: s.runtimeNote ?? `Stage ${i + 1} runs only in: ${s.runtimes.join(', ')}.` }]
          : [],
      );
    },
    dispose() {
      loaded?.dispose();
    },
  };
}

export type RuntimeController = {
  /** Resolves with the runtime in use once one is ready, or undefined when none can run. */
  ready(): Promise<LabRuntime | undefined>;
  current(): LabRuntime | undefined;
  switchTo(kind: RuntimeKind): Promise<void>;
  /** Tries every runtime again (e.g. after `npm start` was started, or the network came back). */
  retry(): void;
};

export function createRuntimeController(store: Store<WorkbenchState>, onPhaseText: (text: string) => void): RuntimeController {
  const { slug, manifest } = store.get().data;
  const runtimes: LabRuntime[] = [];
  if (manifest.runtimes.includes('local')) runtimes.push(createLocalRuntime());
  const wc = manifest.runtimes.includes('webcontainer') ? lazyWebContainer(slug) : undefined;
  if (wc) runtimes.push(wc);
  let current: LabRuntime | undefined;

  const phaseText = (p: RuntimePhase): string | undefined =>
    p.phase === 'booting' || p.phase === 'running'
      ? p.detail
      : p.phase === 'installing'
        ? `${p.detail}${p.percent !== undefined ? ` (${Math.round(p.percent)}%)` : ''}`
        : undefined;
  let lastLine = '';
  const onPhase = (_kind: RuntimeKind, phase: RuntimePhase) => {
    store.set((s) => ({ runtime: { ...s.runtime, phase } }));
    const text = phaseText(phase);
    // Install progress repeats itself; the log gets a line only when the words change.
    const line = text?.replace(/ \(\d+%\)$/, '');
    if (text && line !== lastLine) onPhaseText(text);
    lastLine = line ?? lastLine;
  };

  /** The other runtime, if it could plausibly work here (a WebContainer needs cross-origin isolation). */
  async function alternativeTo(kind: RuntimeKind): Promise<{ kind: RuntimeKind; label: string } | undefined> {
    if (kind === 'local') return wc && globalThis.crossOriginIsolated ? { kind: 'webcontainer', label: wc.label } : undefined;
    const local = runtimes.find((r) => r.kind === 'local');
    if (!local) return undefined;
    // Probing the local grader is one fetch; it tells us whether `npm start` serves this page.
    return local.prepare({}).then(
      () => ({ kind: 'local' as const, label: local.label }),
      () => undefined,
    );
  }

  async function use(runtime: LabRuntime, attempts = store.get().runtime.attempts): Promise<void> {
    current = runtime;
    store.set({
      runtime: {
        status: 'ready',
        kind: runtime.kind,
        label: runtime.label,
        attempts,
        unsupported: runtime.unsupportedStages(manifest),
      },
    });
    const alternative = await alternativeTo(runtime.kind);
    if (current === runtime) store.set((s) => ({ runtime: { ...s.runtime, alternative } }));
  }

  let preferred: RuntimeKind | undefined;
  try {
    preferred = (localStorage.getItem(PREFERENCE_KEY) as RuntimeKind | null) ?? undefined;
  } catch {
    preferred = undefined;
  }

  const choose = () =>
    chooseRuntime(runtimes, {
      preferred: preferred ?? 'local',
      onAttempt: (a) => store.set((s) => ({ runtime: { ...s.runtime, attempts: [...s.runtime.attempts, a] } })),
      onPhase,
    }).then(async (c) => {
      if (c.ok) {
        await use(c.runtime, c.attempts);
        return c.runtime;
      }
      store.set({ runtime: { status: 'unavailable', attempts: c.attempts, unsupported: [] } });
      return undefined;
    });
  let choice = choose();

  return {
    async ready() {
      await choice;
      return current;
    },
    current: () => current,
    retry() {
      if (store.get().runtime.status !== 'unavailable') return;
      store.set({ runtime: { status: 'choosing', attempts: [], unsupported: [] } });
      choice = choose();
    },
    async switchTo(kind) {
      const target = runtimes.find((r) => r.kind === kind);
      if (!target || target === current) return;
      const previous = current;
      store.set((s) => ({ runtime: { ...s.runtime, status: 'preparing', phase: { phase: 'booting', detail: `Starting ${target.label}…` } } }));
      try {
        await target.prepare({ onPhase: (p) => onPhase(kind, p) });
        try {
          localStorage.setItem(PREFERENCE_KEY, kind);
        } catch {
          /* the preference is a nicety */
        }
        await use(target, [...store.get().runtime.attempts, { kind, label: target.label, ok: true }]);
      } catch (err) {
        const reason = (err as Error).message;
        onPhaseText(`${target.label} did not start: ${reason}`);
        store.set((s) => ({
          runtime: { ...s.runtime, status: previous ? 'ready' : 'unavailable', phase: undefined, attempts: [...s.runtime.attempts, { kind, label: target.label, ok: false, reason }] },
          notices: [...s.notices, { id: `switch-${Date.now()}`, tone: 'warn', text: `${target.label} is not available: ${reason}` }],
        }));
      }
    },
  };
}
