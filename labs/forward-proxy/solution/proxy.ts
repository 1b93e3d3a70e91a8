import { createHash, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import net from 'node:net';
import { pipeline, type Duplex } from 'node:stream';
import { ResponseCache } from './cache.ts';

/** One line of the access log: what Squid's access.log records, as an object. */
export interface LogEntry {
  /** When the request arrived, ISO 8601 in UTC, read from config.now. */
  time: string;
  /** The client's IP address, e.g. "127.0.0.1". */
  client: string;
  method: string;
  /** The request target as the client sent it: a full URL, or "host:port" for CONNECT. */
  target: string;
  /** The status the client got (200 for an established tunnel). */
  status: number;
  /** Body bytes sent to the client (for a tunnel: bytes from the target to the client). */
  bytes: number;
  /** From arrival until the response (or the tunnel) ended, on config.now's clock. */
  durationMs: number;
}

/** Everything the proxy needs to know. Every field is optional. */
export interface ProxyConfig {
  /** Name → IP address. Default: the system resolver. Tests map *.test names to 127.0.0.1. */
  resolve?: (hostname: string) => Promise<string>;
  /** Hosts to refuse: "ads.example.test" (that host only) or "*.example.test" (its subdomains, not itself). */
  blocklist?: string[];
  /** Called once for every request and every tunnel, when it ends. */
  log?: (entry: LogEntry) => void;
  /** Send no X-Forwarded-For, Forwarded or X-Real-IP at all. Default false: add X-Forwarded-For. */
  anonymous?: boolean;
  /** Require Basic proxy authentication from one of these users. */
  auth?: { realm: string; users: Record<string, string> };
  /** Keep GET responses, serve them while fresh and revalidate them after (stage 5). Default false. */
  cache?: boolean;
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number;
}

/** The proxy's own answer when it will not forward a request. */
interface Refusal {
  status: number;
  headers: Record<string, string>;
  message: string;
}

/** What this proxy calls itself in Via. A pseudonym: no host name or port to give away. */
const VIA_NAME = 'hop-forward-proxy';

/**
 * Headers about one connection, not the message (RFC 9110 §7.6.1): consumed here, never passed on.
 * Proxy-Connection is not standard but old clients still send it.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers that can only identify the client, removed in anonymous mode. */
const CLIENT_IDENTITY = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** Creates the forward proxy. The caller decides where it listens. */
export function createForwardProxy(config: ProxyConfig = {}): http.Server {
  const now = config.now ?? Date.now;
  const resolve = config.resolve ?? (async (hostname: string) => (await lookup(hostname)).address);
  const cache = config.cache ? new ResponseCache(now) : undefined;
  // Our own pool of upstream connections, so closing the proxy closes them too.
  const agent = new http.Agent({ keepAlive: true });

  /** Starts the clock for one request or tunnel; call the result once, when it has ended. */
  function startLog(req: IncomingMessage) {
    const started = now();
    const client = clientAddress(req); // read it now: a closed socket no longer knows its peer
    return (status: number, bytes: number) =>
      config.log?.({ time: new Date(started).toISOString(), client, method: req.method ?? '', target: req.url ?? '',
        status, bytes, durationMs: now() - started });
  }

  /** Policy shared by plain requests and tunnels: who may use the proxy, and where to. */
  function refusal(req: IncomingMessage, host: string): Refusal | undefined {
    if (config.auth && !authorized(req.headers['proxy-authorization'], config.auth.users)) {
      return {
        status: 407,
        headers: { 'proxy-authenticate': `Basic realm="${config.auth.realm}", charset="UTF-8"` },
        message: 'Proxy Authentication Required: send Proxy-Authorization with a valid user name and password.\n',
      };
    }
    const rule = blockedBy(config.blocklist ?? [], host);
    if (rule !== undefined) {
      return { status: 403, headers: {}, message: `Forbidden: ${host} is blocked by the rule "${rule}".\n` };
    }
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const finish = startLog(req);
    const sent = { bytes: 0 };
    // 'close' fires exactly once, whether the response finished or the client left early.
    res.once('close', () => finish(res.statusCode, sent.bytes));
    const reply = (status: number, message: string, headers: OutgoingHttpHeaders = {}) => {
      sent.bytes = Buffer.byteLength(message);
      sendText(res, status, message, headers);
    };

    // A forward proxy must be told where to go: the request target is a full URL (absolute-form).
    const url = req.url ?? '';
    if (!/^http:\/\/[^/?#]/i.test(url)) {
      reply(400, `Bad Request: a forward proxy needs the full URL, such as GET http://example.test${url.startsWith('/') ? url : '/'}, not just a path. (For https, use CONNECT.)\n`);
      return;
    }
    const target = new URL(url);
    const hostname = target.hostname.replace(/^\[|\]$/g, ''); // "[::1]" → "::1"
    const refused = refusal(req, hostname);
    if (refused) return reply(refused.status, refused.message, refused.headers);

    // Only plain GETs without credentials or conditions of their own are served from the shared cache.
    const key = target.href;
    const cacheable = cache !== undefined && req.method === 'GET' && !req.headers.authorization &&
      !req.headers['if-none-match'] && !req.headers['if-modified-since'];
    const stored = cacheable ? cache.get(key) : undefined;
    if (stored && cache!.isFresh(stored)) {
      sent.bytes = stored.body.length;
      return ResponseCache.serve(res, stored, 'HIT');
    }

    const headers = forwardHeaders(req, target, config.anonymous ?? false);
    if (stored) Object.assign(headers, ResponseCache.validators(stored)); // "send it only if it changed"

    // Resolve only now: a blocked name never reaches DNS.
    resolve(hostname).then(
      (address) => forward(address),
      (err: Error) => reply(502, `Bad Gateway: cannot resolve ${hostname} (${err.message}).\n`),
    );

    function forward(address: string) {
      const upstreamReq = http.request({
        agent,
        host: address,
        port: Number(target.port || 80),
        method: req.method,
        path: originForm(url), // the origin server gets "/path?query", not the full URL
        headers,
      });
      // The client left before the answer was complete: stop the upstream work too.
      res.once('close', () => {
        if (!res.writableFinished) upstreamReq.destroy();
      });
      upstreamReq.on('error', (err) => {
        if (res.headersSent) res.destroy(); // too late for a 502: cut the response so it cannot look complete
        else reply(502, `Bad Gateway: ${target.host} could not be reached (${err.message}).\n`);
      });
      upstreamReq.on('response', (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        if (stored && status === 304) {
          // Not modified: our copy is still right. Take the 304's newer headers and serve the body we kept.
          upstreamRes.resume();
          cache!.refresh(stored, endToEnd(upstreamRes.headers));
          sent.bytes = stored.body.length;
          return ResponseCache.serve(res, stored, 'REVALIDATED');
        }
        const out = endToEnd(upstreamRes.headers);
        out.via = append(upstreamRes.headers.via, `${upstreamRes.httpVersion} ${VIA_NAME}`);
        const keep = cacheable && ResponseCache.storable(status, upstreamRes.headers);
        if (cacheable) cache.delete(key); // whatever we had is out of date now
        if (cache) out['x-cache'] = 'MISS';
        res.writeHead(status, upstreamRes.statusMessage, out);

        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => {
          sent.bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        // pipeline, not pipe: if the origin dies mid-body it destroys our response too, so the client
        // sees a broken message instead of a short one that looks complete. Store only a whole body.
        pipeline(upstreamRes, res, (err) => {
          if (!err && keep) cache!.set(key, status, out, Buffer.concat(chunks));
        });
      });
      req.pipe(upstreamReq); // stream the request body as it arrives
    }
  });

  // CONNECT host:port — the client wants a raw TCP tunnel (almost always for HTTPS). We never see
  // inside it: after "200 Connection Established" we copy bytes both ways until one side closes.
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const finish = startLog(req);
    let status = 0; // 0 until we have answered
    let bytes = 0;
    socket.once('close', () => finish(status, bytes));
    socket.on('error', () => {}); // a reset at the end of a tunnel is normal; 'close' still fires

    const refuse = (code: number, message: string, headers: Record<string, string> = {}) => {
      status = code;
      bytes = Buffer.byteLength(message);
      const lines = [`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}`, 'Content-Type: text/plain; charset=utf-8',
        `Content-Length: ${bytes}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.end(`${lines.join('\r\n')}\r\n\r\n${message}`);
    };

    // The target is "host:port" (authority-form); the port is required.
    const match = /^(\[[^\]]+\]|[^\s:/?#[\]]+):(\d{1,5})$/.exec(req.url ?? '');
    if (!match) return refuse(400, `Bad Request: CONNECT needs host:port, got "${req.url}".\n`);
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = Number(match[2]);
    const refused = refusal(req, host);
    if (refused) return refuse(refused.status, refused.message, refused.headers);

    resolve(host).then(
      (address) => {
        if (socket.destroyed) return; // the client gave up while we were resolving
        const upstream = net.connect({ host: address, port });
        upstream.once('connect', () => {
          status = 200;
          // No Content-Length or Transfer-Encoding: after this blank line the bytes are the tunnel's.
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (head.length > 0) upstream.write(head); // bytes the client sent right behind its request
          upstream.on('data', (chunk: Buffer) => (bytes += chunk.length));
          // pipe() ends the other side when one side ends (a half-close passes through as a half-close).
          socket.pipe(upstream);
          upstream.pipe(socket);
        });
        upstream.on('error', (err) => {
          if (status === 0) refuse(502, `Bad Gateway: cannot connect to ${host}:${port} (${err.message}).\n`);
        });
        // A side that vanished without a clean end (reset, error) takes the other one with it.
        // After a clean end, pipe() has already ended the other side: destroying it now could lose
        // bytes still waiting to be written.
        upstream.once('close', () => {
          if (status !== 0 && !socket.writableEnded) socket.destroy();
        });
        socket.once('close', () => {
          if (!upstream.writableEnded) upstream.destroy();
        });
      },
      (err: Error) => refuse(502, `Bad Gateway: cannot resolve ${host} (${err.message}).\n`),
    );
  });

  server.on('close', () => agent.destroy());
  return server;
}

/** The first rule that blocks `host`, as it was written in the blocklist. */
export function blockedBy(rules: string[], host: string): string | undefined {
  const name = normaliseHost(host);
  return rules.find((rule) => {
    const r = normaliseHost(rule);
    // "*.example.test" covers "a.example.test" and "a.b.example.test"; the leading dot keeps it
    // from matching "example.test" itself or "badexample.test".
    return r.startsWith('*.') ? name.endsWith(r.slice(1)) : name === r;
  });
}

/** Host names ignore case, and "example.test." (fully qualified) is the same host as "example.test". */
function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** Checks `Proxy-Authorization: Basic base64(user:password)` against the configured users. */
function authorized(header: string | undefined, users: Record<string, string>): boolean {
  const match = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? ''); // the scheme is case-insensitive
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':'); // the first colon: a user name cannot contain one, a password can
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  // Object.hasOwn, so a user called "constructor" or "__proto__" is just an unknown user.
  if (!Object.hasOwn(users, user)) return false;
  // Compare digests in constant time, so response timing does not reveal how much of a guess was right.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(users[user]!), digest(decoded.slice(colon + 1)));
}

/** "http://host:port/path?q" → "/path?q", exactly as sent; "http://host" → "/". */
function originForm(url: string): string {
  const rest = url.replace(/^http:\/\/[^/?#]*/i, '').replace(/#.*$/, '');
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Copies end-to-end headers: drops hop-by-hop ones, every Proxy-* header and whatever Connection names. */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((t) => t.trim().toLowerCase()));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name.startsWith('proxy-')) continue;
    out[name] = value;
  }
  return out;
}

/** What the origin sees: the client's end-to-end headers, the URL's Host, and our Via. */
function forwardHeaders(req: IncomingMessage, target: URL, anonymous: boolean): OutgoingHttpHeaders {
  const headers = endToEnd(req.headers);
  // The URL names the origin; a Host header sent to the proxy is ignored (RFC 9110 §7.2).
  headers.host = target.host;
  if (anonymous) {
    for (const name of CLIENT_IDENTITY) delete headers[name];
  } else {
    headers['x-forwarded-for'] = append(req.headers['x-forwarded-for'], clientAddress(req));
  }
  headers.via = append(req.headers.via, `${req.httpVersion} ${VIA_NAME}`);
  return headers;
}

/** Appends one entry to a comma-separated list such as Via or X-Forwarded-For. */
function append(existing: string | string[] | undefined, entry: string): string {
  const prior = Array.isArray(existing) ? existing.join(', ') : existing;
  return prior ? `${prior}, ${entry}` : entry;
}

/** The client's IP; an IPv4 client on a dual-stack socket shows up as "::ffff:1.2.3.4". */
function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** A short plain-text answer from the proxy itself. */
function sendText(res: ServerResponse, status: number, message: string, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}
