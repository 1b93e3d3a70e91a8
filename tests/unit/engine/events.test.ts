import { describe, expect, test } from 'vitest';
import { EventSplitter, MARKER, RunState } from '../../../src/engine/events.ts';

const line = (event: object) => `${MARKER}${JSON.stringify(event)}\n`;

describe('EventSplitter', () => {
  test('separates events from text a learner wrote without a newline', () => {
    const pieces = new EventSplitter().push(`half a line${line({ t: 'done', unhandled: [] })}`);
    expect(pieces).toEqual([{ text: 'half a line' }, { event: { t: 'done', unhandled: [] } }]);
  });

  test('reassembles an event split across chunks', () => {
    const splitter = new EventSplitter();
    const whole = line({ t: 'module-end', file: 'tests/01-a.test.ts', errors: [] });
    expect(splitter.push(whole.slice(0, 10))).toEqual([]);
    expect(splitter.push(whole.slice(10))).toEqual([{ event: { t: 'module-end', file: 'tests/01-a.test.ts', errors: [] } }]);
  });

  test('passes plain text through as soon as it arrives', () => {
    expect(new EventSplitter().push('server listening')).toEqual([{ text: 'server listening' }]);
  });
});

describe('RunState', () => {
  const a = { id: 'f_0', file: 'tests/01-a.test.ts', name: 'first' };
  const b = { id: 'f_1', file: 'tests/01-a.test.ts', name: 'second' };

  test('knows which test runs now from the tests that have ended', () => {
    const state = new RunState();
    state.apply({ t: 'collected', id: 'f', file: a.file, tests: [a, b] }, 1);
    expect(state.running()).toEqual(a);
    state.apply({ t: 'end', ...a, state: 'passed', errors: [], ms: 3 }, 2);
    expect(state.running()).toEqual(b);
  });

  test('does not count console output as progress, so a test that loops while printing still times out', () => {
    const state = new RunState();
    state.apply({ t: 'collected', id: 'f', file: a.file, tests: [a] }, 1);
    state.apply({ t: 'log', id: a.id, stream: 'stdout', content: 'spinning\n' }, 99);
    expect(state.lastProgress).toBe(1);
    expect(state.outputByTest()).toEqual({ '01-a.test.ts::first': 'spinning\n' });
  });

  test('keeps output that arrives before its test is announced', () => {
    const state = new RunState();
    state.apply({ t: 'log', id: 'f', stream: 'stdout', content: 'loading\n' }, 1);
    state.apply({ t: 'collected', id: 'f', file: a.file, tests: [a] }, 2);
    expect(state.outputByTest()).toEqual({ '01-a.test.ts::first': 'loading\n' });
  });
});
