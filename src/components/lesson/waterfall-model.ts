/**
 * The timing model behind <HttpWaterfall>: one page (an HTML document, then the assets it
 * references) fetched over HTTP/1.0, HTTP/1.1 and HTTP/2 at a given round-trip time.
 *
 * Shared by the component's build-time render and its browser script, so it has no imports.
 * It counts what dominates page loads on real networks: round trips and server time.
 *
 *   - Opening a connection costs one round trip for TCP, plus one for TLS 1.3 when `tls` is on.
 *   - A request costs one round trip (request out, first byte back) plus the server's time.
 *   - The assets are discovered when the HTML has arrived, all at once, in document order.
 *   - HTTP/1.0: a new connection for every request, at most `maxConnections` at a time.
 *   - HTTP/1.1: persistent connections, one request at a time on each (browsers never enabled
 *     pipelining), at most `maxConnections` per host. A queued request takes an idle connection,
 *     else opens a new one while under the limit, else waits for the first one to come free.
 *   - HTTP/1.1 with pipelining (specified, but never switched on by default in browsers): the
 *     same connections, each asset sent at once on connection (n mod max), and each connection's
 *     responses delivered strictly in request order, so a ready response waits behind a slow one.
 *   - HTTP/2: one connection; every asset goes out at once as its own stream.
 *
 * Left out on purpose: bandwidth, TCP slow start and packet loss. Leaving out bandwidth flatters
 * HTTP/2 a little (its streams share one connection); leaving out loss hides its weak spot (one
 * lost packet stalls every stream on the connection until it is retransmitted).
 */

export const VERSIONS = ['http1.0', 'http1.1', 'http1.1-pipelined', 'http2'] as const;
export type HttpVersion = (typeof VERSIONS)[number];

export const VERSION_LABELS: Record<HttpVersion, string> = {
  'http1.0': 'HTTP/1.0',
  'http1.1': 'HTTP/1.1',
  'http1.1-pipelined': 'HTTP/1.1 + pipelining',
  http2: 'HTTP/2',
};

export type PageResource = {
  /** Shown on the row, e.g. "app.js". The first resource is the HTML document. */
  name: string;
  /** Time the server spends producing this response, in milliseconds. */
  serverMs: number;
  /** This asset becomes the slow response when the slow toggle is on. */
  slow?: boolean;
};

export type WaterfallOptions = {
  version: HttpVersion;
  rttMs: number;
  resources: PageResource[];
  /** true: every new connection also pays a TLS 1.3 handshake (one more round trip). */
  tls?: boolean;
  /** true: the resource marked `slow` takes `slowMs` longer on the server. */
  slowOn?: boolean;
  slowMs?: number;
  /** Browsers allow 6 connections per host for HTTP/1.x. */
  maxConnections?: number;
};

export type WaterfallBar = {
  index: number;
  name: string;
  /** 1-based number of the connection that carried the request, in the order they were opened. */
  connection: number;
  /** This request opened its connection (and paid the handshake). */
  opened: boolean;
  /** This request got the extra slow-response delay. */
  slow: boolean;
  /** When the browser knew it needed the resource (0 for the HTML, else when the HTML arrived). */
  queuedAt: number;
  /** When it got a connection: the handshake starts here if `opened`. */
  startAt: number;
  /** When the request was sent: after the handshake, if any. */
  sentAt: number;
  /** When the response would have arrived on its own; earlier than doneAt only when pipelining
   * made it wait behind an earlier response on the same connection. */
  readyAt: number;
  /** When the last byte of the response arrived. */
  doneAt: number;
};

export type Waterfall = {
  version: HttpVersion;
  rttMs: number;
  /** Milliseconds one new connection costs before the first request can go: TCP, plus TLS. */
  setupMs: number;
  bars: WaterfallBar[];
  /** Connections opened in total (HTTP/1.0: one per request). */
  connections: number;
  /** The most connections open at the same moment. */
  peakConnections: number;
  /** When the last response arrived: the page's load time in this model. */
  totalMs: number;
  /** When the last response other than the slow one arrived (equals totalMs when none is slow). */
  othersDoneMs: number;
};

