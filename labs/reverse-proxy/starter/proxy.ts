import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * One entry of the route table.
 *
 * @example
 * { host: 'shop.example', pathPrefix: '/api', stripPrefix: true, upstream: 'http://127.0.0.1:8081' }
 */
export interface Route {
  /**
   * Match only requests whose Host header names this host. Compare without the port and
   * ignoring letter case ("Shop.Example:8080" is "shop.example"). Omit to match any host.
   */
  host?: string;
  /**
   * Match paths equal to this prefix or below it at a "/" boundary: "/api" matches "/api" and
   * "/api/users", but not "/apiary". The query string plays no part. Default "/" (every path).
   */
  pathPrefix?: string;
  /** Remove `pathPrefix` before forwarding: "/api/users?x=1" reaches the upstream as "/users?x=1". Default false. */
  stripPrefix?: boolean;
  /** The origin that serves matching requests, e.g. "http://127.0.0.1:8081" (scheme, host and port; no path). */
  upstream: string;
}

/** Everything the proxy needs to know. The tests build one of these for every proxy they start. */
export interface ProxyConfig {
  /**
   * The route table, read like nginx reads server blocks and locations:
   * 1. If some routes name the request's host, only those are candidates (a virtual host);
   *    otherwise only the routes without a `host` are.
   * 2. Of the candidates whose `pathPrefix` matches, the longest prefix wins. Table order never matters.
   * 3. No candidate matches: answer 404.
   * (Stage 1 uses a single route with only `upstream` set: it matches everything.)
   */
  routes: Route[];
  /**
   * How long to wait, in milliseconds, for the upstream to start answering (its status line and
   * headers) before giving up with 504 Gateway Timeout. Default 30 000.
   */
  timeoutMs?: number;
  /**
   * Turn on the response cache (stage 5): keep GET 200 responses for their Cache-Control
   * max-age. Default false, so stages 1–4 never see a cached answer.
   */
  cache?: boolean;
  /**
   * The clock the cache reads, in milliseconds (like Date.now). Default Date.now. Tests pass
   * their own so they can move time forward without waiting.
   */
  now?: () => number;
}

/**
 * Creates an HTTP reverse proxy. Return the server without calling `listen()`: the caller
 * decides where it listens (the tests use 127.0.0.1 and a free port).
 *
 * @example
 * const proxy = createReverseProxy({ routes: [{ upstream: 'http://127.0.0.1:8081' }] });
 * proxy.listen(8080); // curl localhost:8080/anything is now answered by the upstream
 */
export function createReverseProxy(config: ProxyConfig): http.Server {
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    // TODO stage 1 — forward: open a request to config.routes[0].upstream with http.request(),
    //   copying req.method, req.url and req.headers. Stream req into it (pipe), and when its
    //   'response' arrives, write the status and headers back with res.writeHead() and stream
    //   the body to res. Never collect a body into one big Buffer.
    // TODO stage 2 — route: choose the route as ProxyConfig.routes describes (virtual host first,
    //   then the longest prefix); answer 404 with a short body such as "No route matches
    //   <host><path>" when none matches; strip the prefix when route.stripPrefix is true.
    // TODO stage 3 — headers: add X-Forwarded-For / -Host / -Proto and Via; drop hop-by-hop
    //   headers (and every header that Connection names) in both directions.
    // TODO stage 4 — failures: 502 when the upstream fails, 504 after config.timeoutMs, abort the
    //   upstream request when the client leaves, break the client's response if the upstream dies.
    // TODO stage 5 — cache: when config.cache is on, keep fresh GET 200 responses and answer
    //   repeats with X-Cache: HIT and Age; use config.now, never Date.now, for every time check.
    // The placeholder below answers every request itself; replace it as you go.
    void config;
    res.writeHead(501, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Not Implemented: the proxy does not forward ${req.method} ${req.url} yet.\n`);
  });
}
