/**
 * Progress on the pages (browser code, loaded lazily by src/components/site/ProgressBoot.astro on
 * pages that show progress). The server-rendered pages are complete without it; this only fills
 * in elements that carry data attributes:
 *
 *   [data-progress-lesson="<slug>"]   a lesson's status: ✓ read, n/m questions, lab stages
 *        data-progress-style="card|compact", optional data-lab="<lab>" data-lab-stages="<n>", data-title
 *   [data-progress-summary]           the course totals (data-total-lessons, data-total-stages)
 *   [data-progress-continue]          a link to the first lesson not read yet
 *   [data-progress-lab="<lab>"]       a lab's stages (data-lab-stages; children [data-stage="<n>"])
 *   [data-progress-ui="lesson"]       the lesson page's "Mark as read" and the tracking of its checks
 *   [data-progress-ui="page"]         the /progress/ page's export, import and reset
 *   [data-progress-notice]            where notices about saved progress appear
 */
import type { CheckAnsweredDetail } from '../components/lesson/knowledge-check-schema.ts';
import type { Progress } from '../schemas/progress.ts';
import {
  activeNotices,
  dismissNotices,
  labStagesPassed,
  lessonStatus,
  loadProgress,
  markRead,
  markUnread,
  noteCheckTotals,
  PROGRESS_KEY,
  recordAnswer,
  updateProgress,
  type ProgressNotice,
  type SaveFailure,
  type StorageLike,
} from './store.ts';

/** Fired on `document` after this page changed the learner's progress. */
export const PROGRESS_EVENT = 'hop:progress';

export function browserStorage(): StorageLike {
  try {
    const s = window.localStorage;
    if (s) return s;
  } catch {
    /* fall through */
  }
  const blocked = () => {
    throw new Error('storage blocked');
  };
  return { getItem: blocked, setItem: blocked, removeItem: blocked };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function span(className: string, text: string, hiddenFromAt = false): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  if (hiddenFromAt) s.setAttribute('aria-hidden', 'true');
  return s;
}

function renderLesson(el: HTMLElement, progress: Progress, storage: StorageLike): void {
  const slug = el.dataset.progressLesson!;
  const status = lessonStatus(progress, slug);
  const lab = el.dataset.lab;
  const stages = Number(el.dataset.labStages ?? 0);
  const passed = lab && stages > 0 ? labStagesPassed(storage, lab).filter((n) => n <= stages).length : 0;

  const long: string[] = [];
  const short: string[] = [];
  if (status.read) {
    long.push('Read');
    short.push('✓');
  }
  if (status.answered > 0) {
    long.push(
      status.total !== undefined
        ? `${status.answered} of ${plural(status.total, 'question')} answered`
        : `${plural(status.answered, 'question')} answered`,
    );
    short.push(status.total !== undefined ? `${status.answered}/${status.total}` : `${status.answered}`);
  }
  if (passed > 0) {
    long.push(`lab: ${passed} of ${plural(stages, 'stage')} passed`);
    short.push(`lab ${passed}/${stages}`);
  }
  el.dataset.read = String(status.read);
  if (long.length === 0) {
    el.replaceChildren();
    el.hidden = true;
    return;
  }
  if (el.dataset.progressStyle === 'compact') {
    const compact = `${status.read ? '✓ ' : ''}${short.filter((s) => s !== '✓').join(' · ')}`.trim();
    el.replaceChildren(span('short', compact, true), span('visually-hidden', `${long.join(', ')}.`));
  } else {
    const text = long.join(' · ').replace(/^lab:/, 'Lab:');
    el.replaceChildren(...(status.read ? [span('tick', '✓ ', true)] : []), span('text', text));
  }
  el.hidden = false;
}

