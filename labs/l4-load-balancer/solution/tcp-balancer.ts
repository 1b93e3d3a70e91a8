import net from 'node:net';

// A TCP (layer 4) load balancer: it accepts a connection, picks a backend, opens one connection
// to it, and then copies bytes both ways until both sides are done. It never looks inside the
// bytes, so it works for any protocol on top of TCP: HTTP, TLS it cannot decrypt, databases, SSH.

export type Algorithm = 'round-robin' | 'least-connections';

/** Where a backend listens. */
export interface BackendAddress {
  host: string;
  port: number;
}

export interface TcpBalancerConfig {
  backends: BackendAddress[];
  /** Defaults to 'round-robin'. */
  algorithm?: Algorithm;
  /** How long a backend that refused a connection stays out of rotation. Default 10 000 ms. */
  cooldownMs?: number;
  /** The clock for cool-downs, in milliseconds. Default Date.now; tests pass a fake one. */
  now?: () => number;
}

export type BackendState = 'up' | 'down' | 'draining';

export interface BackendStats extends BackendAddress {
  /** Client connections currently assigned to this backend, connecting ones included. */
  active: number;
  state: BackendState;
}

export interface TcpBalancer {
  server: net.Server;
  stats(): BackendStats[];
  drain(backend: BackendAddress): Promise<void>;
  close(): void;
}

interface Backend extends BackendAddress {
  active: number;
  /** Out of rotation until the clock reaches this (nginx: fail_timeout; HAProxy: a failed check). */
  downUntil: number;
  draining: boolean;
  /** drain() promises waiting for `active` to reach 0. */
  onIdle: Array<() => void>;
}

export function createTcpBalancer(config: TcpBalancerConfig): TcpBalancer {
  const now = config.now ?? Date.now;
  const cooldownMs = config.cooldownMs ?? 10_000;
  const algorithm = config.algorithm ?? 'round-robin';
  const backends: Backend[] = config.backends.map(({ host, port }) => ({
    host,
    port,
    active: 0,
    downUntil: -Infinity,
    draining: false,
    onIdle: [],
  }));
  const sockets = new Set<net.Socket>();
  // Where the next scan starts: round robin moves it past each pick, and least connections uses
  // it to break ties, so equally loaded backends take turns instead of the first one taking all.
  let cursor = 0;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Errors are handled through 'close' (hadError); without a listener one would crash the process.
    socket.on('error', () => {});
  };

  const usable = (b: Backend) => !b.draining && now() >= b.downUntil;

  function choose(tried: Set<Backend>): Backend | undefined {
    let best: Backend | undefined;
    let bestIndex = 0;
    for (let i = 0; i < backends.length; i++) {
      const index = (cursor + i) % backends.length;
      const b = backends[index]!;
      if (!usable(b) || tried.has(b)) continue;
      if (algorithm === 'round-robin') return pickAt(b, index);
      if (!best || b.active < best.active) [best, bestIndex] = [b, index];
    }
    return best && pickAt(best, bestIndex);
  }

  function pickAt(b: Backend, index: number): Backend {
    cursor = (index + 1) % backends.length;
    return b;
  }

  function release(b: Backend): void {
    b.active--;
    if (b.active === 0) for (const resolve of b.onIdle.splice(0)) resolve();
  }

  /** Connects `client` to the next usable backend it has not tried yet, or closes it. */
  function connect(client: net.Socket, tried: Set<Backend>): void {
    const backend = choose(tried);
    if (!backend) {
      // Nobody to talk to: say so at once rather than leave the client waiting on silence.
      client.destroy();
      return;
    }
    tried.add(backend);
    backend.active++;
    // allowHalfOpen: when the backend finishes sending (FIN), we may still have client bytes for it.
    const upstream = net.connect({ host: backend.host, port: backend.port, allowHalfOpen: true });
    track(upstream);
    upstream.once('close', () => release(backend));
    const clientGone = () => upstream.destroy();
    client.once('close', clientGone);

    const refused = () => {
      // Passive health check: a refused connect is proof enough. Note when, not a timer: the
      // backend comes back into rotation by itself once the clock passes downUntil.
      backend.downUntil = now() + cooldownMs;
      client.off('close', clientGone);
      // The client's early bytes are still waiting unread in its socket: nothing is lost.
      if (!client.destroyed) connect(client, tried);
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      client.off('close', clientGone);
      splice(client, upstream);
    });
  }

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    // Connect at once, before the client says anything: in SMTP, MySQL or SSH the server speaks first.
    connect(client, new Set());
  });

  return {
    server,
    stats: () =>
      backends.map((b) => ({
        host: b.host,
        port: b.port,
        active: b.active,
        state: b.draining ? 'draining' : usable(b) ? 'up' : 'down',
      })),
    drain(address) {
      const b = backends.find((x) => x.host === address.host && x.port === address.port);
      if (!b) return Promise.reject(new Error(`no backend ${address.host}:${address.port}`));
      b.draining = true;
      return b.active === 0 ? Promise.resolve() : new Promise((resolve) => b.onIdle.push(resolve));
    },
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** Copies bytes both ways between two connected sockets until both directions are done. */
function splice(a: net.Socket, b: net.Socket): void {
  // pipe() is the backpressure: when the writer's buffer is full it pauses the reader, and TCP
  // flow control then slows the sender. It also passes on a half-close: end of input → end().
  a.pipe(b);
  b.pipe(a);
  const follow = (other: net.Socket) => (hadError: boolean) => {
    // Both directions of `other` already ended: it is only flushing its last bytes, let it.
    if (!hadError && other.readableEnded && other.writableEnded) return;
    // Otherwise nobody is left to talk to. Pass a reset on as a reset, so a backend does not
    // take a crashed client's half-sent upload for a complete one.
    if (hadError && !other.destroyed) abort(other);
    else other.destroy();
  };
  a.once('close', follow(b));
  b.once('close', follow(a));
}

/** Closes with a TCP reset (RST), or with a plain close where the runtime cannot send one. */
function abort(socket: net.Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
