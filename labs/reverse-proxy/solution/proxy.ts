import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream';

/** One entry of the route table. */
export interface Route {
  /** Match only this Host (compared without its port, case-insensitively). Omit to match any host. */
  host?: string;
  /** Match paths equal to this prefix or below it at a "/" boundary ("/api" matches "/api/x", not "/apix"). Default "/". */
  pathPrefix?: string;
  /** Remove `pathPrefix` from the path before forwarding ("/api/users" → "/users"). Default false. */
  stripPrefix?: boolean;
  /** Origin that serves matching requests, e.g. "http://127.0.0.1:8081" (no path). */
  upstream: string;
}

/** Everything the proxy needs to know. */
export interface ProxyConfig {
  /** The route table: routes naming the request's host first, then the longest matching prefix. */
  routes: Route[];
  /** How long to wait for the upstream to start answering before replying 504. Default 30 000 ms. */
  timeoutMs?: number;
  /** Cache GET 200 responses that carry Cache-Control max-age. Default false. */
  cache?: boolean;
  /** The clock the cache uses, in milliseconds. Default Date.now; tests inject their own. */
  now?: () => number;
}

/** What this proxy calls itself in Via headers. */
const VIA_NAME = 'hop-proxy';

/**
 * Headers that describe one connection, not the message: a proxy consumes them and never passes
 * them on (RFC 9110 §7.6.1). Transfer-Encoding is listed because Node frames each side itself.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** A stored response, replayed to later clients while it is fresh. */
interface CachedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  storedAt: number;
  maxAgeMs: number;
}

/** Creates the reverse proxy. The caller decides where it listens. */
export function createReverseProxy(config: ProxyConfig): http.Server {
  const timeoutMs = config.timeoutMs ?? 30_000;
  const now = config.now ?? Date.now;
  const cache = config.cache ? new Map<string, CachedResponse>() : undefined;
  // Our own pool of upstream connections, so closing the proxy also closes them.
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const host = hostname(req.headers.host);

    const route = pickRoute(config.routes, host, path);
    if (!route) {
      sendError(res, 404, `No route matches ${host}${path}\n`);
      return;
    }

    // The cache key names the resource: which site, which path, which query.
    const cacheKey = `${host}${url}`;
    if (cache && req.method === 'GET') {
      const hit = cache.get(cacheKey);
      if (hit) {
        const ageMs = now() - hit.storedAt;
        if (ageMs < hit.maxAgeMs) {
          res.writeHead(hit.status, {
            ...hit.headers,
            'content-length': hit.body.length,
            age: String(Math.floor(ageMs / 1000)), // whole seconds, rounded down
            'x-cache': 'HIT',
          });
          res.end(hit.body);
          return;
        }
        cache.delete(cacheKey); // stale: fetch it again
      }
    }

    const target = new URL(route.upstream);
    const upstreamReq = http.request({
      agent,
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: route.stripPrefix ? stripPrefix(url, route.pathPrefix ?? '/') : url,
      headers: requestHeaders(req),
    });

    // 504: the upstream accepted the request but has not started answering in time.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      upstreamReq.destroy();
      sendError(res, 504, `Gateway Timeout: the upstream did not answer within ${timeoutMs} ms\n`);
    }, timeoutMs);

    // The client went away before we finished answering: stop the upstream work too.
    // (Not req.on('close'): that fires as soon as the request body has been read.)
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) upstreamReq.destroy();
    });

    // 502: refused, reset or nonsense from the upstream before it sent a response. The error
    // names the upstream's address; that is for our logs, not for the client.
    upstreamReq.on('error', () => {
      clearTimeout(timer);
      if (timedOut) return;
      sendError(res, 502, 'Bad Gateway: the upstream server did not give a valid answer\n');
    });

    upstreamReq.on('response', (upstreamRes) => {
      clearTimeout(timer);
      const status = upstreamRes.statusCode ?? 502;
      const headers = responseHeaders(upstreamRes);

      const maxAgeMs =
        cache && req.method === 'GET' && status === 200 ? cacheLifetime(upstreamRes.headers) : 0;
      res.writeHead(status, upstreamRes.statusMessage, cache ? { ...headers, 'x-cache': 'MISS' } : headers);

      // Keep a copy while streaming, and store it only if the whole body arrived.
      const chunks: Buffer[] = [];
      if (maxAgeMs > 0) upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));

      // pipeline, not pipe: if the upstream dies mid-body it destroys our response, so the client
      // sees a broken message instead of a short one that looks complete (or waits forever).
      pipeline(upstreamRes, res, (err) => {
        if (err || !cache || maxAgeMs <= 0) return;
        cache.set(cacheKey, { status, headers, body: Buffer.concat(chunks), storedAt: now(), maxAgeMs });
      });
    });

    // Stream the request body as it arrives. pipe (not pipeline) so an upstream error does not
    // destroy the client's connection before we can answer 502.
    req.pipe(upstreamReq);
  });

  server.on('close', () => agent.destroy());
  return server;
}

