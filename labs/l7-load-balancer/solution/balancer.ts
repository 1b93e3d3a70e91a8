import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

// An HTTP (layer 7) load balancer: it terminates the client's connection, reads the request,
// picks a pool by Host and path, picks a backend in that pool, and opens its own connection to it.

export type Algorithm = 'round-robin' | 'least-connections';

export interface BackendConfig {
  host: string;
  port: number;
  /** Share of traffic under round robin; defaults to 1. */
  weight?: number;
}

export interface PoolConfig {
  backends: BackendConfig[];
  /** Defaults to 'round-robin' (weight-aware, like nginx's default). */
  algorithm?: Algorithm;
  /** Only requests whose Host (without port) equals this, case-insensitively. */
  host?: string;
  /** Only requests whose path starts with this; defaults to '/'. Longest prefix wins. */
  pathPrefix?: string;
}

export interface HealthCheckConfig {
  /** Path every backend is asked for with GET; any 2xx means healthy. */
  path: string;
  intervalMs: number;
}

export interface LoadBalancerConfig {
  pools: PoolConfig[];
  healthCheck?: HealthCheckConfig;
  /** Name of the cookie that pins a client to a backend; no stickiness when absent. */
  stickyCookie?: string;
}

export interface LoadBalancer {
  server: http.Server;
  /** Stops background work (health checks, pooled upstream sockets). Does not close `server`. */
  stop(): void;
}

interface Backend {
  host: string;
  port: number;
  weight: number;
  /** Random, meaningless token for the sticky cookie: clients never learn internal addresses. */
  id: string;
  healthy: boolean;
  inFlight: number;
  /** Smooth weighted round robin state (nginx calls it current_weight). */
  current: number;
  checking: boolean;
}

interface Pool {
  backends: Backend[];
  algorithm: Algorithm;
  host?: string;
  pathPrefix: string;
  /** Where the next least-connections scan starts, so ties rotate instead of piling onto one backend. */
  cursor: number;
}

// Retrying is only safe when doing the request twice means the same as doing it once.
const RETRYABLE = new Set(['GET', 'HEAD']);