function renderSummary(el: HTMLElement, progress: Progress, storage: StorageLike): void {
  const slugs = Object.keys(progress.lessons);
  const read = slugs.filter((s) => lessonStatus(progress, s).read).length;
  const answered = slugs.reduce((n, s) => n + lessonStatus(progress, s).answered, 0);
  const correct = slugs.reduce((n, s) => n + lessonStatus(progress, s).correct, 0);
  const labs = [...document.querySelectorAll<HTMLElement>('[data-lab][data-lab-stages], [data-progress-lab]')];
  const labStages = new Map<string, number>();
  for (const l of labs) {
    const slug = l.dataset.lab ?? l.dataset.progressLab;
    if (slug) labStages.set(slug, Number(l.dataset.labStages ?? 0));
  }
  let stagesPassed = 0;
  for (const [lab, total] of labStages) stagesPassed += labStagesPassed(storage, lab).filter((n) => n <= total).length;
  const totalLessons = Number(el.dataset.totalLessons ?? 0);
  const anything = read + answered + stagesPassed > 0;
  const text = el.querySelector<HTMLElement>('[data-summary-text]') ?? el;
  text.textContent = anything
    ? `You have read ${read} of ${plural(totalLessons, 'lesson')}, answered ${plural(answered, 'knowledge-check question')}${answered > 0 ? ` (${correct} right)` : ''} and passed ${plural(stagesPassed, 'lab stage')}.`
    : 'Nothing yet: lessons you read, questions you answer and lab stages you pass show up here.';
  if (el.dataset.progressSummary === 'if-any') el.hidden = !anything;
  else el.hidden = false;

  const next = document.querySelector<HTMLAnchorElement>('[data-progress-continue]');
  if (next) {
    const cards = [...document.querySelectorAll<HTMLElement>('[data-progress-lesson][data-title]')];
    const unread = cards.find((c) => !lessonStatus(progress, c.dataset.progressLesson!).read);
    if (anything && unread) {
      next.href = `/lessons/${unread.dataset.progressLesson}/`;
      next.textContent = `Continue with “${unread.dataset.title}” →`;
      next.hidden = false;
    } else next.hidden = true;
  }
}

function renderLab(el: HTMLElement, storage: StorageLike): void {
  const lab = el.dataset.progressLab!;
  const total = Number(el.dataset.labStages ?? 0);
  const passed = new Set(labStagesPassed(storage, lab).filter((n) => n <= total));
  for (const stage of el.querySelectorAll<HTMLElement>('[data-stage]')) {
    const done = passed.has(Number(stage.dataset.stage));
    stage.dataset.passed = String(done);
    const mark = stage.querySelector<HTMLElement>('[data-stage-mark]');
    if (mark) mark.textContent = done ? 'passed' : 'not passed yet';
  }
  const status = el.querySelector<HTMLElement>('[data-lab-status]');
  if (status) status.textContent = `${passed.size} of ${plural(total, 'stage')} passed`;
}

export type PageState = {
  storage: StorageLike;
  /** The learner's progress as this page knows it (from storage, or in memory when saving is off). */
  current: () => Progress;
  /** Applies a change, saves it, re-renders the page and tells other scripts. */
  update: (change: (p: Progress) => Progress) => Progress;
  render: () => void;
};

export async function start(queued: CheckAnsweredDetail[]): Promise<void> {
  const storage = browserStorage();
  let loaded = loadProgress(storage);
  let memory: Progress | undefined; // used instead of storage when saving is off
  let saveFailure: SaveFailure | null = null;

  const render = () => {
    const progress = memory ?? loaded.progress;
    for (const el of document.querySelectorAll<HTMLElement>('[data-progress-lesson]')) renderLesson(el, progress, storage);
    for (const el of document.querySelectorAll<HTMLElement>('[data-progress-summary]')) renderSummary(el, progress, storage);
    for (const el of document.querySelectorAll<HTMLElement>('[data-progress-lab]')) renderLab(el, storage);
    void showNotices([...activeNotices(loaded), ...(saveFailure ? [saveFailure] : [])]);
  };

  const update = (change: (p: Progress) => Progress): Progress => {
    if (!loaded.canSave) {
      memory = change(memory ?? loaded.progress);
    } else {
      const result = updateProgress(storage, change);
      saveFailure = result.saveFailure;
      loaded = result;
      if (saveFailure) memory = result.progress;
    }
    render();
    document.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
    return memory ?? loaded.progress;
  };

  const state: PageState = { storage, current: () => memory ?? loaded.progress, update, render };

  // Another tab read a lesson or ran a lab: show it here too.
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key === PROGRESS_KEY || event.key.startsWith('hop:lab:')) {
      loaded = loadProgress(storage);
      if (loaded.canSave) memory = undefined;
      render();
    }
  });
  document.addEventListener('click', (event) => {
    const dismiss = (event.target as Element | null)?.closest?.('[data-progress-dismiss]');
    if (dismiss) update(dismissNotices);
  });

  const lesson = document.querySelector<HTMLElement>('[data-progress-ui="lesson"]');
  if (lesson) startLesson(lesson, state, queued);
  render();

  const page = document.querySelector<HTMLElement>('[data-progress-ui="page"]');
  if (page) (await import('./progress-page.ts')).startProgressPage(page, state);
}

