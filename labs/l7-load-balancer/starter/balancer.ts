import http from 'node:http';

// Your HTTP (layer 7) load balancer. The tests call createLoadBalancer(config), listen on
// `server` at 127.0.0.1 on a random port, send it requests, and call stop() when they are done.
// Run it yourself with a tiny script that starts two backends and calls server.listen(8080).

/** How a pool picks a backend for the next request. */
export type Algorithm = 'round-robin' | 'least-connections';

/** One backend server, e.g. `{ host: '127.0.0.1', port: 9001, weight: 3 }`. */
export interface BackendConfig {
  host: string;
  port: number;
  /**
   * Share of traffic under round robin; defaults to 1. Weights 5, 1, 1 must give the smooth order
   * a a b a c a a that nginx uses, not a burst of five a's (stage 2).
   */
  weight?: number;
}

/** A group of interchangeable backends, like an nginx `upstream` block or an HAProxy `backend`. */
export interface PoolConfig {
  backends: BackendConfig[];
  /**
   * 'round-robin' (the default) goes through the backends in the order listed, honouring weights.
   * 'least-connections' picks a backend with the fewest requests still in flight (stage 2).
   */
  algorithm?: Algorithm;
  /**
   * Stage 5. When set, this pool only serves requests whose Host header, without any `:port`,
   * equals it (case-insensitive). Pools with a host are preferred over pools without one.
   */
  host?: string;
  /** Stage 5. This pool only serves paths starting with this; defaults to '/'. Longest prefix wins. */
  pathPrefix?: string;
}

/** Stage 3: ask every backend `GET path` every `intervalMs`; a 2xx means healthy, anything else down. */
export interface HealthCheckConfig {
  path: string;
  intervalMs: number;
}

export interface LoadBalancerConfig {
  /** Stages 1–4 pass one pool; stage 5 passes several and routes between them. */
  pools: PoolConfig[];
  /** Stage 3. No active health checks when absent. */
  healthCheck?: HealthCheckConfig;
  /**
   * Stage 4. Name of the cookie that pins a client to a backend; no stickiness when absent.
   * Its value must be opaque: never the backend's address or port.
   */
  stickyCookie?: string;
}

export interface LoadBalancer {
  /** The tests call `server.listen(0, '127.0.0.1')` themselves, and close it. */
  server: http.Server;
  /** Stops background work such as health-check timers. Does not close `server`. */
  stop(): void;
}

/**
 * Builds the balancer. What each stage adds:
 * 1. forward each request to the pool's backends in strict rotation, starting with the first,
 *    and relay the backend's status, headers and body back;
 * 2. smooth weighted round robin, and 'least-connections';
 * 3. passive health (a backend that fails is marked down; GET/HEAD retried once on another,
 *    anything else answered 502), active health checks, 503 when no backend is healthy;
 * 4. the sticky cookie;
 * 5. routing by Host and longest path prefix (404 when no pool matches), and X-Forwarded-For.
 */
export function createLoadBalancer(config: LoadBalancerConfig): LoadBalancer {
  // TODO: keep per-backend state here (healthy? requests in flight? weight so far?).
  void config;

  const server = http.createServer((req, res) => {
    // TODO: pick a pool and a backend, then forward the request with http.request()
    // and pipe the backend's response back to `res`.
    req.resume();
    res.writeHead(501, { 'content-type': 'text/plain' });
    res.end('not implemented yet: forward this request to a backend\n');
  });

  return {
    server,
    stop() {
      // TODO: clear your health-check timer here.
    },
  };
}