const DEFAULT_MAX = 6;

/** Lays out the whole page load for one protocol version. Pure and deterministic. */
export function simulate(options: WaterfallOptions): Waterfall {
  const { version, rttMs, resources } = options;
  const max = options.maxConnections ?? DEFAULT_MAX;
  if (!(rttMs > 0)) throw new RangeError(`rttMs must be a positive number of milliseconds, not ${rttMs}`);
  if (resources.length < 1) throw new RangeError('a page needs at least its HTML document');
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConnections must be a whole number ≥ 1, not ${max}`);

  const setupMs = rttMs * (options.tls === false ? 1 : 2);
  const slowMs = options.slowOn ? (options.slowMs ?? 0) : 0;
  const serviceMs = (r: PageResource) => rttMs + r.serverMs + (r.slow ? slowMs : 0);
  const bar = (index: number, connection: number, opened: boolean, queuedAt: number, startAt: number): WaterfallBar => {
    const r = resources[index]!;
    const sentAt = startAt + (opened ? setupMs : 0);
    const readyAt = sentAt + serviceMs(r);
    return {
      index,
      name: r.name,
      connection,
      opened,
      slow: Boolean(r.slow) && slowMs > 0,
      queuedAt,
      startAt,
      sentAt,
      readyAt,
      doneAt: readyAt,
    };
  };

  // The HTML document: always a fresh connection, which is connection 1.
  const html = bar(0, 1, true, 0, 0);
  const bars: WaterfallBar[] = [html];
  const found = html.doneAt;
  const assets = resources.slice(1).map((_, i) => i + 1);

  if (version === 'http2') {
    // One connection, already open and idle: every asset is its own stream, sent at once.
    for (const i of assets) bars.push(bar(i, 1, false, found, found));
  } else if (version === 'http1.1') {
    // Persistent connections, each carrying one request at a time.
    const freeAt = [found]; // connection n+1 is free from freeAt[n]
    for (const i of assets) {
      const idle = freeAt.findIndex((t) => t <= found);
      let b: WaterfallBar;
      if (idle >= 0) {
        b = bar(i, idle + 1, false, found, found);
      } else if (freeAt.length < max) {
        freeAt.push(found);
        b = bar(i, freeAt.length, true, found, found);
      } else {
        // Every connection is busy: wait for the first to free up (the lowest number on a tie).
        const first = freeAt.reduce((best, t, n) => (t < freeAt[best]! ? n : best), 0);
        b = bar(i, first + 1, false, found, freeAt[first]!);
      }
      freeAt[b.connection - 1] = b.doneAt;
      bars.push(b);
    }
  } else if (version === 'http1.1-pipelined') {
    // The same connections as HTTP/1.1, but requests go out back to back without waiting, spread
    // over the connections in turn, and each connection returns its responses in request order.
    const readyConn = [found];
    const lastDone = [found];
    assets.forEach((i, j) => {
      const n = j % max;
      let b: WaterfallBar;
      if (n >= readyConn.length) {
        b = bar(i, n + 1, true, found, found);
        readyConn.push(b.sentAt);
        lastDone.push(found);
      } else {
        b = bar(i, n + 1, false, found, readyConn[n]!);
      }
      b.doneAt = Math.max(b.readyAt, lastDone[n]!);
      lastDone[n] = b.doneAt;
      bars.push(b);
    });
  } else {
    // HTTP/1.0: a connection per request, closed after the response; at most `max` at a time.
    // Slots are the browser's parallel-connection budget, not connections.
    const slots = Array.from({ length: max }, () => found);
    let opened = 1;
    for (const i of assets) {
      const slot = slots.reduce((best, t, n) => (t < slots[best]! ? n : best), 0);
      const b = bar(i, ++opened, true, found, slots[slot]!);
      slots[slot] = b.doneAt;
      bars.push(b);
    }
  }

  const totalMs = Math.max(...bars.map((b) => b.doneAt));
  const others = bars.filter((b) => !b.slow);
  return {
    version,
    rttMs,
    setupMs,
    bars,
    connections: Math.max(...bars.map((b) => b.connection)),
    peakConnections: peakConnections(bars),
    totalMs,
    othersDoneMs: others.length ? Math.max(...others.map((b) => b.doneAt)) : totalMs,
  };
}

/** The three versions side by side, with the same page and settings. */
export function compareVersions(options: Omit<WaterfallOptions, 'version'>): Record<HttpVersion, Waterfall> {
  return {
    'http1.0': simulate({ ...options, version: 'http1.0' }),
    'http1.1': simulate({ ...options, version: 'http1.1' }),
    'http1.1-pipelined': simulate({ ...options, version: 'http1.1-pipelined' }),
    http2: simulate({ ...options, version: 'http2' }),
  };
}

/**
 * The most connections open at once. A connection is open from the handshake of its first
 * request to the end of its last response (HTTP/1.x keep-alive connections stay open longer,
 * idle, but they are not counted past their last use).
 */
export function peakConnections(bars: WaterfallBar[]): number {
  const spans = new Map<number, { from: number; to: number }>();
  for (const b of bars) {
    const s = spans.get(b.connection);
    spans.set(b.connection, s ? { from: Math.min(s.from, b.startAt), to: Math.max(s.to, b.doneAt) } : { from: b.startAt, to: b.doneAt });
  }
  // Closing before opening at the same instant: HTTP/1.0 hands a slot straight to the next request.
  const events = [...spans.values()]
    .flatMap((s) => [
      { t: s.from, d: 1 },
      { t: s.to, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of events) {
    open += e.d;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** Tick marks for a time axis from 0 to at least `maxMs`: a round step, about `target` ticks. */
export function timeTicks(maxMs: number, target = 6): { step: number; ticks: number[]; end: number } {
  const span = Math.max(1, maxMs);
  const rough = span / target;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  const end = Math.ceil(span / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= end + step / 1e6; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return { step, ticks, end };
}

export type Segments = Record<'queue' | 'connect' | 'request' | 'blocked', [start: number, length: number]>;

/**
 * A bar's four segments as [start, length] in percent of an axis `endMs` long: waiting for a
 * connection, the handshake, the request itself, and (pipelining only) a ready response waiting
 * behind an earlier one.
 */
export function barSegments(b: WaterfallBar, endMs: number): Segments {
  const pct = (ms: number) => Math.round((ms / endMs) * 100000) / 1000;
  const seg = (from: number, to: number): [number, number] => [pct(from), pct(to - from)];
  return {
    queue: seg(b.queuedAt, b.startAt),
    connect: seg(b.startAt, b.sentAt),
    request: seg(b.sentAt, b.readyAt),
    blocked: seg(b.readyAt, b.doneAt),
  };
}

/** One row as a sentence, for screen readers and the no-script reading of the chart. */
export function describeBar(b: WaterfallBar): string {
  const parts = [`${b.name}: connection ${b.connection}`];
  const waited = b.startAt - b.queuedAt;
  if (waited > 0) parts.push(`waited ${fmt(waited)} ms for a connection`);
  if (b.opened) parts.push(`handshake ${fmt(b.sentAt - b.startAt)} ms`);
  parts.push(`sent at ${fmt(b.sentAt)} ms`);
  if (b.doneAt > b.readyAt) parts.push(`ready at ${fmt(b.readyAt)} ms but held ${fmt(b.doneAt - b.readyAt)} ms behind an earlier response`);
  parts.push(`done at ${fmt(b.doneAt)} ms${b.slow ? ' (the slow response)' : ''}`);
  return parts.join(', ');
}

/** Milliseconds without float noise: 12.5 stays, 12.000000001 becomes 12. */
export function fmt(ms: number): string {
  return String(Math.round(ms * 10) / 10);
}
