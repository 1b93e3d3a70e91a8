import { afterEach } from 'vitest';

// Everything a test starts, it stops: helpers register a closer here and every test's afterEach
// runs them, newest first, even when the test failed half-way.
const closers: Array<() => Promise<void> | void> = [];

export function onCleanup(close: () => Promise<void> | void): void {
  closers.push(close);
}

afterEach(async () => {
  const errors: unknown[] = [];
  while (closers.length > 0) {
    const close = closers.pop()!;
    try {
      await close();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
});
