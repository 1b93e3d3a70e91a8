import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** A response kept by the cache. */
export interface Stored {
  status: number;
  /** End-to-end headers, as sent to the client that caused the store. */
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** When it was stored or last revalidated, on the cache's clock. */
  storedAt: number;
}

/**
 * A shared cache that prefers asking to guessing. A stored copy is served without contacting the
 * origin only while its max-age lasts; after that (or at once, with no max-age or with no-cache)
 * the origin is asked "has it changed?" with the copy's validators, and a 304 lets us reuse it.
 * (No heuristic freshness from Last-Modified, which RFC 9111 would allow: we never guess.)
 */
export class ResponseCache {
  readonly #entries = new Map<string, Stored>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Worth keeping? Only a 200 that the origin allows a shared cache to keep, that sets no cookie (one
   * user's session must never be served to the next), and that we can reuse: while its max-age
   * lasts, or later by revalidating it with a validator.
   */
  static storable(status: number, headers: IncomingHttpHeaders): boolean {
    if (status !== 200 || headers['set-cookie']) return false;
    const directives = cacheControl(headers['cache-control']);
    if (directives.has('no-store') || directives.has('private')) return false;
    return Boolean(headers.etag || headers['last-modified']) || maxAgeMs(directives) > 0;
  }

  /** The conditional headers that ask the origin "send it only if it changed since this copy". */
  static validators(stored: Stored): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = {};
    // Sent back byte for byte: an ETag is opaque (quotes and W/ included), and so is the date.
    if (stored.headers.etag) out['if-none-match'] = String(stored.headers.etag);
    if (stored.headers['last-modified']) out['if-modified-since'] = String(stored.headers['last-modified']);
    return out;
  }

  /** Replays a stored response: always a 200 to the client, with X-Cache saying how it was served. */
  static serve(res: ServerResponse, stored: Stored, how: 'HIT' | 'REVALIDATED'): void {
    res.writeHead(200, { ...stored.headers, 'content-length': stored.body.length, 'x-cache': how });
    res.end(stored.body);
  }

  get(key: string): Stored | undefined {
    return this.#entries.get(key);
  }

  set(key: string, status: number, headers: OutgoingHttpHeaders, body: Buffer): void {
    const { 'x-cache': _served, ...kept } = headers; // how one answer was served is not part of the resource
    this.#entries.set(key, { status, headers: kept, body, storedAt: this.#now() });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Still within max-age, so it may be served without asking the origin. */
  isFresh(stored: Stored): boolean {
    const directives = cacheControl(stored.headers['cache-control']);
    if (directives.has('no-cache')) return false; // "you may keep it, but ask me every time"
    return this.#now() - stored.storedAt < maxAgeMs(directives);
  }

  /**
   * The origin answered 304: the copy is still right. A 304 carries the resource's current metadata
   * (Cache-Control, ETag, …), so it replaces what we kept, and freshness counts from now
   * (RFC 9111 §4.3.4). The body and its length stay ours.
   */
  refresh(stored: Stored, headers: OutgoingHttpHeaders): void {
    const { 'content-length': _length, ...updated } = headers;
    Object.assign(stored.headers, updated);
    stored.storedAt = this.#now();
  }
}

/** Cache-Control max-age in milliseconds; 0 when absent or not a positive whole number. */
function maxAgeMs(directives: Map<string, string>): number {
  const seconds = Number(directives.get('max-age'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** "public, Max-Age=60" → Map { "public" → "", "max-age" → "60" }. */
function cacheControl(value: string | number | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(value ?? '').split(',')) {
    const [name, arg = ''] = part.trim().split('=');
    if (name) out.set(name.toLowerCase(), arg.replace(/^"|"$/g, ''));
  }
  return out;
}
