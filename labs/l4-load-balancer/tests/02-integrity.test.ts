import { createHash } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { exchange, listen, onCleanup, randomBytes, randomInt, showBytes } from '../kit/index.ts';
import { at, dial, greeting, startBackends, startBalancer, WAIT_MS, type Tap } from './support.ts';

// Stage 2: the pipe holds up under load. Big transfers where one side reads slowly (so the
// balancer must slow the other side down instead of buffering), many connections at once,
// half-close, and resets.

const BIG = 20 * 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes `payload` in 64 KB pieces, waiting for 'drain' whenever write() says the buffer is full. */
function pump(socket: net.Socket, payload: Buffer) {
  const state = { written: 0, done: false, onChange: () => {} };
  const step = () => {
    while (state.written < payload.length) {
      const piece = payload.subarray(state.written, state.written + 64 * 1024);
      state.written += piece.length;
      if (!socket.write(piece)) {
        socket.once('drain', step);
        return state.onChange();
      }
    }
    socket.end();
    state.done = true;
    state.onChange();
  };
  if (socket.connecting) socket.once('connect', step);
  else step();
  return state;
}

/**
 * Resolves once the writer has sent everything, or has been stuck waiting for 'drain' for
 * `quietMs`: the only way to see "nothing moves" is to watch for a while; no event says it.
 */
function stalledOrDone(state: ReturnType<typeof pump>, quietMs = 150): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    state.onChange = () => {
      clearTimeout(timer);
      if (state.done) resolve();
      else timer = setTimeout(resolve, quietMs);
    };
    state.onChange();
    onCleanup(() => clearTimeout(timer));
  });
}

/** Reads a socket slowly (a short pause after every MB) until it ends; returns size and hash. */
function slowRead(socket: net.Socket, what: string): Promise<{ size: number; hash: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    let sinceBreak = 0;
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      sinceBreak += chunk.length;
      if (sinceBreak >= 1024 * 1024) {
        sinceBreak = 0;
        socket.pause();
        setTimeout(() => socket.resume(), 2);
      }
    });
    socket.on('end', () => resolve({ size, hash: hash.digest('hex') }));
    socket.on('close', () => reject(new Error(`Expected ${what} to end cleanly, but the connection closed after ${showBytes(size)} (${size} bytes).`)));
    socket.resume();
  });
}

/** A backend with no line protocol at all: `onSocket` gets each raw connection. */
async function rawBackend(onSocket: (socket: net.Socket) => void): Promise<number> {
  return listen(net.createServer({ allowHalfOpen: true }, onSocket), 'the test backend');
}

