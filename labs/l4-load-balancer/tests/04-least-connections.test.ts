import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt, randomWord, shuffle } from '../kit/index.ts';
import type { BackendStats, TcpBalancer } from '../src/tcp-balancer.ts';
import { at, dial, greeting, greetingLength, list, settle, startBackends, startBalancer, WAIT_MS, type Backend, type Tap } from './support.ts';

// Stage 4: the balancer knows how many connections each backend is serving. It reports them,
// sends new connections where there are fewest, and can drain a backend for maintenance.

/** stats() reduced to what the tests check, so extra fields a learner adds do not matter. */
const statsOf = (lb: TcpBalancer) =>
  (lb.stats() ?? []).map((s: BackendStats) => ({ host: s.host, port: s.port, active: s.active, state: s.state }));

const showStats = (stats: ReturnType<typeof statsOf>, backends: Backend[]) =>
  stats.map((s) => `${backends.find((b) => b.port === s.port)?.id ?? s.port}=${s.active}${s.state === 'up' ? '' : ` (${s.state})`}`).join(' ') ||
  '(empty)';

/**
 * Closes one client connection held at `backend`, waits until the backend has seen it go, then
 * gives the balancer a moment to count it (stats() is not an event source, so this polls).
 */
async function hangUp(client: Tap, backend: Backend, lb: TcpBalancer): Promise<void> {
  const open = backend.open();
  client.socket.destroy();
  if (open.length > 0) await Promise.race(open.map((c) => c.tap.whenClosed('a backend connection to close').catch(() => {})));
  const left = backend.open().length;
  await settle(() => statsOf(lb).find((s) => s.port === backend.port)?.active, (n) => n === left, 500);
}

