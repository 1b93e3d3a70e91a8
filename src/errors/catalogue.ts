/**
 * Every error a learner or an instructor can see, in one place, with a permanent name.
 *
 * Each entry says what happened and why, then what to do. Names never change once shipped:
 * docs, tests and support answers refer to them. Add new entries at the end of their group.
 * Avoid the words "document" and "window" in messages: Astro's error printer takes them for a
 * browser-API mistake and appends an unrelated hint.
 */

export type ErrorParts = {
  /** What happened and why, in one or two sentences. */
  what: string;
  /** What to do about it. */
  fix: string;
  /** Optional bullet list of specifics (one problem per line). */
  details?: string[];
};

const catalogue = {
  // ── Authoring: files written by instructors ──────────────────────────────
  InvalidAuthoredFile: (p: { file: string; kind: string; problems: string[]; docs: string }) => ({
    what: `${p.file}: the ${p.kind} is not valid.`,
    details: p.problems,
    fix: `Edit ${p.file} and correct the field(s) above. Each field is explained in ${p.docs}.`,
  }),
  UnreadableAuthoredFile: (p: { file: string; kind: string; reason: string }) => ({
    what: `${p.file} could not be read as a ${p.kind}: ${p.reason}.`,
    fix: `Check the syntax of ${p.file} (a JSON file needs double-quoted keys and no trailing commas; frontmatter sits between two --- lines).`,
  }),
  UnknownModule: (p: { file: string; module: number; known: number[] }) => ({
    what: `${p.file} says it belongs to module ${p.module}, but the course has no module ${p.module}.`,
    fix: `Use one of the modules listed in content/course.json (${p.known.join(', ')}), or add module ${p.module} there.`,
  }),
  DuplicateLessonOrder: (p: { files: string[]; module: number; order: number }) => ({
    what: `Two lessons claim position ${p.order} in module ${p.module}: ${p.files.join(' and ')}.`,
    fix: `Give each lesson in a module its own "order" number.`,
  }),
  UnknownLab: (p: { file: string; lab: string; known: string[] }) => ({
    what: `${p.file} links to the lab "${p.lab}", but there is no labs/${p.lab}/lab.json.`,
    fix: `Use one of the existing labs (${p.known.join(', ') || 'none yet'}) or remove the "lab" field.`,
  }),
  UnknownLessonInLab: (p: { file: string; lesson: string; known: string[] }) => ({
    what: `${p.file} says it practises the lesson "${p.lesson}", but there is no content/lessons/${p.lesson}/index.mdx.`,
    fix: `Set "lesson" to one of the existing lessons (${p.known.join(', ') || 'none yet'}).`,
  }),
  UnknownGlossaryLesson: (p: { file: string; field: string; lesson: string; known: string[]; near?: string }) => ({
    what: `${p.file}: ${p.field} is "${p.lesson}", but no published lesson has that slug, so the term's "Taught in" link would lead nowhere.`,
    fix: `${p.near ? `Did you mean "${p.near}"? ` : ''}Use the folder name of a lesson under content/lessons/ (${p.known.join(', ') || 'none yet'}). Drafts do not count: they are not on the built site.`,
  }),
  UnknownGlossaryAnchor: (p: { file: string; field: string; anchor: string; lesson: string; known: string[]; near?: string }) => ({
    what: `${p.file}: ${p.field} is "${p.anchor}", but content/lessons/${p.lesson}/index.mdx has no heading with that id, so the link would land at the top of the lesson.`,
    fix: `${p.near ? `Did you mean "${p.near}"? ` : ''}Use the id of one of its headings: ${p.known.join(', ')}. A heading's id is its text in lowercase, with spaces as hyphens and punctuation left out ("## Caching and TTL" is caching-and-ttl).`,
  }),
  DuplicateGlossaryId: (p: { file: string; id: string; line: number }) => ({
    what: `${p.file}:${p.line} uses the id "${p.id}" for a second term; ids are the keys of the file, so each may appear once.`,
    fix: `Give this term an id of its own, or merge the two entries into one. Keep the id that is already published: pages link to /glossary/#${p.id}.`,
  }),
  DuplicateGlossaryTerm: (p: { file: string; name: string; ids: string[] }) => ({
    what: `${p.file}: the name "${p.name}" belongs to two terms, "${p.ids[0]}" and "${p.ids[1]}" (as a "term" or one of its "aliases"), so a learner looking it up would find both.`,
    fix: `Merge them into one entry and list the other names under "aliases", or tell them apart in the name, e.g. "TTL (DNS)" and "TTL (IP)".`,
  }),
  UnknownGlossarySeeAlso: (p: { file: string; field: string; ref: string; self: boolean; near?: string }) => ({
    what: p.self
      ? `${p.file}: ${p.field} is "${p.ref}", the term itself, so the link would point back at the same entry.`
      : `${p.file}: ${p.field} is "${p.ref}", but no term has that id, so the link would lead nowhere.`,
    fix: `${p.near ? `Did you mean "${p.near}"? ` : ''}Use the id of another term (the key before its colon in ${p.file}), or remove the entry from seeAlso.`,
  }),

  // ── Grading: what a learner sees after `hop grade` or the lab page ran their code ──
  LearnerSyntaxError: (p: { file: string; line: number; column: number; problem: string }) => ({
    what: `${p.file}:${p.line}:${p.column} is not valid TypeScript (${p.problem}), so none of the tests could load your code.`,
    fix: `Fix the code at that spot (a missing bracket or quote often shows up a line later than it happened), save, and grade again.`,
  }),
  StageLoadFailed: (p: { stage: number; stageId: string; problem: string }) => ({
    what: `The tests for stage ${p.stage} (${p.stageId}) could not load your code: ${p.problem}`,
    fix: `Your file probably throws while it loads, or does not export a name the brief asks for. Check the exports against the brief and run the file once with node to see the error.`,
  }),
  TestTimeout: (p: { stage: number; stageId: string; test: string; seconds: number }) => ({
    what: `Test '${p.test}' in stage ${p.stage} (${p.stageId}) did not finish within ${p.seconds} s: it was still waiting for your code.`,
    fix: `Make sure every request or connection gets an answer (for HTTP, every path ends with res.end()) and every promise you create settles.`,
  }),
  GradeTimeout: (p: { stage: number; stageId: string; test: string; seconds: number }) => ({
    what: `Timed out after ${p.seconds} s in stage ${p.stage} (${p.stageId}), test '${p.test}': your code never gave control back, so the run was stopped.`,
    fix: `Look for an endless loop (a while or for loop whose condition never changes) in the code this test runs; the tests after it could not run.`,
  }),
  LoadTimeout: (p: { stage: number; stageId: string; seconds: number }) => ({
    what: `Loading your code for stage ${p.stage} (${p.stageId}) took longer than ${p.seconds} s, so the run was stopped.`,
    fix: `Look for code that runs forever at the top level of your file (outside any function), such as an endless loop.`,
  }),
  RunTimeout: (p: { seconds: number; where: string }) => ({
    what: `Grading took longer than ${p.seconds} s in total (${p.where}), so it was stopped.`,
    fix: `Look for code that never finishes, or grade fewer stages at once with --stage N.`,
  }),
  NotRun: (p: { reason: string }) => ({
    what: `This test did not run: ${p.reason}.`,
    fix: `Fix the problem reported for the earlier test, then grade again.`,
  }),
  UncaughtLearnerError: (p: { error: string }) => ({
    what: `Your code threw an error that nothing caught:\n${p.error}`,
    fix: `Fix its cause, or catch it where it happens; an uncaught error in a handler means that request never gets an answer.`,
  }),
  GradeCrashed: (p: { detail: string }) => ({
    what: `The test runner stopped before it reported any results: ${p.detail}`,
    fix: `If your code calls process.exit() or kills its own process, remove that. Otherwise run \`npm ci\` in the repository and grade again.`,
  }),
  LearnerFileMissing: (p: { file: string; dir: string; lab: string }) => ({
    what: `${p.dir} has no ${p.file}, which the lab "${p.lab}" grades.`,
    fix: `Grade the folder that holds your lab files, or start one with \`hop init ${p.lab} <dir>\`.`,
  }),
  UnsafeLearnerPath: (p: { file: string }) => ({
    what: `The file name "${p.file}" points outside the lab workspace, so it cannot be graded.`,
    fix: `Use a relative name such as "proxy.ts" or "lib/cache.ts", with no ".." and no leading "/".`,
  }),
  WorkspaceNotInstalled: (p: { dir: string }) => ({
    what: `The lab workspace ${p.dir} has no node_modules, so there is no test runner to grade with.`,
    fix: `Run \`npm ci\` in the repository root (it installs ${p.dir} too), or \`npm ci --prefix ${p.dir}\`.`,
  }),
  NoSuchLab: (p: { lab: string; known: string[] }) => ({
    what: `There is no lab called "${p.lab}".`,
    fix: `Use one of: ${p.known.join(', ') || '(no labs yet)'}. \`hop labs\` lists them with their stages.`,
  }),
  StageOutOfRange: (p: { lab: string; stage: number; count: number }) => ({
    what: `The lab "${p.lab}" has stages 1 to ${p.count}, so there is no stage ${p.stage}.`,
    fix: `Pass a stage number from 1 to ${p.count}, or leave --stage out to grade every stage.`,
  }),

  // ── Authoring checks: `hop verify` ───────────────────────────────────────
  LabFileMissing: (p: { file: string; why: string }) => ({
    what: `${p.file} is missing: ${p.why}.`,
    fix: `Create ${p.file}. docs/labs.md describes what each file of a lab holds.`,
  }),
  StrayStageTest: (p: { file: string; expected: string[] }) => ({
    what: `${p.file} matches no stage in lab.json, so it would never run.`,
    fix: `Rename it to one of ${p.expected.join(', ')}, add its stage to lab.json, or move shared code into a non-test helper such as tests/support.ts.`,
  }),
  StarterPassesStage: (p: { dir: string; stage: number; stageId: string }) => ({
    what: `Every test of stage ${p.stage} (${p.stageId}) passes on ${p.dir}/starter/, so a learner would get that stage for free.`,
    fix: `Add a test that the starter fails, or make the starter leave that stage's work undone.`,
  }),
  StarterDoesNotLoad: (p: { dir: string; problem: string }) => ({
    what: `The tests cannot load ${p.dir}/starter/, so a learner's first grade would be an error rather than a list of stages to do: ${p.problem}`,
    fix: `Make the starter valid TypeScript that exports every name the tests import, with the work left undone.`,
  }),
  SolutionFailsStage: (p: { dir: string; lab: string; stage: number; stageId: string; problem: string }) => ({
    what: `Stage ${p.stage} (${p.stageId}) does not pass on ${p.dir}/solution/: ${p.problem}`,
    fix: `Fix the solution or the test: \`hop grade ${p.lab} ${p.dir}/solution --stage ${p.stage}\` shows the failure.`,
  }),

  // ── The hop command line ─────────────────────────────────────────────────
  UsageError: (p: { problem: string; usage: string }) => ({
    what: `${p.problem}.`,
    fix: `Usage: ${p.usage}`,
  }),
  InitTargetNotEmpty: (p: { dir: string }) => ({
    what: `${p.dir} already has files in it, and hop init never overwrites anything.`,
    fix: `Pick a new or empty folder, e.g. \`hop init <lab> my-lab\`.`,
  }),

  // ── The local grading endpoint (npm start) ─────────────────────────────────
  ForeignHost: (p: { host: string; expected: string }) => ({
    what: `A request reached the local grader addressed to "${p.host}", not to ${p.expected}. Only pages served by this machine may run code here (this blocks DNS-rebinding attacks).`,
    fix: `Open the course at http://${p.expected}/ and run the lab from there.`,
  }),
  ForeignOrigin: (p: { origin: string; expected: string }) => ({
    what: `A page from ${p.origin} tried to run code on the local grader, which only accepts requests from http://${p.expected}.`,
    fix: `Open the lab at http://${p.expected}/ instead of embedding or calling it from another site.`,
  }),
  BodyTooLarge: (p: { limitKb: number }) => ({
    what: `The files sent for grading are larger than ${p.limitKb} KB in total.`,
    fix: 'Lab solutions are small: remove large pasted data or generated code from your files and run again.',
  }),
  BadGradeRequest: (p: { problem: string }) => ({
    what: `The grading request was not understood: ${p.problem}.`,
    fix: 'Send JSON like {"lab": "reverse-proxy", "files": {"proxy.ts": "…"}, "uptoStage": 2} with Content-Type: application/json.',
  }),
  GradeReplaced: (p: { lab: string }) => ({
    what: `This run of ${p.lab} was stopped because a newer run of the same lab started.`,
    fix: "Nothing to do: the newer run's result will appear when it finishes.",
  }),

  // ── In-browser runtime (WebContainer) ─────────────────────────────────────
  NotIsolated: () => ({
    what: 'This page is not cross-origin isolated, so the in-browser runtime cannot start: WebContainers need the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers, and this host did not send them.',
    fix: 'Run the course with `npm start` (it sends both headers and grades on your machine), or deploy it with the header files in the README.',
  }),
  BrowserUnsupported: (p: { missing: string }) => ({
    what: `This browser cannot run the in-browser runtime: it lacks ${p.missing}.`,
    fix: 'Use a recent Chromium-based browser, Firefox or Safari, or grade from a terminal with the hop CLI.',
  }),
  BootTimeout: (p: { seconds: number }) => ({
    what: `The in-browser runtime did not start within ${p.seconds} s. It loads from StackBlitz's servers, so it needs an internet connection (and no blocker stopping stackblitz.com).`,
    fix: 'Check your connection and press "Try again", or run the course locally with `npm start`.',
  }),
  BootFailed: (p: { reason: string }) => ({
    what: `The in-browser runtime failed to start: ${p.reason}.`,
    fix: 'Reload the page to try again, or run the course locally with `npm start`.',
  }),
  InstallFailed: (p: { code: number; tail: string }) => ({
    what: `Installing the lab's test tools in the browser failed (npm exited with code ${p.code}). Its last lines:\n${p.tail}`,
    fix: 'Press "Try again" (a dropped connection is the usual cause), or run the course locally with `npm start`.',
  }),

  // ── Progress and search (in the browser) ──────────────────────────────────
  ProgressUnreadable: (p: { problem: string; key: string }) => ({
    what: `Your saved progress could not be read (${p.problem}), so this browser starts your progress afresh. Nothing was deleted: the old data is kept in this browser's storage as "${p.key}".`,
    fix: 'If you exported your progress before, import that file on the Progress page. Otherwise dismiss this notice; lessons you read again are marked as you go.',
  }),
  ProgressUnreadableKept: (p: { problem: string; key: string }) => ({
    what: `Your saved progress could not be read (${p.problem}), and this browser's storage is too full to copy it aside, so it was left untouched under "${p.key}" and new progress is not being saved.`,
    fix: "Free some space for this site in your browser's settings, or export what you can and reset progress on the Progress page.",
  }),
  ProgressNotKept: () => ({
    what: 'This browser does not let the course keep your progress (storage is turned off, as in some private windows), so it is forgotten when you close the tab.',
    fix: 'Open the course in a normal window to keep your progress, or export it on the Progress page before you leave.',
  }),
  ProgressSaveFailed: (p: { full: boolean }) => ({
    what: p.full
      ? "Your latest progress could not be saved: this browser's storage for the course is full."
      : 'Your latest progress could not be saved in this browser.',
    fix: 'Export your progress on the Progress page to keep it, then free some space for this site in your browser settings.',
  }),
  InvalidProgressFile: (p: { file: string; problems: string[] }) => ({
    what: `"${p.file}" is not a progress file this course can import, so nothing was changed.`,
    details: p.problems,
    fix: 'Choose a file saved with "Export progress" (its name starts with hop-by-hop-progress). If you edited it by hand, correct the field(s) above.',
  }),
  SearchIndexFailed: (p: { problems: string[] }) => ({
    what: 'The search index could not be built, so search would find nothing on the built site.',
    details: p.problems,
    fix: 'Run `npm ci` (it installs Pagefind and its binary for this computer), then build again. If a page is named above, check that its HTML is well formed.',
  }),
} satisfies Record<string, (params: never) => ErrorParts>;

export type ErrorName = keyof typeof catalogue;
type ParamsOf<N extends ErrorName> = Parameters<(typeof catalogue)[N]>[0];

/** An error from the catalogue. `name` is the permanent name; the message is ready to print. */
export class HopError extends Error {
  readonly code: ErrorName;
  readonly parts: ErrorParts;
  constructor(code: ErrorName, parts: ErrorParts) {
    super(formatParts(code, parts));
    this.name = 'HopError';
    this.code = code;
    this.parts = parts;
  }
}

export function formatParts(code: ErrorName, parts: ErrorParts): string {
  const lines = [`[${code}] ${parts.what}`];
  for (const d of parts.details ?? []) lines.push(`  • ${d}`);
  lines.push(`Fix: ${parts.fix}`);
  return lines.join('\n');
}

/** Builds the catalogue error `code` with its parameters. */
export function hopError<N extends ErrorName>(code: N, params: ParamsOf<N>): HopError {
  const make = catalogue[code] as (p: ParamsOf<N>) => ErrorParts;
  return new HopError(code, make(params));
}