let shownNotices = '[]';

async function showNotices(notices: (ProgressNotice | SaveFailure)[]): Promise<void> {
  const box = document.querySelector<HTMLElement>('[data-progress-notice]');
  if (!box) return;
  // The box is a live region: rewrite it only when what it says changes, or it is read out again.
  const key = JSON.stringify(notices);
  if (key === shownNotices) return;
  shownNotices = key;
  if (notices.length === 0) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const { noticeParts, renderParts } = await import('./messages.ts');
  box.replaceChildren();
  for (const notice of notices) {
    const item = document.createElement('div');
    item.className = 'notice-item';
    renderParts(item, noticeParts(notice));
    box.append(item);
  }
  const actions = document.createElement('p');
  actions.className = 'notice-actions';
  if (!location.pathname.startsWith('/progress/')) {
    const link = document.createElement('a');
    link.href = '/progress/';
    link.textContent = 'Open the Progress page';
    actions.append(link);
  }
  if (notices.some((n) => n.code === 'ProgressUnreadable')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.progressDismiss = '';
    button.textContent = 'Dismiss';
    actions.append(button);
  }
  if (actions.childElementCount > 0) box.append(actions);
  box.hidden = false;
}

// ── The lesson page ────────────────────────────────────────────────────────────────────────────

function startLesson(el: HTMLElement, state: PageState, queued: CheckAnsweredDetail[]): void {
  const slug = el.dataset.lesson!;
  const button = el.querySelector<HTMLButtonElement>('[data-mark-read]')!;
  const text = el.querySelector<HTMLElement>('[data-read-text]')!;
  const live = el.querySelector<HTMLElement>('[data-read-live]');
  // Once the learner marks a lesson unread here, reaching the end does not mark it again.
  let optedOut = false;

  const show = (progress: Progress) => {
    const read = lessonStatus(progress, slug).read;
    el.dataset.read = String(read);
    text.textContent = read ? '✓ You have read this lesson.' : 'Reached the end? This lesson is marked as read when you get here.';
    button.textContent = read ? 'Mark as unread' : 'Mark as read';
    button.dataset.action = read ? 'unread' : 'read';
  };
  const announce = (message: string) => {
    if (live) live.textContent = message;
  };

  // How many questions each check has, so the home page and sidebar can say "n/m".
  const totals: Record<string, number> = {};
  for (const check of document.querySelectorAll<HTMLElement>('[data-knowledge-check]')) {
    const id = check.dataset.knowledgeCheck;
    if (id) totals[id] = check.querySelectorAll('[data-question]').length;
  }
  const record = (d: CheckAnsweredDetail) =>
    state.update((p) => recordAnswer(p, { lesson: slug, check: d.id, question: d.question, option: d.option, correct: d.correct }));
  state.update((p) => queued.reduce((acc, d) => recordAnswer(acc, { lesson: slug, check: d.id, question: d.question, option: d.option, correct: d.correct }), noteCheckTotals(p, slug, totals)));
  document.addEventListener('hop:check-answered', (event) => record((event as CustomEvent<CheckAnsweredDetail>).detail));

  // The button does what it says, even if reaching the end marked the lesson a moment before.
  button.addEventListener('click', () => {
    const unread = button.dataset.action === 'unread';
    if (unread) optedOut = true;
    const progress = state.update((p) => (unread ? markUnread(p, slug) : markRead(p, slug)));
    show(progress);
    announce(unread ? 'Marked as unread.' : 'Marked as read.');
  });
  document.addEventListener(PROGRESS_EVENT, () => show(state.current()));

  // Reaching the end of the lesson (this element sits just before the pager) marks it read,
  // once the learner has scrolled: a lesson never scrolled through is not "read".
  if ('IntersectionObserver' in window) {
    let seen = 0;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting) || window.scrollY < 1) return;
      el.dataset.endReached = String(++seen); // how many times the learner got here (tests wait on it)
      if (optedOut) return;
      if (lessonStatus(state.current(), slug).read) return;
      show(state.update((p) => markRead(p, slug)));
      announce('You reached the end: marked as read.');
    });
    observer.observe(el);
  }
  show(state.current());
  el.hidden = false;
}
