import { describe, expect, it } from 'vitest';
import { closedPort, exchange, randomInt, randomWord } from '../kit/index.ts';
import { at, dial, fakeClock, greeting, greetingLength, greetAndEcho, list, startBackend, startBackends, startBalancer, WAIT_MS } from './support.ts';

// Stage 3: a backend that refuses connections (nothing listens on its port) is skipped, kept
// out for a cool-down measured on the injected clock, and the client is closed promptly when
// there is nobody left. The tests move the fake clock; nothing here waits for real time.

const local = (port: number) => ({ host: '127.0.0.1', port });

/** `n` ports that refuse connections, all different. */
async function refusingPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await closedPort());
  return [...ports];
}

/** Opens `count` connections one after another and returns who greeted each. */
async function greetings(port: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const client = dial(port, `connection #${i + 1}`);
    ids.push(await greeting(client));
    client.socket.destroy();
  }
  return ids;
}

describe('stage 3: failover', () => {
  it('skips a backend that refuses and connects the client to another, early bytes included', async () => {
    const live = await startBackends(randomInt(1, 3));
    const [dead] = await refusingPorts(1);
    const d = randomInt(0, live.length);
    const pool = live.map(at);
    pool.splice(d, 0, local(dead!));
    const { port } = await startBalancer({ backends: pool });

    // Each client speaks first, the moment it connects (as a TLS ClientHello does): those bytes
    // must survive the failed attempt and reach the backend that finally serves it.
    const count = pool.length * 2;
    const received: string[] = [];
    for (let i = 0; i < count; i++) {
      const client = dial(port, `connection #${i + 1}`);
      const line = `${randomWord(3)}\n`;
      client.socket.write(line);
      const id = await greeting(client);
      const echoed = await client.bytes(greetingLength(id) + line.length, 'the echo').then(
        (b) => b.subarray(greetingLength(id)).toString('latin1') === line,
        () => false,
      );
      received.push(id.startsWith('(') ? id : echoed ? `${id}+echo` : `${id}(line lost)`);
      client.socket.destroy();
    }
    const ok = received.every((r) => r.endsWith('+echo') && live.some((b) => r === `${b.id}+echo`));
    expect(
      ok,
      exchange({
        sent: `${count} connections, each writing a line at once, to a pool where backend #${d + 1} of ${pool.length} (port ${dead}) refuses connections`,
        expected: 'every connection greeted by a live backend, with its early line echoed (id+echo)',
        received: list(received),
      }),
    ).toBe(true);
  });

  it('keeps a refusing backend out of rotation for the cool-down, then tries it again', async () => {
    const clock = fakeClock(randomInt(1e9, 2e9));
    const cooldownMs = randomInt(5, 60) * 1000;
    const live = await startBackends(randomInt(2, 4));
    const [dead] = await refusingPorts(1);
    const d = randomInt(0, live.length);
    const pool = live.map(at);
    pool.splice(d, 0, local(dead!));
    const { port } = await startBalancer({ backends: pool, cooldownMs, now: clock.now });
    const setup = `a pool of ${pool.length} where backend #${d + 1} (port ${dead}) refuses; cooldownMs ${cooldownMs}`;

    // One full rotation: round robin reaches the refusing backend, and the balancer learns.
    const first = await greetings(port, pool.length);
    expect(
      first.every((id) => live.some((b) => b.id === id)),
      exchange({ sent: `${pool.length} connections to ${setup}`, expected: 'all served by live backends', received: list(first) }),
    ).toBe(true);

    // Now something listens on that port again. While the cool-down lasts it must get nothing:
    // it is still marked down, whatever is really there.
    const revived = await startBackend(randomWord(2), greetAndEcho, dead!);
    clock.advance(cooldownMs - 1);
    const during = await greetings(port, pool.length * 2);
    expect(
      revived.connections.length,
      exchange({
        sent: `${setup}; after one rotation, the clock moves ${cooldownMs - 1} ms and a backend "${revived.id}" starts on port ${dead}; then ${pool.length * 2} connections`,
        expected: `no connection attempt at port ${dead} until the cool-down is over`,
        received: `${revived.connections.length} connection(s) at port ${dead}; greetings ${list(during)}`,
      }),
    ).toBe(0);

    clock.advance(2);
    const after = await greetings(port, pool.length);
    expect(
      after,
      exchange({
        sent: `the clock moves on, past the ${cooldownMs} ms cool-down; then ${pool.length} more connections`,
        expected: `the backend on port ${dead} back in rotation: a greeting from ${revived.id} among them`,
        received: list(after),
      }),
    ).toContain(revived.id);
  });

  it('closes the client promptly while every backend refuses, and serves it again once one is back', async () => {
    const clock = fakeClock(randomInt(1e9, 2e9));
    const cooldownMs = randomInt(5, 60) * 1000;
    const ports = await refusingPorts(randomInt(1, 3));
    const { port } = await startBalancer({ backends: ports.map(local), cooldownMs, now: clock.now });
    const setup = `a pool of ${ports.length} backend(s), all refusing (ports ${ports.join(', ')})`;

    // Twice: once when the refusals are news, once while they are all cooling down.
    for (const when of ['when it first meets the refusals', 'while every backend is cooling down']) {
      const client = dial(port);
      client.socket.write(`${randomWord(3)}\n`);
      const closed = await client.whenClosed('the balancer to close the connection', WAIT_MS).then(
        () => true,
        () => false,
      );
      expect(
        closed,
        exchange({
          sent: `one connection to ${setup}, ${when}`,
          expected: `the balancer to close it within ${WAIT_MS} ms: nobody can serve it, and a client left hanging waits for its own timeout`,
          received: `${client.describe()}; still open`,
        }),
      ).toBe(true);
    }

    const back = await startBackend(randomWord(2), greetAndEcho, ports[randomInt(0, ports.length - 1)]!);
    clock.advance(cooldownMs + 1);
    const [id] = await greetings(port, 1);
    expect(
      id,
      exchange({
        sent: `${setup}; then backend "${back.id}" starts on port ${back.port}, the clock passes the ${cooldownMs} ms cool-down, and a client connects`,
        expected: `a greeting from ${back.id}`,
        received: id!,
      }),
    ).toBe(back.id);
  });
});
