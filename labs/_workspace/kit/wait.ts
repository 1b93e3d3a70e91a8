// Waiting for something a test cannot get an event for directly (a request reaching a backend,
// a counter moving). It polls briefly, and on time-out fails with a sentence instead of a bare
// "Test timed out in 5000ms", so the learner sees what never happened.

/** Resolves when `condition()` is truthy; rejects with `message` after `timeoutMs`. */
export async function waitFor<T>(condition: () => T | Promise<T>, message: string, timeoutMs = 2_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${message} (waited ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with the first emission of `event`; rejects with `message` after `timeoutMs`. */
export function nextEvent<T = unknown>(
  emitter: { once(event: string, fn: (value: T) => void): unknown; off(event: string, fn: (value: T) => void): unknown },
  event: string,
  message: string,
  timeoutMs = 2_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`${message} (no '${event}' within ${timeoutMs} ms)`));
    }, timeoutMs);
    emitter.once(event, onEvent);
  });
}
