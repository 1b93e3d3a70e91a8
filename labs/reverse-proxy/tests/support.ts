import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import { listen, onCleanup, preview, randomInt, randomWord, showBytes, type Received } from '../kit/index.ts';
import { createReverseProxy, type ProxyConfig } from '../src/proxy.ts';

// Helpers shared by the reverse-proxy stages. The kit's request() buffers whole responses; the
// streaming and failure stages need to watch bytes as they move, so those helpers live here.

/** Starts the learner's proxy on 127.0.0.1:0 (closed after the test) and returns its port. */
export async function startProxy(config: ProxyConfig): Promise<number> {
  return listen(createReverseProxy(config), 'the value returned by createReverseProxy(config)');
}

/** The upstream URL a route expects. */
export function origin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** A random lower-case header name that no proxy could know in advance, e.g. "x-kalo-mire". */
export function randomHeaderName(): string {
  return `x-${randomWord(2)}-${randomWord(2)}`;
}

/** "x-kalo-mire" → "X-KALO-mire": header names are case-insensitive, so tests vary the case. */
export function shout(name: string): string {
  return name.replace(/^x-[a-z]+/, (m) => m.toUpperCase());
}

/** A random IPv4 address from the documentation ranges (RFC 5737). */
export function randomIp(): string {
  const net24 = ['192.0.2', '198.51.100', '203.0.113'][randomInt(0, 2)];
  return `${net24}.${randomInt(1, 254)}`;
}

/** A promise plus the functions that settle it, for "wait until X happened" without sleeping. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits for `promise`, or fails with `message` after `ms` so a stuck proxy gives a readable failure. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An upstream whose handler runs as soon as the request head arrives (body not read yet). */
export async function rawUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  return listen(http.createServer(handler), 'the test upstream');
}

/** A TCP server that is not HTTP at all: `onSocket` decides what each connection gets. */
export async function tcpUpstream(onSocket: (socket: net.Socket) => void): Promise<number> {
  return listen(
    net.createServer((socket) => {
      socket.on('error', () => {}); // a reset from the proxy is expected here, not a test failure
      onSocket(socket);
    }),
    'the test upstream',
  );
}

/** How a response ended: with a complete message, or broken off by a reset/close. */
export type Ending =
  | { kind: 'complete'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'broken'; status: number; body: Buffer; error: string };

/** A request in flight that a test can watch byte by byte, write to, and abandon. */
export type Watched = {
  req: http.ClientRequest;
  /** Resolves once at least `n` response body bytes have arrived (with the status and bytes so far). */
  bytes(n: number): Promise<{ status: number; body: Buffer }>;
  /** Resolves when the exchange ends, either way. */
  ending: Promise<Ending>;
};

/**
 * Sends a request through the proxy without ending it (unless `end` is true) and records the
 * response as it streams. The request is destroyed after the test, whatever happened.
 */
export function watch(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; end?: boolean },
): Watched {
  const chunks: Buffer[] = [];
  let size = 0;
  let status = 0;
  const waiters: Array<{ n: number; resolve: (v: { status: number; body: Buffer }) => void }> = [];
  const flush = () => {
    for (const w of [...waiters]) {
      if (size >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve({ status, body: Buffer.concat(chunks) });
      }
    }
  };

  const req = http.request({
    host: '127.0.0.1',
    port,
    method: opts.method ?? 'GET',
    path: opts.path,
    headers: opts.headers,
    agent: false,
  });
  onCleanup(() => {
    req.destroy();
  });

  const ending = new Promise<Ending>((resolve) => {
    const broken = (error: string) => resolve({ kind: 'broken', status, body: Buffer.concat(chunks), error });
    req.on('error', (err) => broken(err.message));
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      flush();
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        flush();
      });
      res.on('error', () => {}); // reported through 'close' below
      res.on('close', () => {
        if (res.complete) resolve({ kind: 'complete', status, headers: res.headers, body: Buffer.concat(chunks) });
        else broken('the connection closed before the response was complete');
      });
    });
  });

  if (opts.end ?? true) req.end();
  return {
    req,
    ending,
    bytes: (n) => {
      const p = new Promise<{ status: number; body: Buffer }>((resolve) => waiters.push({ n, resolve }));
      flush();
      return p;
    },
  };
}

/** One line about a response, for the "Received:" part of a message. */
export function showReceived(r: Pick<Received, 'status' | 'body'>): string {
  return `${r.status} with body ${preview(r.body, 60)}`;
}

/** Compares two buffers without printing megabytes: "identical", or where they first differ. */
export function sameBytes(expected: Buffer, got: Buffer): string {
  if (expected.equals(got)) return 'identical';
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  return `${count(got.length)} instead of ${count(expected.length)}; first difference at byte ${i}`;
}

function count(n: number): string {
  return n < 1024 ? showBytes(n) : `${showBytes(n)} (${n} bytes)`;
}

/** Splits a comma-separated header ("a, b,c") into trimmed entries. */
export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}
