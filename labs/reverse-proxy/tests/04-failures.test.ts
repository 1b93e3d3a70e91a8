import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { closedPort, exchange, randomBytes, randomInt, randomPath, randomWord, request, showBytes, showRequest, startUpstream } from '../kit/index.ts';
import { deferred, origin, rawUpstream, showReceived, startProxy, tcpUpstream, watch, within } from './support.ts';

// Stage 4: what a proxy does when the far side misbehaves. Every wait here is for an event (a
// request arriving, a connection closing); `within` only bounds it so a stuck proxy fails readably.

/** An upstream that accepts requests and never answers; it reports arrivals and closed connections. */
async function silentUpstream() {
  const arrived = deferred();
  const closed = deferred();
  const port = await rawUpstream((_req, res: ServerResponse) => {
    arrived.resolve();
    res.on('close', () => closed.resolve()); // fires when the proxy gives up on the connection
  });
  return { port, arrived: arrived.promise, closed: closed.promise };
}

describe('stage 4: upstream failures', () => {
  it('returns 502 when the upstream refuses the connection, and keeps serving other routes', async () => {
    const healthy = await startUpstream((_req, res) => res.end('healthy'));
    const down = `/${randomWord(2)}`;
    const proxy = await startProxy({
      routes: [
        { pathPrefix: down, upstream: origin(await closedPort()) },
        { upstream: origin(healthy.port) },
      ],
    });

    const path = `${down}/${randomWord()}`;
    const res = await request(proxy, { path });
    expect(res.status, exchange({
      sent: `${showRequest('GET', path)}\n    (routed to an upstream port where nothing listens)`,
      expected: '502 Bad Gateway: the proxy itself is fine, the server behind it is not',
      received: showReceived(res),
    })).toBe(502);

    const other = randomPath();
    const after = await request(proxy, { path: other });
    expect(`${after.status} ${after.text}`, exchange({
      sent: `${showRequest('GET', other)}\n    (after the 502, to a route whose upstream is up)`,
      expected: '200 healthy: one broken upstream must not break the proxy',
      received: showReceived(after),
    })).toBe('200 healthy');
  });

  it.each([
    ['hangs up without answering', (socket: import('node:net').Socket) => socket.once('data', () => socket.destroy())],
    ['answers with something that is not HTTP', (socket: import('node:net').Socket) => socket.once('data', () => socket.end(`${randomWord(4)}\r\n\r\n`))],
  ])('returns 502 when the upstream %s', async (what, behave) => {
    const upstream = await tcpUpstream(behave);
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream) }] });
    const path = randomPath();
    const res = await request(proxy, { path });
    expect(res.status, exchange({
      sent: `${showRequest('GET', path)}\n    (the upstream accepts the connection, then ${what})`,
      expected: '502 Bad Gateway',
      received: showReceived(res),
    })).toBe(502);
  });

  it('returns 504 once its own timeout passes without an answer, and abandons the upstream request', async () => {
    // Two proxies with different random timeouts, so only a timeout read from the config passes.
    const short = randomInt(150, 220);
    const long = short + randomInt(250, 350);
    const runs = await Promise.all(
      [short, long].map(async (timeoutMs) => {
        const upstream = await silentUpstream();
        const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }], timeoutMs });
        const path = randomPath();
        const started = performance.now();
        const res = await request(proxy, { path }, 3_000).catch(() => undefined); // undefined: no answer at all
        return { timeoutMs, path, upstream, res, elapsed: Math.round(performance.now() - started) };
      }),
    );
    for (const { timeoutMs, path, upstream, res, elapsed } of runs) {
      const sent = `${showRequest('GET', path)}\n    to a proxy with timeoutMs: ${timeoutMs} whose upstream never answers`;
      expect(res?.status, exchange({
        sent,
        expected: `504 Gateway Timeout after about ${timeoutMs} ms`,
        received: res
          ? `${showReceived(res)} after ${elapsed} ms`
          : 'no answer in 3 s: start a timer for config.timeoutMs when you send the upstream request',
      })).toBe(504);
      expect(elapsed, exchange({
        sent,
        expected: `the 504 no sooner than ${timeoutMs} ms`,
        received: `504 after ${elapsed} ms: the proxy gave up before its configured timeout`,
      })).toBeGreaterThanOrEqual(timeoutMs - 5);
      await within(upstream.closed, 1_000, exchange({
        sent,
        expected: 'the proxy to abort its upstream request once it has answered 504',
        received: 'the upstream connection still open 1 s later: destroy the upstream request on timeout so the backend stops waiting',
      }));
    }
    expect(runs[0]!.elapsed, exchange({
      sent: `the same request to two proxies, with timeoutMs ${short} and ${long}`,
      expected: `the first 504 well before ${long} ms`,
      received: `it came after ${runs[0]!.elapsed} ms: is the timeout hard-coded instead of read from config.timeoutMs?`,
    })).toBeLessThan(long);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const upstream = await silentUpstream();
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }] });
    const path = randomPath();
    const w = watch(proxy, { path });
    const got = await within(
      Promise.race([upstream.arrived.then(() => 'arrived'), w.ending.then(showReceived)]),
      2_000,
      `GET ${path}: the request never reached the upstream, so there is nothing to abort yet.`,
    );
    expect(got, exchange({ sent: `GET ${path}`, expected: 'the request to reach the upstream', received: `the proxy answered itself: ${got}` })).toBe('arrived');

    w.req.destroy(); // the client gives up: its TCP connection to the proxy closes
    await within(upstream.closed, 2_000, exchange({
      sent: `GET ${path}, then the client closed its connection before any answer`,
      expected: 'the proxy to abort the upstream request, so the upstream sees its connection close',
      received: 'the upstream still holding the request 2 s later (hint: listen for the response\'s "close" event, not the request\'s)',
    }));
  });

  it.each(['chunked', 'content-length'] as const)(
    "breaks off the client's response when the upstream connection dies mid-body (%s)",
    async (framing) => {
      const first = randomBytes(randomInt(2_000, 16_000));
      const total = first.length + randomInt(2_000, 16_000);
      const clientHasFirst = deferred();
      // The upstream promises `total` bytes, sends part, and drops the connection once the client
      // has seen that part, so the failure is certain to happen mid-body.
      const upstream = await rawUpstream((_req, res) => {
        res.writeHead(200, framing === 'content-length' ? { 'content-length': total } : {});
        res.write(first);
        void clientHasFirst.promise.then(() => res.socket?.destroy());
      });
      const proxy = await startProxy({ routes: [{ upstream: origin(upstream) }] });

      const path = randomPath();
      const sent = `GET ${path}; the upstream answers 200 (${framing}), sends ${showBytes(first.length)} of ${showBytes(total)}, then its connection drops`;
      const w = watch(proxy, { path });
      const soFar = await within(Promise.race([w.bytes(first.length), w.ending]), 2_000, exchange({
        sent,
        expected: 'the client to receive the first part',
        received: `nothing within 2 s (does stage 1 stream responses?)`,
      }));
      expect(soFar.status, exchange({ sent, expected: 'status 200 and the first part of the body', received: showReceived(soFar) })).toBe(200);

      clientHasFirst.resolve();
      const end = await within(w.ending, 2_000, exchange({
        sent,
        expected: "the client's response to end in an error, as the upstream's did",
        received: 'the client still waiting 2 s later: when the upstream response fails, destroy the client response',
      }));
      expect(end.kind, exchange({
        sent,
        expected: "an error at the client (a truncated body must not look complete)",
        received: `a complete ${end.status} response of ${showBytes(end.body.length)}: the client cannot tell it lost data`,
      })).toBe('broken');
    },
  );
});
