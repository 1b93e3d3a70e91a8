// Failure messages teach: what was sent, what was expected, what came back. Tests build them with
// these helpers and pass them as the message argument of `expect(value, message)`.

/** One request line plus headers, as a learner would see it in `curl -v`. */
export function showRequest(method: string, target: string, headers: Record<string, unknown> = {}): string {
  const lines = [`${method} ${target} HTTP/1.1`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return lines.join('\n    ');
}

/** A byte count in a friendly unit. */
export function showBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Short, printable preview of a body. */
export function preview(body: Buffer | string, max = 80): string {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
  // Count the bytes that were sent, not the UTF-8 re-encoding of a decoded binary body.
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return `${shown} (${showBytes(size)})`;
}

/** The three-part message: "Sent …\n  Expected …\n  Received …". */
export function exchange(parts: { sent: string; expected: string; received: string }): string {
  return `\n  Sent:     ${parts.sent}\n  Expected: ${parts.expected}\n  Received: ${parts.received}\n`;
}
