import net from 'node:net';
import { listen, onCleanup, preview, randomInt, randomWord, showBytes, type Received } from '../kit/index.ts';
import { createForwardProxy, type LogEntry, type ProxyConfig } from '../src/proxy.ts';

// Helpers shared by the forward-proxy stages: the proxy under test, a fake DNS so no test ever looks
// up a real name, an access-log recorder, and a raw CONNECT client (kit's request() speaks only
// plain HTTP exchanges; a tunnel is a TCP stream after its first response).

/** A name under the reserved .test TLD (RFC 6761), e.g. "kalomi.rusa.test". Only the fake DNS knows it. */
export function randomHost(): string {
  return `${randomWord()}.${randomWord(2)}.test`;
}

/**
 * The resolver the tests hand to the proxy as config.resolve: every *.test name and 127.0.0.1 resolve
 * to 127.0.0.1, names passed to fail() do not exist, and nothing ever reaches a real DNS server.
 */
export function fakeDns() {
  const asked: string[] = [];
  const missing = new Set<string>();
  const resolve = async (hostname: string): Promise<string> => {
    asked.push(hostname);
    const name = String(hostname).toLowerCase().replace(/\.$/, '');
    if (name === '127.0.0.1' || (name.endsWith('.test') && !missing.has(name))) return '127.0.0.1';
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  };
  return { resolve, asked, fail: (name: string) => void missing.add(name) };
}

/** Starts the learner's proxy on 127.0.0.1:0 (closed after the test). Without config.resolve, a fake DNS. */
export async function startProxy(config: ProxyConfig = {}): Promise<number> {
  const server = createForwardProxy({ resolve: fakeDns().resolve, ...config });
  return listen(server, 'the value returned by createForwardProxy(config)');
}

/** "ads.kalo.test" → "aDs.KaLo.TeSt": host names ignore letter case, so tests vary it. */
export function mixCase(s: string): string {
  return [...s].map((c) => (randomInt(0, 1) ? c.toUpperCase() : c)).join('');
}

/** An absolute-form URL for a test origin: "http://<host>:<port><path>". */
export function url(host: string, port: number, path: string): string {
  return `http://${host}:${port}${path}`;
}

/** A random lower-case header name that no proxy could know in advance, e.g. "x-kalo-mire". */
export function randomHeaderName(): string {
  return `x-${randomWord(2)}-${randomWord(2)}`;
}

/** A random IPv4 address from the documentation ranges (RFC 5737). */
export function randomIp(): string {
  return `${['192.0.2', '198.51.100', '203.0.113'][randomInt(0, 2)]}.${randomInt(1, 254)}`;
}

/** Waits for `promise`, or fails with `message` after `ms` so a stuck proxy gives a readable failure. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Records config.log calls; `count(n)` resolves once n entries have arrived. */
export function logBook() {
  const entries: LogEntry[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const log = (entry: LogEntry) => {
    entries.push(entry);
    for (const w of waiters.filter((w) => entries.length >= w.n)) w.resolve();
  };
  const count = (n: number, what: string) =>
    within(
      new Promise<LogEntry[]>((resolve) => {
        if (entries.length >= n) resolve(entries);
        else waiters.push({ n, resolve: () => resolve(entries) });
      }),
      2_000,
      `Expected config.log to have been called ${n} time(s) after ${what}, but it was called ${entries.length} time(s) within 2 s.`,
    );
  return { log, entries, count };
}

/** One line about a response, for the "Received:" part of a message. */
export function showReceived(r: Pick<Received, 'status' | 'body'>): string {
  return `${r.status} with body ${preview(r.body, 70)}`;
}

/** Compares two buffers without printing megabytes: "identical", or where they first differ. */
export function sameBytes(expected: Buffer, got: Buffer): string {
  if (expected.equals(got)) return 'identical';
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  return `${got.length} bytes instead of ${expected.length} (${showBytes(expected.length)}); first difference at byte ${i}`;
}

/** Splits a comma-separated header ("a, b,c") into trimmed entries. */
export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((v) => v.trim()).filter(Boolean);
}

