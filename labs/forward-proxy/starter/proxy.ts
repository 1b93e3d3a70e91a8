import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * One line of the access log, handed to `config.log` once per request (and once per tunnel).
 *
 * @example
 * { time: '2031-05-04T09:12:01.250Z', client: '127.0.0.1', method: 'GET',
 *   target: 'http://shop.example.test:8081/cart', status: 200, bytes: 5120, durationMs: 37 }
 */
export interface LogEntry {
  /** When the request arrived: `new Date(config.now()).toISOString()`. */
  time: string;
  /** The client's IP address, e.g. "127.0.0.1" (without a "::ffff:" prefix). */
  client: string;
  /** The request method, e.g. "GET" or "CONNECT". */
  method: string;
  /** The request target exactly as the client sent it: a full URL, or "host:port" for CONNECT. */
  target: string;
  /** The status the client got: the origin's, the proxy's own (400, 403, 407, 502), or 200 for a tunnel. */
  status: number;
  /** Body bytes sent to the client (headers not counted). For a tunnel: the bytes the target sent the client. */
  bytes: number;
  /** Milliseconds from the request's arrival until its response ended (a tunnel: until it closed), on config.now. */
  durationMs: number;
}

/** Everything the proxy needs to know. The tests build one of these for every proxy they start. */
export interface ProxyConfig {
  /**
   * Turns a host name into an IP address to connect to. Default: the system resolver
   * (`(await dns.promises.lookup(name)).address`). Always go through this function: the tests pass
   * their own, which knows the made-up `*.test` names they use.
   */
  resolve?: (hostname: string) => Promise<string>;
  /**
   * Hosts nobody may reach through this proxy (stage 2). "ads.example.test" blocks that host only;
   * "*.example.test" blocks every subdomain of example.test at any depth, but not example.test
   * itself. Compare ignoring letter case and a trailing dot. Default: nothing is blocked.
   */
  blocklist?: string[];
  /** Called exactly once for every request and every tunnel, when it has ended (stage 2). */
  log?: (entry: LogEntry) => void;
  /**
   * Hide the client (stage 3): send no X-Forwarded-For, Forwarded or X-Real-IP at all. Default false,
   * in which case the proxy appends the client's address to X-Forwarded-For.
   */
  anonymous?: boolean;
  /**
   * Require Basic proxy authentication (stage 3): `users` maps user names to passwords, and `realm`
   * goes into `Proxy-Authenticate: Basic realm="<realm>"`. Default: anyone may use the proxy.
   */
  auth?: { realm: string; users: Record<string, string> };
  /** Keep GET responses that carry ETag or Last-Modified, and revalidate them (stage 5). Default false. */
  cache?: boolean;
  /** The clock for log times, durations and cache freshness, in milliseconds. Default Date.now. */
  now?: () => number;
}

/**
 * Creates an HTTP forward proxy. Return the server without calling `listen()`: the caller decides
 * where it listens (the tests use 127.0.0.1 and a free port).
 *
 * @example
 * const proxy = createForwardProxy({ blocklist: ['*.ads.example.test'] });
 * proxy.listen(3128); // curl -x http://127.0.0.1:3128 http://example.com/ now goes through it
 */
export function createForwardProxy(config: ProxyConfig = {}): http.Server {
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    // TODO stage 1 — forward: req.url is a full URL ("http://host:port/path?q"). Parse it, find the
    //   address with config.resolve, and send method, headers and body there with http.request():
    //   path = "/path?q" (origin-form), Host = the URL's host:port. Stream the answer back. Answer 400
    //   (saying a full URL is needed) to "GET /path", and 502 when the origin cannot be reached.
    // TODO stage 2 — block and log: 403 naming the matching config.blocklist rule (before resolving);
    //   call config.log once per request when its response has ended ('close' on res).
    // TODO stage 3 — privacy and auth: drop hop-by-hop and Proxy-* headers, add Via and
    //   X-Forwarded-For (none in anonymous mode); answer 407 without valid Proxy-Authorization.
    // TODO stage 5 — revalidation: see cache.ts.
    void config;
    res.writeHead(501, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Not Implemented: the proxy does not forward ${req.method} ${req.url} yet.\n`);
  });

  // CONNECT host:port arrives here instead of at the request handler, with the raw client socket.
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // TODO stage 4 — tunnels: check auth and the blocklist, connect to host:port (net.connect), answer
    //   "HTTP/1.1 200 Connection Established\r\n\r\n", write `head` to the target, then pipe both ways.
    //   502 when the target cannot be reached. Log the tunnel once when it closes.
    void head;
    socket.end(`HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    void req;
  });

  return server;
}
