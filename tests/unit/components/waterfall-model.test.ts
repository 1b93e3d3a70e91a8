import { describe, expect, test } from 'vitest';
import { DEFAULT_RESOURCES } from '../../../src/components/lesson/http-waterfall-schema.ts';
import {
  barSegments,
  compareVersions,
  describeBar,
  peakConnections,
  simulate,
  timeTicks,
  type PageResource,
  type WaterfallOptions,
} from '../../../src/components/lesson/waterfall-model.ts';

// The timing model behind <HttpWaterfall>. Numbers are worked out by hand from the rules in
// waterfall-model.ts: a handshake is one round trip for TCP plus one for TLS 1.3, a request is one
// round trip plus server time, and assets are discovered when the HTML has arrived.

/** HTML (20 ms of server time) and `n` assets with none, so every time is a sum of round trips. */
const page = (n: number, slowAt?: number): PageResource[] => [
  { name: 'index.html', serverMs: 20 },
  ...Array.from({ length: n }, (_, i) => ({ name: `a${i + 1}.js`, serverMs: 0, slow: i + 1 === slowAt })),
];
const run = (o: Partial<WaterfallOptions> & Pick<WaterfallOptions, 'version'>) =>
  simulate({ rttMs: 100, resources: page(12), tls: false, ...o });
const assetsOf = (w: ReturnType<typeof simulate>) => w.bars.slice(1);

describe('every version', () => {
  test.each(['http1.0', 'http1.1', 'http1.1-pipelined', 'http2'] as const)(
    '%s fetches the HTML on a new connection and requests no asset before it has arrived',
    (version) => {
      const w = run({ version });
      expect(w.bars[0]).toMatchObject({ name: 'index.html', connection: 1, opened: true, sentAt: 100, doneAt: 220 });
      for (const b of assetsOf(w)) {
        expect(b.queuedAt).toBe(220);
        expect(b.sentAt).toBeGreaterThanOrEqual(220);
      }
      expect(w.bars.map((b) => b.name)).toEqual(page(12).map((r) => r.name));
    },
  );

  test('a TLS 1.3 handshake doubles the set-up cost of every new connection', () => {
    expect(run({ version: 'http2', tls: false }).setupMs).toBe(100);
    expect(run({ version: 'http2', tls: true }).setupMs).toBe(200);
    expect(run({ version: 'http2', tls: true }).bars[0]!.sentAt).toBe(200);
  });

  test('orders the default page from slowest to fastest: 1.0, 1.1, 1.1 with pipelining, 2', () => {
    const c = compareVersions({ rttMs: 50, resources: DEFAULT_RESOURCES, tls: true });
    expect([c['http1.0'], c['http1.1'], c['http1.1-pipelined'], c.http2].map((w) => w.totalMs)).toEqual([510, 405, 350, 250]);
  });

  test('rejects a round-trip time that is not positive and a page without its HTML', () => {
    expect(() => run({ version: 'http2', rttMs: 0 })).toThrow(/rttMs must be a positive number/);
    expect(() => simulate({ version: 'http2', rttMs: 50, resources: [] })).toThrow(/at least its HTML/);
    expect(() => run({ version: 'http1.1', maxConnections: 0 })).toThrow(/maxConnections/);
  });
});

describe('HTTP/1.0', () => {
  test('opens a new connection for every request and pays the handshake each time', () => {
    const w = run({ version: 'http1.0' });
    expect(w.connections).toBe(13);
    expect(w.bars.every((b) => b.opened && b.sentAt - b.startAt === 100)).toBe(true);
    expect(new Set(w.bars.map((b) => b.connection)).size).toBe(13);
  });

  test('keeps at most 6 connections open at once, so the 7th asset waits for a slot', () => {
    const w = run({ version: 'http1.0' });
    expect(w.peakConnections).toBe(6);
    // Six assets go at 220 and finish at 220 + 100 (handshake) + 100 (request) = 420.
    expect(assetsOf(w).slice(0, 6).map((b) => b.doneAt)).toEqual(Array(6).fill(420));
    expect(assetsOf(w)[6]).toMatchObject({ startAt: 420, sentAt: 520, doneAt: 620 });
    expect(w.totalMs).toBe(620);
  });
});

