import net from 'node:net';
import { closeServer, listen, onCleanup, preview, randomWord, showBytes } from '../kit/index.ts';
import { createTcpBalancer, type TcpBalancer, type TcpBalancerConfig } from '../src/tcp-balancer.ts';

// Helpers shared by the TCP stages. Backends speak a tiny line protocol: on connect they greet
// with "hello <id>\n" (the server speaks first, as in SMTP or MySQL), then echo every byte back
// and end when the client ends. The greeting tells a test which backend a connection reached.

/** Bounds for waits that only turn "nothing ever came" into a message instead of a hang. */
export const WAIT_MS = 2_000;

/** Watches a socket's incoming side: every byte, 'end' and 'close', with waits that explain. */
export class Tap {
  chunks: Buffer[] = [];
  size = 0;
  ended = false;
  closed = false;
  error: string | undefined;
  private waiters = new Set<() => void>();

  constructor(
    readonly socket: net.Socket,
    readonly who: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.size += chunk.length;
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (this.error = err.code ?? err.message));
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  get data(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** What has happened so far, for the "Received:" part of a message. */
  describe(): string {
    const how = this.closed ? `, then it closed${this.error ? ` (${this.error})` : ''}` : this.ended ? ', then end' : '';
    return `${this.who} got ${this.size === 0 ? 'no bytes' : preview(this.data, 60)}${how}`;
  }

  /** Resolves once `done()` holds; rejects as soon as it cannot (closed) or after `ms`. */
  until(done: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) finish();
        else if (this.closed) finish(`the connection closed first: ${this.describe()}`);
      };
      const finish = (problem?: string) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (problem) reject(new Error(`Expected ${what}, but ${problem}.`));
        else resolve();
      };
      const timer = setTimeout(() => finish(`nothing more came within ${ms} ms: ${this.describe()}`), ms);
      this.waiters.add(check);
      check();
    });
  }

  /** Exactly the first `n` bytes, once they are all here. */
  async bytes(n: number, what: string, ms?: number): Promise<Buffer> {
    await this.until(() => this.size >= n, what, ms);
    return this.data.subarray(0, n);
  }

  /** Resolves when the other side has closed its sending half (FIN) or the socket closed. */
  whenEnded(what: string, ms?: number): Promise<void> {
    return this.until(() => this.ended, what, ms);
  }

  /** Resolves when the socket has fully closed. */
  whenClosed(what: string, ms = WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.closed) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Expected ${what} within ${ms} ms, but it is still open: ${this.describe()}.`));
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** A connection to the balancer; destroyed after the test whatever happened. */
export function dial(port: number, who = 'the client', opts: { allowHalfOpen?: boolean } = {}): Tap {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: opts.allowHalfOpen ?? false });
  onCleanup(() => void socket.destroy());
  return new Tap(socket, who);
}

/** The backend id from a "hello <id>\n" greeting, or a short note saying what came instead. */
export async function greeting(tap: Tap): Promise<string> {
  try {
    await tap.until(() => tap.data.includes(10), 'a greeting line', WAIT_MS);
  } catch {
    return tap.closed ? `(closed${tap.size ? ` after ${showBytes(tap.size)}` : ', no greeting'})` : '(no greeting)';
  }
  const line = tap.data.subarray(0, tap.data.indexOf(10)).toString('latin1');
  return line.startsWith('hello ') ? line.slice(6) : `(${JSON.stringify(line)})`;
}

/** The greeting line's length for backend `id`, so a test can skip past it. */
export const greetingLength = (id: string) => `hello ${id}\n`.length;

export type BackendConnection = { socket: net.Socket; tap: Tap };

export type Backend = {
  id: string;
  port: number;
  server: net.Server;
  /** Every connection this backend accepted, in order. */
  connections: BackendConnection[];
  /** Connections not closed yet. */
  open(): BackendConnection[];
};

export type Handler = (socket: net.Socket, backend: Backend) => void;

/** Greets, echoes, and ends its side when the client ends its side. */
export const greetAndEcho: Handler = (socket, backend) => {
  socket.write(`hello ${backend.id}\n`);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('end', () => socket.end());
};

/** Starts a backend on a random port, or on `port` (to bring back one that used to refuse). */
export async function startBackend(id: string, handler: Handler = greetAndEcho, port?: number): Promise<Backend> {
  const backend = { id, connections: [] as BackendConnection[] } as unknown as Backend;
  // allowHalfOpen: a backend may still answer after the client has finished sending.
  backend.server = net.createServer({ allowHalfOpen: true }, (socket) => {
    backend.connections.push({ socket, tap: new Tap(socket, `backend ${id}`) });
    handler(socket, backend);
  });
  backend.open = () => backend.connections.filter((c) => !c.tap.closed);
  backend.port = port === undefined ? await listen(backend.server, `test backend ${id}`) : await listenOn(backend.server, port);
  return backend;
}

/** kit's listen() on a chosen port: the same cleanup, but the port is ours to pick. */
async function listenOn(server: net.Server, port: number): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  onCleanup(() => closeServer(server, sockets));
  return port;
}

/** `n` backends with distinct random ids. */
export async function startBackends(n: number, handler?: Handler): Promise<Backend[]> {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(randomWord(2));
  return Promise.all([...ids].map((id) => startBackend(id, handler)));
}

/** The config entry for a port on 127.0.0.1. */
export const at = (b: { port: number }) => ({ host: '127.0.0.1', port: b.port });

/** Builds the learner's balancer, listens on a random port, and closes everything after the test. */
export async function startBalancer(config: TcpBalancerConfig): Promise<{ lb: TcpBalancer; port: number }> {
  const lb = createTcpBalancer(config);
  // Registered before listen(): cleanups run newest first, so the server closes, then close() runs.
  onCleanup(() => lb?.close?.());
  return { lb, port: await listen(lb?.server, 'createTcpBalancer(config).server') };
}

/** A fake clock for `now`: tests move it instead of waiting. Starts at a random, large time. */
export function fakeClock(start: number): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Polls `read` (no event exists for it) until `ok`; returns the last value either way. */
export async function settle<T>(read: () => T, ok: (value: T) => boolean, ms = 1_000): Promise<T> {
  const until = Date.now() + ms;
  let value = read();
  while (!ok(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    value = read();
  }
  return value;
}

/** A readable list, shortened after `max`. */
export function list(items: string[], max = 20): string {
  return items.length > max ? `${items.slice(0, max).join(' ')} … (${items.length} in all)` : items.join(' ');
}

/** Compares two buffers without printing megabytes: "identical", or where they first differ. */
export function sameBytes(expected: Buffer, got: Buffer): string {
  if (expected.equals(got)) return 'identical';
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  return `${showBytes(got.length)} instead of ${showBytes(expected.length)}; first difference at byte ${i}`;
}