describe('stage 2: integrity', () => {
  it('carries 20 MB to a client that reads slowly, intact, without piling it up in memory', async () => {
    const payload = randomBytes(BIG);
    let writer: ReturnType<typeof pump> | undefined;
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const backend = await rawBackend((socket) => {
      socket.on('error', () => {});
      writer = pump(socket, payload);
      ready();
    });
    const { lb, port } = await startBalancer({ backends: [at({ port: backend })] });
    // The balancer's own socket towards the client: its write buffer is what the balancer holds.
    let facing: net.Socket | undefined;
    let facingClosed!: () => void;
    const closedEarly = new Promise<void>((r) => (facingClosed = r));
    lb.server.on('connection', (s: net.Socket) => {
      facing ??= s;
      s.once('close', facingClosed);
    });
    let held = 0;
    const sample = setInterval(() => (held = Math.max(held, facing?.writableLength ?? 0)), 2);
    onCleanup(() => clearInterval(sample));

    const client = net.connect({ host: '127.0.0.1', port });
    onCleanup(() => void client.destroy());
    client.on('error', () => {});
    client.pause(); // a client that does not read at all, until the backend is stuck
    // A client that is not reading cannot see a close, so watch the balancer's side instead.
    await Promise.race([started, closedEarly]);
    expect(writer, exchange({ sent: 'one connection', expected: 'it to reach the backend', received: 'the balancer closed it' })).toBeDefined();
    await stalledOrDone(writer!);
    const result = await slowRead(client, 'the 20 MB download');
    clearInterval(sample);

    expect(
      result,
      exchange({
        sent: `the backend writes ${showBytes(BIG)} of random binary as fast as the balancer takes it; the client reads nothing, then reads slowly`,
        expected: `all ${BIG} bytes at the client with sha256 ${sha256(payload).slice(0, 16)}…`,
        received: `${result.size} bytes with sha256 ${result.hash.slice(0, 16)}…`,
      }),
    ).toEqual({ size: BIG, hash: sha256(payload) });
    expect(
      held,
      exchange({
        sent: `the same ${showBytes(BIG)} while the client was not reading`,
        expected: 'the balancer to stop reading from the backend once its write buffer towards the client is full (at most 1 MB held)',
        received: `up to ${showBytes(held)} waiting in the balancer's write buffer towards the client: it kept reading and buffering`,
      }),
    ).toBeLessThanOrEqual(1024 * 1024);
  });

  it('carries 20 MB from a client to a backend that reads slowly, intact', async () => {
    const payload = randomBytes(BIG);
    let backendSocket!: (s: net.Socket) => void;
    const accepted = new Promise<net.Socket>((r) => (backendSocket = r));
    const backend = await rawBackend((socket) => {
      socket.on('error', () => {});
      socket.pause(); // reads nothing until the client is stuck
      backendSocket(socket);
    });
    const { port } = await startBalancer({ backends: [at({ port: backend })] });

    const client = net.connect({ host: '127.0.0.1', port });
    onCleanup(() => void client.destroy());
    client.on('error', () => {});
    const closedEarly = new Promise<void>((r) => client.once('close', () => r()));
    const writer = pump(client, payload);
    await stalledOrDone(writer);
    const socket = await Promise.race([accepted, closedEarly]);
    expect(socket, exchange({ sent: 'one connection', expected: 'it to reach the backend', received: 'the balancer closed it' })).toBeTruthy();
    const result = await slowRead(socket as net.Socket, 'the 20 MB upload at the backend');

    expect(
      result,
      exchange({
        sent: `the client writes ${showBytes(BIG)} of random binary, then ends; the backend reads nothing, then reads slowly`,
        expected: `all ${BIG} bytes at the backend with sha256 ${sha256(payload).slice(0, 16)}…, then end`,
        received: `${result.size} bytes with sha256 ${result.hash.slice(0, 16)}…`,
      }),
    ).toEqual({ size: BIG, hash: sha256(payload) });
  });

  it('keeps 50 simultaneous connections apart, each byte for byte, spread evenly', async () => {
    const backends = await startBackends(randomInt(2, 5));
    const { port } = await startBalancer({ backends: backends.map(at) });

    const payloads = Array.from({ length: 50 }, () => randomBytes(randomInt(1, 64 * 1024)));
    const clients = payloads.map((p, i) => {
      const client = dial(port, `connection #${i + 1}`);
      client.socket.end(p);
      return client;
    });
    await Promise.all(clients.map((c) => c.whenEnded('the echo and the end', 4_000).catch(() => {})));

    const wrong: string[] = [];
    const ids: string[] = [];
    for (const [i, client] of clients.entries()) {
      const id = await greeting(client);
      ids.push(id);
      const expected = Buffer.concat([Buffer.from(`hello ${id}\n`), payloads[i]!]);
      if (!client.ended || !client.data.equals(expected)) wrong.push(`#${i + 1} sent ${showBytes(payloads[i]!.length)}; ${client.describe()}`);
    }
    expect(
      wrong,
      exchange({
        sent: '50 connections at once, each writing its own random binary (up to 64 KB) and then ending',
        expected: 'each to get its greeting, then exactly its own bytes echoed, then end',
        received: `${wrong.length} wrong, e.g.\n            ${wrong.slice(0, 3).join('\n            ')}`,
      }),
    ).toEqual([]);
    const counts = backends.map((b) => ids.filter((id) => id === b.id).length);
    const even = counts.every((n) => Math.abs(n - 50 / backends.length) < 1);
    expect(
      even,
      exchange({
        sent: `50 connections at once to ${backends.length} backends`,
        expected: `round robin: ${Math.floor(50 / backends.length)} or ${Math.ceil(50 / backends.length)} connections each`,
        received: backends.map((b, i) => `${b.id}=${counts[i]}`).join(' '),
      }),
    ).toBe(true);
  });

  it("passes the client's half-close to the backend and still delivers the backend's reply", async () => {
    const [backend] = await startBackends(1, (socket, b) => {
      // Answers only after the client has finished sending, like a server reading a request to EOF.
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => socket.end(`${b.id} got ${sha256(Buffer.concat(chunks)).slice(0, 16)}\n`));
    });
    const { port } = await startBalancer({ backends: [at(backend!)] });

    const body = randomBytes(randomInt(1, 64 * 1024));
    const client = dial(port);
    client.socket.end(body);
    const expected = `${backend!.id} got ${sha256(body).slice(0, 16)}\n`;
    const sent = `${showBytes(body.length)}, then end() (FIN: "I am done sending, still listening")`;
    await client.whenEnded('the reply, then end').catch(() => {});
    expect(
      client.data.toString('latin1'),
      exchange({ sent, expected: `the backend to see the end and reply ${JSON.stringify(expected)}`, received: client.describe() }),
    ).toBe(expected);
  });

  it("passes the backend's half-close to the client and still delivers the client's bytes", async () => {
    const [backend] = await startBackends(1, (socket, b) => void socket.end(`hello ${b.id}\n`));
    const { port } = await startBalancer({ backends: [at(backend!)] });

    const client = dial(port, 'the client', { allowHalfOpen: true });
    await client.whenEnded('the greeting, then end (the backend is done sending)');
    const body = randomBytes(randomInt(1, 64 * 1024));
    client.socket.end(body);
    const conn = backend!.connections[0]!;
    expect(conn, exchange({ sent: 'one connection', expected: 'it to reach the backend', received: client.describe() })).toBeDefined();
    await conn.tap.whenEnded(`the client's ${showBytes(body.length)}, then end`).catch(() => {});
    expect(
      conn.tap.ended && conn.tap.data.equals(body),
      exchange({
        sent: `the backend greets and ends its side at once; after that end reaches the client, the client writes ${showBytes(body.length)} and ends`,
        expected: `the backend to still receive all ${showBytes(body.length)}, then end`,
        received: conn.tap.describe(),
      }),
    ).toBe(true);
  });

  it.each(['client', 'backend'] as const)('closes the other side when the %s resets the connection', async (who) => {
    const backends = await startBackends(randomInt(1, 3));
    const { port } = await startBalancer({ backends: backends.map(at) });

    const client = dial(port);
    const id = await greeting(client);
    const conn = backends.find((b) => b.id === id)?.connections[0];
    expect(conn, exchange({ sent: 'one connection', expected: 'a greeting from a backend', received: id })).toBeDefined();
    const [resetter, other]: [Tap, Tap] = who === 'client' ? [client, conn!.tap] : [conn!.tap, client];
    const otherName = who === 'client' ? 'backend' : 'client';
    // RST: an abort, not a polite end. (A plain destroy where a runtime cannot send a reset.)
    try {
      resetter.socket.resetAndDestroy();
    } catch {
      resetter.socket.destroy();
    }
    const closed = await other.whenClosed(`the ${otherName}'s connection to close`).then(
      () => true,
      () => false,
    );
    expect(
      closed,
      exchange({
        sent: `an open connection; then the ${who} sends a TCP reset`,
        expected: `the balancer to close its connection to the ${otherName} too`,
        received: `the ${otherName}'s connection still open ${WAIT_MS} ms later (${other.describe()})`,
      }),
    ).toBe(true);
  });
});
