/**
 * Turns runner text (failure messages, stack traces, console output) into what a learner should
 * read: no colour codes, no throwaway-workspace paths, no frames from Vitest or our test kit.
 * Browser-safe: pure string work, used by report.ts in Node and in the WebContainer runtime.
 */

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites `<root>/src/proxy.ts:12:5` to `proxy.ts:12:5` (the name the learner edits) and
 * `<root>/tests/01-x.test.ts` to `tests/01-x.test.ts`, with or without a file:// prefix.
 */
export function relativize(text: string, root: string | undefined): string {
  if (!root) return text;
  const base = escapeRegExp(root.replace(/\/+$/, ''));
  return text
    .replace(new RegExp(`(?:file://)?${base}/src/`, 'g'), '')
    .replace(new RegExp(`(?:file://)?${base}/`, 'g'), '');
}

/**
 * A stack frame the learner cannot act on: Vitest and Vite internals, Node internals, the shared
 * test kit, or anything still absolute after relativize() (it lives outside the workspace).
 */
function isNoiseFrame(line: string): boolean {
  if (!/^\s+at\s/.test(line)) return false;
  return (
    line.includes('node_modules') ||
    /\bnode:/.test(line) ||
    /(?:\(|at\s)kit\//.test(line) ||
    /(?:\(|at\s)(?:file:\/\/)?\//.test(line) ||
    /\(<anonymous>\)$|at <anonymous>$/.test(line)
  );
}

export const MESSAGE_LIMIT = 4_000;
export const OUTPUT_LIMIT = 2_000;

/** Keeps the first `limit` characters and says how much was left out. */
export function cap(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n…truncated (showing the first ${limit} of ${text.length} characters)`;
}

/**
 * A failure message as the learner should see it. Keeps the expected-vs-received text, drops
 * Vitest's "AssertionError:" prefix and "// Object.is equality" aside, which only make sense to
 * people who know Vitest's internals.
 */
export function cleanMessage(text: string, root: string | undefined): string {
  const lines = relativize(stripAnsi(text), root)
    .split('\n')
    .filter((line) => !isNoiseFrame(line));
  const joined = lines
    .join('\n')
    .replace(/^AssertionError: ?/, '')
    .replace(/ \/\/ Object\.is equality/g, '')
    // Vite's module wrappers: "(0 , __vite_ssr_import_1__.createServer) is not a function" → "createServer is not a function".
    .replace(/\(0\s*,\s*__vite_ssr_import_\d+__\.([\w$]+)\)/g, '$1')
    .replace(/__vite_ssr_import_\d+__\.([\w$]+)/g, '$1')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
  return cap(joined, MESSAGE_LIMIT);
}

/** Console output captured during one test, cleaned and capped. */
export function cleanOutput(text: string, root: string | undefined): string {
  return cap(relativize(stripAnsi(text), root), OUTPUT_LIMIT);
}

/**
 * The first learner-file position in a compiler message, e.g. esbuild's
 * `proxy.ts:7:12: ERROR: Unexpected ";"` once relativize() has run.
 */
export function syntaxErrorAt(
  message: string,
): { file: string; line: number; column: number; problem: string } | undefined {
  const match = /(?:^|\s)((?![./]|tests\/|kit\/)[\w./-]+\.[cm]?[jt]sx?):(\d+):(\d+):\s*(?:ERROR:\s*)?(.+)/m.exec(message);
  if (!match || !/Transform failed|SyntaxError|Parse failure|ERROR:/i.test(message)) return undefined;
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]), problem: match[4]!.trim() };
}
