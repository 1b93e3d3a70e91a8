import { describe, expect, test } from 'vitest';
import { appendCapped } from '../../../src/workbench/output-log.ts';
import { shortTestName } from '../../../src/workbench/results-view.ts';

describe('output log cap', () => {
  test('under the cap, text is appended as is', () => {
    expect(appendCapped('a\n', 'b\n', 100)).toBe('a\nb\n');
  });

  test('over the cap, the oldest lines go and the log says so, once', () => {
    let log = '';
    for (let i = 0; i < 200; i++) log = appendCapped(log, `line ${i}\n`, 300);
    expect(log.length).toBeLessThanOrEqual(300);
    expect(log.startsWith('… earlier output trimmed …\nline ')).toBe(true);
    expect(log.match(/earlier output trimmed/g)).toHaveLength(1);
    expect(log.endsWith('line 199\n')).toBe(true);
  });
});

test('test names drop the stage prefix the stage heading already shows', () => {
  expect(shortTestName('stage 1: forward a request › forwards GET')).toBe('forwards GET');
  expect(shortTestName('routes by host')).toBe('routes by host');
});
