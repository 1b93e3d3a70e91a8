/**
 * The lab page's script: reads the lab the page embedded, restores the learner's saved work,
 * wires the views to one store, picks a runtime, and loads the real editor after first paint.
 * Everything here is small; Monaco and the WebContainer runtime are separate, lazy chunks.
 */
import { createAnnouncer } from './announcer.ts';
import { startAutosave } from './autosave.ts';
import { mountControls } from './controls.ts';
import { createConfirm } from './dialog.ts';
import { must } from './dom.ts';
import { mountEditor } from './editor-loader.ts';
import { mountHints } from './hints-view.ts';
import { mountNotices } from './notices-view.ts';
import { createOutputLog } from './output-log.ts';
import { mountResults } from './results-view.ts';
import { createRunner } from './runner.ts';
import { createRuntimeController } from './runtimes.ts';
import { mountRuntime } from './runtime-view.ts';
import { initialState, type LabPageData } from './state.ts';
import { loadSaved, type StorageLike } from './storage.ts';
import { createStore } from './store.ts';
import { mountTabs } from './tabs.ts';

/** localStorage, or a throwing stand-in where the browser blocks it (loadSaved turns that into a notice). */
function browserStorage(): StorageLike {
  try {
    return window.localStorage;
  } catch {
    const blocked = () => {
      throw new Error('storage blocked');
    };
    return { getItem: blocked, setItem: blocked, removeItem: blocked };
  }
}

export function start(root: HTMLElement): void {
  const data = JSON.parse(must<HTMLScriptElement>(root, '[data-lab-json]').textContent!) as LabPageData;
  const storage = browserStorage();
  const loaded = loadSaved(storage, data.slug, { files: data.starter, hash: data.starterHash });
  const notices = loaded.notices.map((text, i) => ({ id: `load-${i}`, text, tone: 'warn' as const }));
  const store = createStore(initialState(data, loaded.saved, loaded.canSave, notices));
  startAutosave(store, storage);
  // A restored or migrated record is written back at once, in the current format.
  if (loaded.canSave && loaded.notices.length > 0) store.set((s) => ({ saved: { ...s.saved } }));

  const announce = createAnnouncer(must(root, '[data-announcer]'));
  const log = createOutputLog(must(root, '[data-output-log]'));
  const runtimes = createRuntimeController(store, (line) => log.append(`${line}\n`));
  const runner = createRunner(store, runtimes, log, announce);
  const confirm = createConfirm(must<HTMLDialogElement>(root, '[data-confirm]'));
  const diffHost = must<HTMLElement>(root, '[data-diff-host]');

  mountNotices(must(root, '[data-notices]'), store);
  mountRuntime(root, store, runtimes);
  mountTabs(must(root, '[data-tabs]'), store);
  mountEditor(must(root, '[data-editor-host]'), diffHost, store, () => void runner.run());
  mountControls(root, { store, runner, confirm, announce, diffHost });
  mountResults(must(root, '[data-results]'), store);
  mountHints(must(root, '[data-results]'), store);
  root.dataset.ready = 'true';
}
