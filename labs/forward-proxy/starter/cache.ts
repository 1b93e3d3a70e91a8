// Stage 5 — revalidation. A place for the cache, so proxy.ts stays about forwarding. Nothing here is
// imported by the tests: shape it however you like, or delete it and keep everything in proxy.ts.
//
// What to build (the brief has the details):
// - store the body and headers of a GET 200 that carries ETag and/or Last-Modified, keyed by the full
//   URL; never when Cache-Control says no-store or private, when it sets a cookie, or when the request
//   carried Authorization;
// - while Cache-Control max-age lasts (on config.now), answer repeats from the store: X-Cache: HIT;
// - after that, ask the origin with If-None-Match: <etag> and/or If-Modified-Since: <last-modified>.
//   A 304 means the copy is still good: send it as a 200 with X-Cache: REVALIDATED, take the 304's
//   headers into the stored copy and start its max-age again. A 200 replaces the copy: X-Cache: MISS.

/** A response kept by the cache. */
export interface Stored {
  status: number;
  headers: Record<string, string | string[] | number>;
  body: Buffer;
  /** When it was stored or last revalidated, on config.now's clock. */
  storedAt: number;
}

/** TODO stage 5: a Map from full URL to Stored, plus the rules above. */
export class ResponseCache {}
