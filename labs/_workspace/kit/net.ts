import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { onCleanup } from './cleanup.ts';

type AnyServer = HttpServer | NetServer;

// Sockets each listening server has accepted, so closeServer() can end them whoever calls it.
const tracked = new WeakMap<AnyServer, Set<Socket>>();

/**
 * Listens on 127.0.0.1 port 0, registers the server for cleanup, and resolves with the port.
 * Rejects with a teaching message if the learner's code returned something that is not a server.
 */
export async function listen(server: AnyServer, what = 'the server'): Promise<number> {
  if (!server || typeof (server as NetServer).listen !== 'function') {
    throw new Error(`Expected ${what} to be a net.Server or http.Server, but got ${describe(server)}.`);
  }
  const sockets = new Set<Socket>();
  tracked.set(server, sockets);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  onCleanup(() => closeServer(server, sockets));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${what} did not get a TCP port`);
  return address.port;
}

/** Closes a server and destroys its open connections so a hung handler cannot keep it alive. */
export function closeServer(server: AnyServer, sockets?: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    // Sockets first, even when learner code already closed the server: its open connections
    // would otherwise outlive the test.
    for (const s of sockets ?? tracked.get(server) ?? []) s.destroy();
    if (!server.listening) return resolve();
    (server as HttpServer).closeAllConnections?.();
    const timer = setTimeout(resolve, 1_000);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A port that nothing listens on right now: bound, read, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (did the function forget to return the server?)';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `${typeof value} ${String(value)}`;
}