describe('stage 4: least connections and draining', () => {
  it("reports each backend's open connections in stats()", async () => {
    const backends = await startBackends(randomInt(2, 4));
    const { lb, port } = await startBalancer({ backends: backends.map(at) });

    const clients: Array<{ tap: Tap; id: string }> = [];
    const count = randomInt(backends.length + 1, backends.length * 3);
    for (let i = 0; i < count; i++) {
      const tap = dial(port, `connection #${i + 1}`);
      clients.push({ tap, id: await greeting(tap) });
    }
    const expected = () =>
      backends.map((b) => ({ ...at(b), active: clients.filter((c) => c.id === b.id && !c.tap.closed).length, state: 'up' as const }));
    const check = async (sent: string) => {
      const want = expected();
      const got = await settle(() => statsOf(lb), (s) => JSON.stringify(s) === JSON.stringify(want));
      expect(got, exchange({ sent, expected: `stats() active counts ${showStats(want, backends)}`, received: showStats(got, backends) })).toEqual(want);
    };
    await check(`${count} connections, kept open, to ${backends.length} backends`);

    const closing = shuffle(clients).slice(0, randomInt(1, count - 1));
    for (const c of closing) await hangUp(c.tap, backends.find((b) => b.id === c.id)!, lb);
    await check(`${count} connections, then ${closing.length} of them closed by their clients`);
  });

  it('sends each new connection to a backend with the fewest open connections', async () => {
    const backends = await startBackends(randomInt(3, 5));
    const { lb, port } = await startBalancer({ backends: backends.map(at), algorithm: 'least-connections' });
    const held = new Map<string, Tap[]>(backends.map((b) => [b.id, []]));
    const counts = () => backends.map((b) => `${b.id}=${held.get(b.id)!.length}`).join(' ');
    const fewest = () => {
      const min = Math.min(...backends.map((b) => held.get(b.id)!.length));
      return backends.filter((b) => held.get(b.id)!.length === min).map((b) => b.id);
    };

    // Opens one connection, checks where it landed, and keeps it open.
    const open = async (): Promise<string> => {
      const before = counts();
      const allowed = fewest();
      const tap = dial(port);
      const id = await greeting(tap);
      expect(
        allowed,
        exchange({
          sent: `a new connection while the open connections were ${before}`,
          expected: `it to reach ${allowed.join(' or ')} (fewest open)`,
          received: id.startsWith('(') ? `no backend: ${id}` : `it reached ${id}`,
        }),
      ).toContain(id);
      held.get(id)!.push(tap);
      return id;
    };
    const close = (id: string) => hangUp(held.get(id)!.shift()!, backends.find((b) => b.id === id)!, lb);

    // Fill: one connection each, whatever the tie-break. Then free one that plain round robin
    // would not pick next: the next connection must go exactly there.
    for (let i = 0; i < backends.length; i++) await open();
    const freed = backends[randomInt(1, backends.length - 1)]!.id;
    await close(freed);
    await open(); // fewest() is now exactly [freed]

    // A random walk of new connections and hang-ups, checking every pick against the counts.
    for (let step = 0; step < 14; step++) {
      const busy = backends.filter((b) => held.get(b.id)!.length > 0);
      if (busy.length > 0 && randomInt(0, 2) === 0) await close(pick(busy).id);
      else await open();
    }
  });

  it('sends no new connections to a draining backend, keeps its open ones working, and resolves when they are done', async () => {
    const algorithm = pick(['round-robin', 'least-connections'] as const);
    const backends = await startBackends(randomInt(2, 4));
    const { lb, port } = await startBalancer({ backends: backends.map(at), algorithm });

    const held: Array<{ tap: Tap; id: string }> = [];
    for (let i = 0; i < backends.length * 2; i++) {
      const tap = dial(port, `connection #${i + 1}`);
      held.push({ tap, id: await greeting(tap) });
    }
    const target = pick(backends);
    const mine = held.filter((c) => c.id === target.id);
    expect(
      mine.length,
      exchange({ sent: `${held.length} connections to ${backends.length} backends (${algorithm})`, expected: `2 at ${target.id}`, received: list(held.map((c) => c.id)) }),
    ).toBe(2);

    let drained = false;
    const done = Promise.resolve(lb.drain(at(target))).then(() => void (drained = true));
    const setup = `${held.length} open connections, 2 of them at ${target.id}; then drain(${target.id}) (${algorithm})`;
    const state = statsOf(lb).find((s) => s.port === target.port);
    expect(state, exchange({ sent: setup, expected: `stats() to show ${target.id} draining with 2 active`, received: showStats(statsOf(lb), backends) })).toEqual({
      ...at(target),
      active: 2,
      state: 'draining',
    });

    // Make it the least loaded backend: least connections alone would now pick it.
    await hangUp(mine.shift()!.tap, target, lb);
    const after = [];
    for (let i = 0; i < backends.length * 2; i++) after.push(await greeting(dial(port)));
    expect(
      after,
      exchange({
        sent: `${setup}; one of its connections closes; then ${after.length} new connections`,
        expected: `none at ${target.id}: a draining backend takes no new connections, however idle it is`,
        received: list(after),
      }),
    ).not.toContain(target.id);

    // Its open connection still works both ways, and drain() is still waiting for it.
    const last = mine[0]!.tap;
    const line = `${randomWord(3)} ${randomInt(0, 99_999)}\n`;
    last.socket.write(line);
    const echoed = await last.bytes(greetingLength(target.id) + line.length, `the echo of ${JSON.stringify(line)}`).then(
      (b) => b.subarray(greetingLength(target.id)).toString('latin1'),
      (err: Error) => err.message,
    );
    expect(
      { echoed, drained },
      exchange({
        sent: `${setup}; then a line on the connection still open at ${target.id}`,
        expected: 'the line echoed back, and drain() not resolved yet (a connection is still open)',
        received: `echo ${JSON.stringify(echoed)}, drain() ${drained ? 'already resolved' : 'pending'}`,
      }),
    ).toEqual({ echoed: line, drained: false });

    await hangUp(last, target, lb);
    const resolved = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), WAIT_MS))]);
    expect(
      resolved,
      exchange({
        sent: `${setup}; then its last connection closes`,
        expected: `the promise from drain() to resolve: ${target.id} is idle and safe to take down`,
        received: `still pending ${WAIT_MS} ms later; stats() ${showStats(statsOf(lb), backends)}`,
      }),
    ).toBe(true);
  });
});
