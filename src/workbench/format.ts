/** Words for statuses, shared by the results panel and announcements. */
import type { RuntimeKind } from '../runtime/types.ts';
import type { StageResult } from './storage.ts';

export type StageStatus = StageResult['status'] | 'not-run' | 'running' | 'queued';

export const STATUS_ICON: Record<StageStatus, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  skipped: '–',
  'not-run': '○',
  running: '◌',
  queued: '◌',
};

export function statusText(status: StageStatus, result?: StageResult): string {
  const counts = result && result.total > 0 ? ` · ${result.passed} of ${result.total} tests pass` : '';
  switch (status) {
    case 'pass':
      return `Passed${counts}`;
    case 'fail':
      return `Failed${counts}`;
    case 'error':
      return 'Could not run';
    case 'skipped':
      return 'Skipped';
    case 'running':
      return 'Running…';
    case 'queued':
      return 'Waiting…';
    default:
      return 'Not run yet';
  }
}

export function runtimeName(kind: RuntimeKind): string {
  return kind === 'local' ? 'this computer' : 'the browser';
}

export function when(at: number, now = Date.now()): string {
  const d = new Date(at);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
