/**
 * The output panel: a plain streaming log of what the runtime prints (and install progress).
 * Capped, because a learner's `while (true) console.log(...)` can print megabytes before the
 * watchdog stops it; the oldest text goes first and the panel says so. Writes to the DOM once
 * per animation frame however many chunks arrive.
 */
export const OUTPUT_CAP = 100_000;
const TRIMMED = '… earlier output trimmed …\n';

export type OutputLog = { append(text: string): void; clear(): void; text(): string };

/** Appends text to a capped buffer; pure so it can be unit tested. */
export function appendCapped(buffer: string, text: string, cap = OUTPUT_CAP): string {
  let next = buffer + text;
  if (next.length <= cap) return next;
  if (next.startsWith(TRIMMED)) next = next.slice(TRIMMED.length);
  let body = next.slice(next.length - (cap - TRIMMED.length));
  // Start at a line boundary (when one is near) so the first visible line is whole.
  const nl = body.indexOf('\n');
  if (nl >= 0 && nl < 200) body = body.slice(nl + 1);
  return TRIMMED + body;
}

export function createOutputLog(pre: HTMLElement): OutputLog {
  let buffer = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    // Follow the end only if the reader is already there; never yank them away from what they read.
    const atEnd = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    pre.textContent = buffer;
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  };
  return {
    append(text) {
      buffer = appendCapped(buffer, text);
      schedule();
    },
    clear() {
      buffer = '';
      schedule();
    },
    text: () => buffer,
  };
}