// Headers about one connection, not the message: each hop sets its own (RFC 9110, section 7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function createLoadBalancer(config: LoadBalancerConfig): LoadBalancer {
  // Keep-alive to backends saves a TCP handshake per request, as nginx's `keepalive` does.
  const agent = new http.Agent({ keepAlive: true });
  const byId = new Map<string, Backend>();
  const pools: Pool[] = config.pools.map((p) => ({
    algorithm: p.algorithm ?? 'round-robin',
    host: p.host?.toLowerCase(),
    pathPrefix: p.pathPrefix ?? '/',
    cursor: 0,
    backends: p.backends.map((b) => {
      const backend: Backend = {
        host: b.host,
        port: b.port,
        weight: b.weight ?? 1,
        id: randomBytes(9).toString('base64url'),
        healthy: true,
        inFlight: 0,
        current: 0,
        checking: false,
      };
      byId.set(backend.id, backend);
      return backend;
    }),
  }));

  // Like nginx: the Host picks the virtual server first, then the longest path prefix picks the
  // location inside it. Pools without a host serve every host that has no pool of its own.
  function route(req: IncomingMessage): Pool | undefined {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const named = pools.filter((p) => p.host === host);
    const candidates = named.length > 0 ? named : pools.filter((p) => p.host === undefined);
    const path = req.url ?? '/';
    let best: Pool | undefined;
    for (const pool of candidates) {
      if (path.startsWith(pool.pathPrefix) && (!best || pool.pathPrefix.length > best.pathPrefix.length)) best = pool;
    }
    return best;
  }

  function choose(pool: Pool): Backend | undefined {
    const up = pool.backends.filter((b) => b.healthy);
    if (up.length === 0) return undefined;
    if (pool.algorithm === 'least-connections') {
      let best: Backend | undefined;
      for (let i = 0; i < up.length; i++) {
        const b = up[(pool.cursor + i) % up.length]!;
        if (!best || b.inFlight < best.inFlight) best = b;
      }
      pool.cursor = (up.indexOf(best!) + 1) % up.length;
      return best;
    }
    // Smooth weighted round robin (nginx): every pick, each backend earns its weight; the richest
    // wins and pays back the total. Weights 5,1,1 give a a b a c a a: spread out, not a burst of five.
    let total = 0;
    let best: Backend | undefined;
    for (const b of up) {
      b.current += b.weight;
      total += b.weight;
      if (!best || b.current > best.current) best = b;
    }
    best!.current -= total;
    return best;
  }

  function forward(
    backend: Backend,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    setCookie: string | undefined,
    onFailure: (err: Error) => void,
  ): void {
    backend.inFlight++;
    let released = false;
    const release = () => {
      if (!released) backend.inFlight--;
      released = true;
    };

    const headers = withoutHopByHop(req.headers);
    // Append, never replace: earlier proxies in the chain already recorded the addresses they saw.
    const client = req.socket.remoteAddress ?? 'unknown';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
    if (body.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);

    const upstream = http.request(
      { host: backend.host, port: backend.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        upRes.on('end', release);
        upRes.on('close', release);
        // The response already started: too late to answer 502, so cut the client off instead.
        upRes.on('error', () => res.destroy());
        const out = withoutHopByHop(upRes.headers);
        if (setCookie) out['set-cookie'] = [...(upRes.headers['set-cookie'] ?? []), setCookie];
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      release();
      if (res.headersSent) res.destroy();
      else onFailure(err);
    });
    upstream.end(body);
  }

  function reply(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text + '\n');
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const pool = route(req);
    if (!pool) return reply(res, 404, 'no pool matches this host and path');

    const cookieName = config.stickyCookie;
    const pinned = cookieName ? byId.get(parseCookies(req.headers.cookie).get(cookieName) ?? '') : undefined;
    // A cookie only counts while it names a healthy backend of this very pool.
    const first = pinned && pinned.healthy && pool.backends.includes(pinned) ? pinned : choose(pool);
    if (!first) return reply(res, 503, 'no healthy backend in this pool');

    const attempt = (backend: Backend, retriesLeft: number) => {
      // Tell the client where it is pinned whenever that differs from what its cookie said.
      const setCookie =
        cookieName && backend !== pinned ? `${cookieName}=${backend.id}; Path=/; HttpOnly` : undefined;
      forward(backend, req, body, res, setCookie, (err) => {
        // Passive health check: real traffic just showed this backend is broken.
        backend.healthy = false;
        const next = retriesLeft > 0 && RETRYABLE.has(req.method ?? '') ? choose(pool) : undefined;
        if (next) attempt(next, retriesLeft - 1);
        else reply(res, 502, `bad gateway: the backend failed before answering (${(err as NodeJS.ErrnoException).code ?? err.message})`);
      });
    };
    attempt(first, 1);
  }

  const server = http.createServer((req, res) => {
    // Buffer the request body (nginx does too by default) so a retry can send it again.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  // Active health checks: ask every backend on a timer, so a dead one is found before a client
  // hits it and a recovered one comes back without waiting for real traffic to risk it.
  const allBackends = pools.flatMap((p) => p.backends);
  function check(b: Backend, { path, intervalMs }: HealthCheckConfig): void {
    if (b.checking) return; // a slow backend gets one check at a time, not a pile of them
    b.checking = true;
    const done = (healthy: boolean) => {
      if (!b.checking) return;
      b.checking = false;
      b.healthy = healthy;
    };
    const probe = http.get({ host: b.host, port: b.port, path, agent: false, timeout: intervalMs }, (res) => {
      res.resume();
      done(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    probe.on('timeout', () => probe.destroy(new Error('health check timed out')));
    probe.on('error', () => done(false));
  }
  let timer: NodeJS.Timeout | undefined;
  if (config.healthCheck) {
    const hc = config.healthCheck;
    timer = setInterval(() => allBackends.forEach((b) => check(b, hc)), hc.intervalMs);
    timer.unref(); // a forgotten stop() must not keep the process alive
  }

  return {
    server,
    stop() {
      clearInterval(timer);
      agent.destroy();
    },
  };
}