/** A plain TCP server standing in for an HTTPS site behind a tunnel; `onSocket` decides what it does. */
export async function tcpTarget(onSocket: (socket: net.Socket) => void) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {}); // a reset from the proxy is a test outcome, not a crash
    onSocket(socket);
  });
  return { port: await listen(server, 'the test target'), sockets };
}

/** The proxy's answer to a CONNECT: status line and headers, then the socket that may now be a tunnel. */
export type Tunnel = {
  status: number;
  statusLine: string;
  headers: Record<string, string>;
  socket: net.Socket;
  /** Bytes that arrived right behind the response head (tunnel data, or an error body). */
  initial: Buffer;
  /** "CONNECT host:port HTTP/1.1" plus headers, for messages. */
  sent: string;
};

/**
 * Sends `CONNECT authority HTTP/1.1` over a fresh TCP connection (plus `early` bytes in the same
 * write) and resolves once the response head has arrived, with the socket paused. If the proxy
 * closes without a complete head, status is 0 and statusLine says what did arrive.
 */
export function connect(port: number, authority: string, headers: Record<string, string> = {}, early?: Buffer): Promise<Tunnel> {
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  const sent = lines.join('\n    ');
  const socket = net.connect(port, '127.0.0.1');
  onCleanup(() => void socket.destroy());
  socket.on('error', () => {}); // resets show up as 'close'; the tests check what arrived
  socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), early ?? Buffer.alloc(0)]));

  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData).off('close', onClose);
      socket.pause(); // keep what follows for the test
      const [statusLine = '', ...rest] = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of rest) {
        const colon = line.indexOf(':');
        if (colon > 0) parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      resolve({ status, statusLine, headers: parsed, socket, initial: buffered.subarray(end + 4), sent });
    };
    const onClose = () => {
      const got = buffered.length ? `only ${JSON.stringify(buffered.toString('latin1').slice(0, 80))}` : 'nothing';
      resolve({ status: 0, statusLine: `(connection closed after ${got})`, headers: {}, socket, initial: Buffer.alloc(0), sent });
    };
    socket.on('data', onData).on('close', onClose);
  });
}

/** Everything a socket delivers until its far side ends it (or it closes), after `initial`. */
export function readAll(socket: net.Socket, initial: Buffer = Buffer.alloc(0)): Promise<Buffer> {
  const chunks = [initial];
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(chunks));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', done).once('close', done);
    socket.resume();
  });
}

/** Resolves when `socket` has seen the far side's FIN ('end') or has closed, whichever comes first. */
export function ended(socket: net.Socket): Promise<void> {
  if (socket.readableEnded || socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('end', () => resolve()).once('close', () => resolve());
    socket.resume(); // 'end' only fires once everything before it has been read
  });
}

/** A Proxy-Authorization value for Basic credentials. */
export function basic(user: string, password: string, scheme = 'Basic'): string {
  return `${scheme} ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** A password that needs care: it contains a colon, so only the first colon separates user and password. */
export function randomPassword(): string {
  return `${randomWord(2)}:${randomWord(2)}${randomInt(10, 99)}!`;
}

/** The body of a refusal to CONNECT: Content-Length bytes if it says so, else up to the close. */
export function readBody(tunnel: Tunnel): Promise<Buffer> {
  const length = Number(tunnel.headers['content-length'] ?? NaN);
  const chunks = [tunnel.initial];
  let size = tunnel.initial.length;
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(chunks));
    if (size >= length) return done();
    tunnel.socket.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= length) done();
    });
    tunnel.socket.once('end', done).once('close', done);
    tunnel.socket.resume();
  });
}

/** A promise plus the function that settles it, for "wait until X happened" without sleeping. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
