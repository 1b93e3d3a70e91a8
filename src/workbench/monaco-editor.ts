/**
 * Monaco, loaded only by editor-loader.ts after the lab page has painted (this module and what it
 * imports are several MB). Bundled by Vite from monaco-editor's ESM build: no CDN, and the
 * workers come from `?worker` imports, so they are same-origin as COEP require-corp demands.
 *
 * One model per editable file at file:///src/<name>, as in the grading workspace, so imports
 * between the learner's files resolve; Node 20's types (labs/_workspace's @types/node) arrive
 * as extra libs from /labs/node-types.json.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
// editor.api alone is a bare text view. In 0.57 the editor's contributions (core commands, the
// suggest controller, hover, find, codicons…) are registered by this module, which the TypeScript
// language service imports too — but lazily, after our editor exists, and contributions are only
// attached to editors created after they register. So load it first. (The per-feature
// `features/*/register` entries miss some of them, e.g. the suggest controller.)
import 'monaco-editor/internal/common/workers';
import 'monaco-editor/languages/definitions/typescript/register';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import type { EditorView } from './plain-editor.ts';
import { withFile } from './saved-lab.ts';
import type { WorkbenchState } from './state.ts';
import { watch, type Store } from './store.ts';
import { THEMES, themeName } from './monaco-theme.ts';

declare global {
  // eslint-disable-next-line no-var
  var MonacoEnvironment: monaco.Environment | undefined;
}

globalThis.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

// ScriptTarget.ES2022 = 9, ModuleKind.ESNext = 99, ModuleResolutionKind.Bundler = 100 (newer than
// Monaco's enums, passed through to TypeScript as is): `./cache.ts` and `node:http` both resolve.
const compilerOptions: Record<string, unknown> = {
  target: 9,
  module: 99,
  moduleResolution: 100,
  lib: ['es2023'],
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  esModuleInterop: true,
  skipLibCheck: true,
  allowNonTsExtensions: true,
};
typescriptDefaults.setCompilerOptions(compilerOptions as Parameters<typeof typescriptDefaults.setCompilerOptions>[0]);
// Keep every model in the worker, so a file imported by the open one is known even before its tab opens.
typescriptDefaults.setEagerModelSync(true);

monaco.editor.defineTheme(themeName(false), THEMES.light);
monaco.editor.defineTheme(themeName(true), THEMES.dark);

let typesLoaded: Promise<void> | undefined;
/** Node's declarations, fetched once per page; the editor works (without them) if this fails. */
function loadNodeTypes(): Promise<void> {
  return (typesLoaded ??= fetch('/labs/node-types.json')
    .then((res) => (res.ok ? (res.json() as Promise<{ files: Record<string, string> }>) : Promise.reject(new Error(String(res.status)))))
    .then(({ files }) => {
      typescriptDefaults.setExtraLibs(Object.entries(files).map(([path, content]) => ({ content, filePath: `file:///node_modules/${path}` })));
    })
    .catch((err: unknown) => {
      console.warn('Node type declarations for the editor could not be loaded:', err);
    }));
}

export type MonacoView = EditorView & { element: HTMLElement };

export function mountMonaco(host: HTMLElement, diffHost: HTMLElement, store: Store<WorkbenchState>, onRun: () => void): MonacoView {
  // The site's theme contract (src/components/site/theme.ts): data-theme on <html> is the theme in
  // effect, and `hop:theme` announces changes (the header toggle, or the system setting).
  const isDark = () => document.documentElement.dataset.theme === 'dark' || (!document.documentElement.dataset.theme && matchMedia('(prefers-color-scheme: dark)').matches);
  const state = store.get();
  void loadNodeTypes();

  const models = new Map<string, monaco.editor.ITextModel>();
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
  for (const name of state.data.manifest.files) {
    const uri = monaco.Uri.parse(`file:///src/${name}`);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(state.saved.files[name] ?? '', 'typescript', uri);
    model.updateOptions({ tabSize: 2 });
    models.set(name, model);
    model.onDidChangeContent(() => {
      const text = model.getValue();
      store.set((s) => ({ saved: withFile(s.saved, name, text) }));
    });
  }

  const element = document.createElement('div');
  element.className = 'editor-monaco';
  host.append(element);
  const common: monaco.editor.IEditorOptions = {
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--hop-font-mono').trim() || 'monospace',
    scrollBeyondLastLine: false,
    fixedOverflowWidgets: true,
    renderLineHighlightOnlyWhenFocus: true,
    padding: { top: 8, bottom: 8 },
    // Screen reader users get the accessible text area; everyone gets the same keyboard help.
    accessibilitySupport: 'auto',
  };
  const editor = monaco.editor.create(element, {
    ...common,
    model: models.get(state.activeFile)!,
    theme: themeName(isDark()),
    ariaLabel: `${state.activeFile}: your code. Press Ctrl+Enter to run the tests.`,
  });
  // Ctrl/Cmd+Enter runs here too (Monaco would otherwise insert a line); page-level handlers skip it.
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, onRun);
  const followScheme = () => monaco.editor.setTheme(themeName(isDark()));
  document.addEventListener('hop:theme', followScheme);

  let diff: monaco.editor.IStandaloneDiffEditor | undefined;
  const solutionModels = new Map<string, monaco.editor.ITextModel>();
  const showDiff = (active: string, files: Record<string, string>) => {
    diff ??= monaco.editor.createDiffEditor(diffHost, {
      ...common,
      theme: themeName(isDark()),
      originalEditable: false,
      readOnly: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      originalAriaLabel: 'Solution, read only',
      modifiedAriaLabel: 'Your code',
    });
    let original = solutionModels.get(active);
    if (!original) {
      original = monaco.editor.createModel(files[active] ?? '// The solution has no such file.\n', 'typescript', monaco.Uri.parse(`file:///solution/${active}`));
      original.updateOptions({ tabSize: 2 });
      solutionModels.set(active, original);
    }
    diff.setModel({ original, modified: models.get(active)! });
    diff.getModifiedEditor().addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, onRun);
  };

  const stops = [
    // Reset, undo and the other tab's edits arrive through the store; write them as one undoable edit.
    watch(
      store,
      (s) => s.saved.files,
      (files) => {
        for (const [name, model] of models) {
          const text = files[name] ?? '';
          if (model.getValue() === text) continue;
          model.pushStackElement();
          model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
          model.pushStackElement();
        }
      },
    ),
    watch(
      store,
      (s) => s.activeFile,
      (active, prev) => {
        if (prev) viewStates.set(prev, editor.saveViewState());
        editor.setModel(models.get(active)!);
        editor.updateOptions({ ariaLabel: `${active}: your code. Press Ctrl+Enter to run the tests.` });
        const view = viewStates.get(active);
        if (view) editor.restoreViewState(view);
      },
    ),
    watch(
      store,
      (s) => [s.solution, s.activeFile] as const,
      ([solution, active]) => {
        const shown = solution.status === 'shown' && solution.files !== undefined;
        element.hidden = shown;
        diffHost.hidden = !shown;
        if (shown) showDiff(active, solution.files!);
        else if (diff) {
          diff.dispose();
          diff = undefined;
        }
      },
    ),
  ];

  return {
    element,
    dispose() {
      for (const stop of stops) stop();
      document.removeEventListener('hop:theme', followScheme);
      diff?.dispose();
      editor.dispose();
      element.remove();
    },
    focus: () => (diff ? diff.getModifiedEditor().focus() : editor.focus()),
  };
}
