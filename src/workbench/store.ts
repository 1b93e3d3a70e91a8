/**
 * A tiny store: one state object, replaced (never mutated) on every change, and listeners that
 * get the new and the previous state. UI pieces render from it and compare the slice they show,
 * so a keystroke in the editor does not re-render the results panel.
 */
export type Listener<S> = (state: S, prev: S) => void;

export interface Store<S> {
  get(): S;
  /** Merges a patch (or the patch a function returns) into a new state object and notifies. */
  set(patch: Partial<S> | ((state: S) => Partial<S>)): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener<S>): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<Listener<S>>();
  return {
    get: () => state,
    set(patch) {
      const prev = state;
      const next = typeof patch === 'function' ? patch(prev) : patch;
      if (Object.keys(next).every((k) => Object.is(next[k as keyof S], prev[k as keyof S]))) return;
      state = { ...prev, ...next };
      // Copy first: a listener may unsubscribe (or subscribe another) while we notify.
      for (const listener of [...listeners]) listener(state, prev);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Same by identity; a tuple of slices is the same when each member is. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Calls `render` with a slice of the state now and whenever that slice changes. Return a tuple
 * to watch several slices: it re-renders when any member changes identity.
 */
export function watch<S extends object, T>(store: Store<S>, select: (s: S) => T, render: (value: T, prev: T | undefined) => void): () => void {
  let current = select(store.get());
  render(current, undefined);
  return store.subscribe((s) => {
    const next = select(s);
    if (same(next, current)) return;
    const prev = current;
    current = next;
    render(next, prev);
  });
}