/**
 * Chooses the route the way nginx chooses a server block and then a location: routes that name
 * the request's host come first (a virtual host); only if none does are the host-less routes
 * candidates. Among the candidates, the longest matching prefix wins, whatever the table order.
 */
function pickRoute(routes: Route[], host: string, path: string): Route | undefined {
  const forHost = routes.filter((route) => route.host?.toLowerCase() === host);
  const candidates = forHost.length > 0 ? forHost : routes.filter((route) => route.host === undefined);
  let best: Route | undefined;
  let bestLength = -1;
  for (const route of candidates) {
    const prefix = normalisePrefix(route.pathPrefix);
    if (prefixMatches(prefix, path) && prefix.length > bestLength) {
      best = route;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** "/api/" and "/api" mean the same prefix; "" means "/". */
function normalisePrefix(prefix = '/'): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Prefixes match whole path segments: "/api" covers "/api" and "/api/x", never "/apix". */
function prefixMatches(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(prefix + '/');
}

/** "/api/users?x=1" minus "/api" is "/users?x=1"; "/api" alone becomes "/". */
function stripPrefix(url: string, rawPrefix: string): string {
  const prefix = normalisePrefix(rawPrefix);
  if (prefix === '/') return url;
  const rest = url.slice(prefix.length);
  return rest.startsWith('/') ? rest : '/' + rest;
}

/** The Host header without its port, lower-cased: "Shop.Example:8080" → "shop.example". */
function hostname(hostHeader: string | undefined): string {
  return (hostHeader ?? '').replace(/:\d*$/, '').toLowerCase();
}

/** Copies end-to-end headers: drops hop-by-hop ones and every header Connection names. */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || named.has(name) || name.startsWith('proxy-')) continue;
    out[name] = value;
  }
  return out;
}

/** Appends one entry to a comma-separated chain such as X-Forwarded-For or Via. */
function append(existing: string | string[] | undefined, entry: string): string {
  const prior = Array.isArray(existing) ? existing.join(', ') : existing;
  return prior ? `${prior}, ${entry}` : entry;
}

/** What the upstream should see: the client's end-to-end headers plus who asked and through whom. */
function requestHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const headers = endToEnd(req.headers);
  // An IPv4 client on a dual-stack socket shows up as "::ffff:1.2.3.4".
  const clientIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = append(req.headers['x-forwarded-for'], clientIp);
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-proto'] = 'http'; // this proxy only listens on plain HTTP
  headers['via'] = append(req.headers.via, `${req.httpVersion} ${VIA_NAME}`);
  return headers;
}

/** What the client should see: the upstream's end-to-end headers, plus our Via entry. */
function responseHeaders(upstreamRes: IncomingMessage): OutgoingHttpHeaders {
  const headers = endToEnd(upstreamRes.headers);
  headers['via'] = append(upstreamRes.headers.via, `${upstreamRes.httpVersion} ${VIA_NAME}`);
  return headers;
}

/**
 * How long a response may be served from the cache, in ms; 0 means "do not store it".
 * A shared cache must not keep private or per-user answers, and no-cache would need revalidation.
 */
function cacheLifetime(headers: IncomingHttpHeaders): number {
  if (headers['set-cookie']) return 0;
  // "public, max-age=60" → { public: "", "max-age": "60" }. A directive may carry a quoted value,
  // as in private="set-cookie"; its name alone is what matters here.
  const directives = new Map<string, string>();
  for (const part of String(headers['cache-control'] ?? '').split(',')) {
    const [name = '', value = ''] = part.trim().toLowerCase().split('=');
    if (name) directives.set(name, value.replace(/^"|"$/g, ''));
  }
  if (directives.has('no-store') || directives.has('private') || directives.has('no-cache')) return 0;
  const seconds = Number(directives.get('max-age'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** A short plain-text answer from the proxy itself, or a cut connection if it is too late for one. */
function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.destroyed) return; // the client is gone; nobody to tell
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}
