import { describe, expect, it } from 'vitest';
import { exchange, preview, randomBytes, randomInt, randomWord, showBytes } from '../kit/index.ts';
import { at, dial, greeting, greetingLength, list, sameBytes, startBackend, startBackends, startBalancer } from './support.ts';

// Stage 1: a whole connection goes to one backend, picked in turn, and bytes pass untouched.

describe('stage 1: pipe', () => {
  it('sends each new connection to the next backend in turn, starting with the first', async () => {
    const backends = await startBackends(randomInt(2, 5));
    const { port } = await startBalancer({ backends: backends.map(at) });

    const count = backends.length * randomInt(2, 3) + randomInt(0, backends.length - 1);
    const received: string[] = [];
    for (let i = 0; i < count; i++) {
      const client = dial(port, `connection #${i + 1}`);
      received.push(await greeting(client));
      client.socket.destroy();
    }
    const expected = Array.from({ length: count }, (_, i) => backends[i % backends.length]!.id);
    expect(
      received,
      exchange({
        sent: `${count} connections, one after another, to a pool of ${backends.length} backends listed as ${list(backends.map((b) => b.id))}`,
        expected: `greetings from ${list(expected)}`,
        received: list(received),
      }),
    ).toEqual(expected);
  });

  it('relays random binary bytes unchanged in both directions', async () => {
    // Every byte value, including 0x00, "\r" and "\n": a layer 4 balancer never interprets them.
    const down = randomBytes(randomInt(1, 200) * 1024 + randomInt(0, 1023));
    const up = randomBytes(randomInt(1, 200) * 1024 + randomInt(0, 1023));
    const backends = await startBackends(randomInt(1, 3), (socket) => void socket.write(down));
    const { port } = await startBalancer({ backends: backends.map(at) });

    const client = dial(port);
    // Random write sizes: where one write ends must not matter, TCP is a stream of bytes.
    for (let off = 0; off < up.length; ) {
      const n = randomInt(1, 32 * 1024);
      client.socket.write(up.subarray(off, off + n));
      off += n;
    }
    const sent = `the client writes ${showBytes(up.length)} of random binary; the backend writes ${showBytes(down.length)} as soon as it is connected`;

    const gotDown = await client.bytes(down.length, `the backend's ${showBytes(down.length)} at the client`);
    expect(
      sameBytes(down, gotDown),
      exchange({ sent, expected: "the backend's bytes, identical, at the client", received: sameBytes(down, gotDown) }),
    ).toBe('identical');

    const conn = backends.flatMap((b) => b.connections)[0]!;
    const gotUp = await conn.tap.bytes(up.length, `the client's ${showBytes(up.length)} at the backend`);
    expect(
      sameBytes(up, gotUp),
      exchange({ sent, expected: "the client's bytes, identical, at the backend", received: sameBytes(up, gotUp) }),
    ).toBe('identical');
  });

  it('keeps every message of a connection on the backend that connection reached', async () => {
    const backends = await startBackends(randomInt(2, 4));
    const { port } = await startBalancer({ backends: backends.map(at) });

    // One client per backend, all open at once; then they take turns sending lines.
    const clients = [];
    const ids: string[] = [];
    for (let i = 0; i < backends.length; i++) {
      const client = dial(port, `client #${i + 1}`);
      ids.push(await greeting(client));
      clients.push(client);
    }
    expect(
      [...ids].sort(),
      exchange({
        sent: `${clients.length} connections, kept open, to a pool of ${backends.length} backends`,
        expected: `one connection at each backend: ${list(backends.map((b) => b.id))}`,
        received: `greetings from ${list(ids)}`,
      }),
    ).toEqual(backends.map((b) => b.id).sort());
    const lines: string[][] = clients.map(() => []);
    const rounds = randomInt(3, 5);
    for (let round = 0; round < rounds; round++) {
      for (const [i, client] of clients.entries()) {
        const line = `${randomWord(3)} ${randomInt(0, 999_999)}\n`;
        lines[i]!.push(line);
        client.socket.write(line);
        const total = greetingLength(ids[i]!) + lines[i]!.join('').length;
        await client.bytes(total, `the echo of ${JSON.stringify(line)} on client #${i + 1}`);
      }
    }

    const sent = `${clients.length} clients connected at once, then ${rounds} rounds in which each sends one line and waits for its echo`;
    expect(
      backends.map((b) => `${b.id}=${b.connections.length}`),
      exchange({
        sent,
        expected: 'exactly one connection at each backend: a layer 4 balancer picks once per connection, not per message',
        received: `connections per backend: ${backends.map((b) => `${b.id}=${b.connections.length}`).join(' ')}`,
      }),
    ).toEqual(backends.map((b) => `${b.id}=1`));
    for (const [i, client] of clients.entries()) {
      const backend = backends.find((b) => b.id === ids[i])!;
      const atBackend = backend.connections[0]!.tap.data.toString('latin1');
      expect(
        { atBackend, atClient: client.data.toString('latin1') },
        exchange({
          sent,
          expected: `backend ${ids[i]} to receive only client #${i + 1}'s lines ${preview(lines[i]!.join(''), 60)}, and the client its greeting plus their echo`,
          received: `backend ${ids[i]} got ${preview(atBackend, 60)}; the client got ${preview(client.data, 60)}`,
        }),
      ).toEqual({ atBackend: lines[i]!.join(''), atClient: `hello ${ids[i]}\n${lines[i]!.join('')}` });
    }
  });
});
