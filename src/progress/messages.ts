/** The catalogue's words for progress notices, ready for the page (kept apart so only pages that show one load the catalogue). */
import { hopError, type ErrorParts } from '../errors/catalogue.ts';
import type { ProgressNotice, SaveFailure } from './store.ts';

export function noticeParts(notice: ProgressNotice | SaveFailure): ErrorParts {
  switch (notice.code) {
    case 'ProgressUnreadable':
      return hopError('ProgressUnreadable', { key: notice.key, problem: notice.problem }).parts;
    case 'ProgressUnreadableKept':
      return hopError('ProgressUnreadableKept', { key: notice.key, problem: notice.problem }).parts;
    case 'ProgressNotKept':
      return hopError('ProgressNotKept', undefined).parts;
    case 'ProgressSaveFailed':
      return hopError('ProgressSaveFailed', { full: notice.full }).parts;
  }
}

/** Fills `el` with what happened, any specifics as a list, and what to do — as text, never HTML. */
export function renderParts(el: HTMLElement, parts: ErrorParts): void {
  const what = document.createElement('p');
  what.textContent = parts.what;
  el.replaceChildren(what);
  if (parts.details?.length) {
    const list = document.createElement('ul');
    for (const d of parts.details) {
      const li = document.createElement('li');
      li.textContent = d;
      list.append(li);
    }
    el.append(list);
  }
  const fix = document.createElement('p');
  fix.textContent = parts.fix;
  el.append(fix);
}