describe('HTTP/1.1', () => {
  test('reuses the HTML’s connection and never opens more than 6', () => {
    const w = run({ version: 'http1.1' });
    expect(w.connections).toBe(6);
    expect(w.peakConnections).toBe(6);
    expect(w.bars.filter((b) => b.opened)).toHaveLength(6);
    expect(assetsOf(w)[0]).toMatchObject({ connection: 1, opened: false, sentAt: 220, doneAt: 320 });
  });

  test('carries one request at a time on each connection', () => {
    const w = run({ version: 'http1.1' });
    for (let c = 1; c <= w.connections; c++) {
      const on = w.bars.filter((b) => b.connection === c).sort((a, b) => a.sentAt - b.sentAt);
      for (let i = 1; i < on.length; i++) expect(on[i]!.sentAt).toBeGreaterThanOrEqual(on[i - 1]!.doneAt);
    }
  });

  test('queues requests in the browser while all 6 connections are busy', () => {
    const w = run({ version: 'http1.1' });
    const waited = assetsOf(w).filter((b) => b.startAt > b.queuedAt);
    expect(waited.length).toBe(6);
    expect(w.totalMs).toBe(520);
  });

  test('a slow response delays the request queued behind it on its connection', () => {
    const w = run({ version: 'http1.1', resources: page(12, 1), slowOn: true, slowMs: 500 });
    const slow = w.bars.find((b) => b.slow)!;
    expect(slow).toMatchObject({ name: 'a1.js', connection: 1, doneAt: 820 });
    const next = w.bars.filter((b) => b.connection === slow.connection && b.sentAt > slow.sentAt);
    for (const b of next) expect(b.sentAt).toBeGreaterThanOrEqual(slow.doneAt);
  });

  test('a slow response takes a connection out of the pool, so the other assets finish later', () => {
    const resources = page(12, 1);
    const fast = run({ version: 'http1.1', resources });
    const slowed = run({ version: 'http1.1', resources, slowOn: true, slowMs: 500 });
    expect(fast.othersDoneMs).toBe(520);
    // Eleven assets left for five connections: three rounds instead of two.
    expect(slowed.othersDoneMs).toBe(620);
    expect(slowed.totalMs).toBe(820);
  });

  test('respects a smaller connection limit', () => {
    const w = run({ version: 'http1.1', maxConnections: 2 });
    expect(w.connections).toBe(2);
    expect(w.peakConnections).toBe(2);
  });
});

describe('HTTP/1.1 with pipelining', () => {
  test('sends every request without waiting and spreads them over the 6 connections in turn', () => {
    const w = run({ version: 'http1.1-pipelined' });
    expect(assetsOf(w).map((b) => b.connection)).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
    expect(assetsOf(w)[6]).toMatchObject({ connection: 1, sentAt: 220, doneAt: 320 });
    expect(w.totalMs).toBe(420);
  });

  test('holds a ready response behind a slow one on the same connection: head-of-line blocking', () => {
    const w = run({ version: 'http1.1-pipelined', resources: page(12, 1), slowOn: true, slowMs: 500 });
    const behind = assetsOf(w)[6]!; // a7.js, pipelined behind a1.js on connection 1
    expect(behind).toMatchObject({ connection: 1, readyAt: 320, doneAt: 820 });
    expect(describeBar(behind)).toContain('held 500 ms behind an earlier response');
    expect(w.othersDoneMs).toBe(820);
  });
});

describe('HTTP/2', () => {
  test('uses one connection and one handshake for the whole page', () => {
    const w = run({ version: 'http2' });
    expect(w.connections).toBe(1);
    expect(w.peakConnections).toBe(1);
    expect(w.bars.filter((b) => b.opened)).toHaveLength(1);
  });

  test('sends every asset as soon as the HTML arrives, so the page takes one more round trip', () => {
    const w = run({ version: 'http2' });
    expect(assetsOf(w).every((b) => b.sentAt === 220 && b.doneAt === 320)).toBe(true);
    expect(w.totalMs).toBe(320);
  });

  test('a slow response delays nothing else at the HTTP level', () => {
    const fast = run({ version: 'http2', resources: page(12, 3) });
    const slowed = run({ version: 'http2', resources: page(12, 3), slowOn: true, slowMs: 500 });
    const others = (w: typeof fast) => w.bars.filter((b) => b.name !== 'a3.js').map((b) => b.doneAt);
    expect(others(slowed)).toEqual(others(fast));
    expect(slowed.othersDoneMs).toBe(fast.totalMs);
    expect(slowed.totalMs).toBe(820);
  });
});

describe('the slow toggle', () => {
  test('changes nothing when it is off or when no asset is marked slow', () => {
    const off = run({ version: 'http1.1', resources: page(12, 1), slowOn: false, slowMs: 500 });
    const none = run({ version: 'http1.1', resources: page(12), slowOn: true, slowMs: 500 });
    expect(off.totalMs).toBe(520);
    expect(none.totalMs).toBe(520);
    expect(off.bars.some((b) => b.slow)).toBe(false);
  });
});

describe('drawing helpers', () => {
  test('splits a bar into waiting, handshake, request and blocked segments in percent', () => {
    const w = run({ version: 'http1.0' });
    expect(barSegments(w.bars[7]!, 1000)).toEqual({
      queue: [22, 20],
      connect: [42, 10],
      request: [52, 10],
      blocked: [62, 0],
    });
  });

  test('chooses round tick steps that cover the longest load', () => {
    expect(timeTicks(510)).toEqual({ step: 100, ticks: [0, 100, 200, 300, 400, 500, 600], end: 600 });
    expect(timeTicks(250)).toEqual({ step: 50, ticks: [0, 50, 100, 150, 200, 250], end: 250 });
    expect(timeTicks(2900).step).toBe(500);
    expect(timeTicks(0).end).toBeGreaterThan(0);
  });

  test('describes a row in words, with the wait and the handshake', () => {
    const w = run({ version: 'http1.0' });
    expect(describeBar(w.bars[7]!)).toBe('a7.js: connection 8, waited 200 ms for a connection, handshake 100 ms, sent at 520 ms, done at 620 ms');
  });

  test('counts connections open at the same moment, not connections in total', () => {
    const w = run({ version: 'http1.0' });
    expect(w.connections).toBe(13);
    expect(peakConnections(w.bars)).toBe(6);
  });
});
