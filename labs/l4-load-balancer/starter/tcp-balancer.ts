import net from 'node:net';

// Your TCP (layer 4) load balancer. The tests call createTcpBalancer(config), listen on `server`
// at 127.0.0.1 on a random port, connect to it, and call close() when they are done. Backends
// are plain TCP servers: you never parse what they say, you only move bytes.
// Try it yourself: start two `nc -lk 9001` / `nc -lk 9002`, call server.listen(9000), `nc localhost 9000`.

/** How the balancer picks a backend for each new connection. */
export type Algorithm = 'round-robin' | 'least-connections';

/** Where a backend listens, e.g. `{ host: '127.0.0.1', port: 9001 }`. */
export interface BackendAddress {
  host: string;
  port: number;
}

export interface TcpBalancerConfig {
  /** The pool, like the `server` lines of an nginx `upstream` block inside `stream { }`. */
  backends: BackendAddress[];
  /**
   * 'round-robin' (the default): each new connection goes to the next backend in the order
   * listed, starting with the first. 'least-connections' (stage 4): to a backend with the fewest
   * open connections right now; any of them on a tie.
   */
  algorithm?: Algorithm;
  /**
   * Stage 3. A backend that refuses a connection is skipped for this many milliseconds, then
   * tried again. Default 10 000.
   */
  cooldownMs?: number;
  /**
   * Stage 3. The current time in milliseconds; default `Date.now`. Read the time only through
   * this: tests pass a fake clock and move it forward instead of waiting. So remember *until
   * when* a backend is down and compare when choosing; do not start a timer to bring it back.
   */
  now?: () => number;
}

/** 'down' while cooling down after a refusal (stage 3); 'draining' after drain() (stage 4). */
export type BackendState = 'up' | 'down' | 'draining';

/** One entry of stats(), in the order of `config.backends`. */
export interface BackendStats extends BackendAddress {
  /** Client connections this backend is serving right now (count one from the moment you pick it). */
  active: number;
  state: BackendState;
}

export interface TcpBalancer {
  /** Not listening yet: the tests call `server.listen(0, '127.0.0.1')` themselves. */
  server: net.Server;
  /** Stage 4: live numbers per backend, like HAProxy's stats page. */
  stats(): BackendStats[];
  /**
   * Stage 4: stop sending new connections to this backend; the ones it has keep working.
   * Resolves once its last connection has closed (at once if it has none), so an operator can
   * then safely take it down for maintenance.
   */
  drain(backend: BackendAddress): Promise<void>;
  /** Stops accepting and destroys every open connection, both the client's and the backend's. */
  close(): void;
}

/**
 * Builds the balancer. What each stage adds:
 * 1. connect every client to a backend, in turn, and copy bytes both ways unchanged;
 * 2. under backpressure, with half-close (FIN) passed on and a reset on either side closing the other;
 * 3. skip a backend that refuses, keep it out for `cooldownMs`, close the client if none is left;
 * 4. count connections per backend, 'least-connections', and drain();
 * (stage 5 is the UDP balancer in udp-balancer.ts).
 */
export function createTcpBalancer(config: TcpBalancerConfig): TcpBalancer {
  // TODO: per-backend state: open connections, down until when, draining?
  void config;

  // allowHalfOpen: true keeps our side writable after the client sends FIN (stage 2).
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    // TODO: pick a backend, net.connect() to it, and copy bytes both ways.
    client.destroy();
  });

  return {
    server,
    stats() {
      // TODO (stage 4)
      return [];
    },
    drain() {
      // TODO (stage 4)
      return Promise.resolve();
    },
    close() {
      server.close();
      // TODO: destroy every socket you opened or accepted.
    },
  };
}
