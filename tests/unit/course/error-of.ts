/** The message of the error `fn` throws, so a test can pin it with an inline snapshot. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
