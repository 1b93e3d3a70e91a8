import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exchange, preview, randomInt, randomPath, request, type Received } from '../kit/index.ts';
import {
  answeredBy,
  at,
  names,
  orderMessage,
  sendInOrder,
  smoothWeighted,
  startBackend,
  startBackends,
  startBalancer,
} from './support.ts';

describe('stage 2: weighted round robin and least connections', () => {
  it('follows nginx smooth weighted round robin for weights 5, 1, 1: a a b a c a a', async () => {
    const backends = await startBackends(3);
    const weights = [5, 1, 1];
    const port = await startBalancer({ pools: [{ backends: backends.map((b, i) => at(b, weights[i])) }] });

    const count = 14;
    const received = answeredBy(await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() }))));
    const expected = smoothWeighted(weights, count).map((i) => backends[i]!.name);
    expect(
      received,
      orderMessage(`${count} GET requests; weights ${backends.map((b, i) => `${b.name}=${weights[i]}`).join(' ')}`, expected, received),
    ).toEqual(expected);
  });

  it('spreads requests by random weights in exactly the smooth weighted order', async () => {
    const backends = await startBackends(randomInt(2, 5));
    let weights: number[];
    do weights = backends.map(() => randomInt(1, 6));
    while (new Set(weights).size === 1); // equal weights would be plain round robin again
    const port = await startBalancer({ pools: [{ backends: backends.map((b, i) => at(b, weights[i])) }] });

    const total = weights.reduce((a, b) => a + b, 0);
    const count = total * 2;
    const received = answeredBy(await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() }))));
    const expected = smoothWeighted(weights, count).map((i) => backends[i]!.name);
    expect(
      received,
      orderMessage(
        `${count} GET requests (two full cycles); weights ${backends.map((b, i) => `${b.name}=${weights[i]}`).join(' ')}`,
        expected,
        received,
      ),
    ).toEqual(expected);
  });

  it('sends each request to a backend with the fewest requests in flight', async () => {
    // Backends that hold every response until the test releases it, so "in flight" is exact.
    const n = randomInt(3, 5);
    const held = new Map<string, Array<{ res: ServerResponse; done: Promise<Received> }>>();
    let arrived: ((name: string) => void) | undefined;
    let pendingDone: Promise<Received> | undefined;
    const backends = await Promise.all(
      names(n).map((name) => {
        held.set(name, []);
        return startBackend(name, (_req, res) => {
          held.get(name)!.push({ res, done: pendingDone! });
          arrived?.(name);
        });
      }),
    );
    const port = await startBalancer({
      pools: [{ algorithm: 'least-connections', backends: backends.map((b) => at(b)) }],
    });

    const counts = () => backends.map((b) => `${b.name}=${held.get(b.name)!.length}`).join(' ');
    const fewest = () => {
      const min = Math.min(...backends.map((b) => held.get(b.name)!.length));
      return backends.filter((b) => held.get(b.name)!.length === min).map((b) => b.name);
    };
    // One more request, and where it landed; fails if the balancer answers instead of forwarding.
    const sendOne = async (): Promise<string> => {
      const before = counts();
      const allowed = fewest();
      const path = randomPath();
      const done = request(port, { path });
      done.catch(() => {}); // its outcome is checked when it is released
      pendingDone = done;
      const name = await Promise.race([
        new Promise<string>((resolve) => (arrived = resolve)),
        done.then((r) => `(answered ${r.status} ${preview(r.text, 40)} without reaching a backend)`),
      ]);
      expect(
        allowed,
        exchange({
          sent: `GET ${path} while the backends had in flight: ${before}`,
          expected: `it to reach ${allowed.join(' or ')} (fewest in flight)`,
          received: name.startsWith('(') ? name : `it reached ${name}`,
        }),
      ).toContain(name);
      return name;
    };
    const release = async (name: string) => {
      const { res, done } = held.get(name)!.shift()!;
      res.writeHead(200, { 'x-backend': name });
      res.end(name);
      const r = await done;
      expect(r.text, exchange({ sent: `a GET held at ${name}`, expected: `its answer "${name}"`, received: preview(r.text) })).toBe(name);
    };

    // Fill: one request per backend, whatever the tie-break.
    for (let i = 0; i < n; i++) await sendOne();
    // Free one that round robin would not pick next: the next request must go exactly there.
    const freed = backends[randomInt(1, n - 1)]!.name;
    await release(freed);
    expect(await sendOne()).toBe(freed);

    // A random walk of arrivals and releases, checking every pick against the counts.
    for (let step = 0; step < 12; step++) {
      const busy = backends.filter((b) => held.get(b.name)!.length > 0);
      if (busy.length > 0 && randomInt(0, 2) === 0) await release(busy[randomInt(0, busy.length - 1)]!.name);
      else await sendOne();
    }
    for (const b of backends) while (held.get(b.name)!.length > 0) await release(b.name);
  });
});
