import { describe, expect, test, vi } from 'vitest';
import { createStore, watch } from '../../../src/workbench/store.ts';

describe('store', () => {
  test('set merges a patch into a new object and notifies with the previous state', () => {
    const store = createStore({ a: 1, b: 'x' });
    const first = store.get();
    const seen: Array<[number, number]> = [];
    store.subscribe((s, prev) => seen.push([s.a, prev.a]));
    store.set({ a: 2 });
    expect(store.get()).toEqual({ a: 2, b: 'x' });
    expect(store.get()).not.toBe(first);
    expect(first).toEqual({ a: 1, b: 'x' });
    expect(seen).toEqual([[2, 1]]);
  });

  test('a function patch sees the current state', () => {
    const store = createStore({ n: 1 });
    store.set((s) => ({ n: s.n + 1 }));
    store.set((s) => ({ n: s.n * 10 }));
    expect(store.get().n).toBe(20);
  });

  test('a patch that changes nothing notifies nobody', () => {
    const store = createStore({ n: 1, list: [1] });
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ n: 1, list: store.get().list });
    expect(listener).not.toHaveBeenCalled();
  });

  test('unsubscribe stops notifications, even from inside a notification', () => {
    const store = createStore({ n: 0 });
    const calls: string[] = [];
    const off = store.subscribe(() => {
      calls.push('a');
      off();
    });
    store.subscribe(() => calls.push('b'));
    store.set({ n: 1 });
    store.set({ n: 2 });
    expect(calls).toEqual(['a', 'b', 'b']);
  });

  test('watch renders now and then only when its slice changes', () => {
    const store = createStore({ files: { a: '1' }, running: false });
    const renders: unknown[] = [];
    watch(store, (s) => s.running, (v, prev) => renders.push([v, prev]));
    store.set({ files: { a: '2' } });
    store.set({ running: true });
    expect(renders).toEqual([[false, undefined], [true, false]]);
  });
});

test('watch on a tuple of slices compares each member', () => {
  const store = createStore({ a: [1], b: 'x', c: 0 });
  let renders = 0;
  watch(store, (s) => [s.a, s.b] as const, () => renders++);
  store.set({ c: 1 });
  store.set({ b: 'y' });
  expect(renders).toBe(2);
});
