import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './net.ts';

export type Sent = {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
};

export type Received = {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw header pairs as they came off the wire, for order- and case-sensitive checks. */
  rawHeaders: string[];
  body: Buffer;
  text: string;
};

/**
 * Sends one HTTP/1.1 request to 127.0.0.1:port and buffers the whole response.
 * Never hangs: after `timeoutMs` it rejects with what was sent, so the failure says where it stuck.
 */
export function request(port: number, sent: Sent, timeoutMs = 3_000): Promise<Received> {
  // Node's client frames a body on GET/DELETE/OPTIONS with neither Content-Length nor chunking,
  // which corrupts the connection; say the length whenever the test gave a body and no framing.
  const headers = { ...sent.headers };
  const named = Object.keys(headers).map((k) => k.toLowerCase());
  if (sent.body !== undefined && !named.includes('content-length') && !named.includes('transfer-encoding')) {
    headers['content-length'] = String(Buffer.byteLength(sent.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: sent.method ?? 'GET', path: sent.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`No complete response within ${timeoutMs} ms to ${sent.method ?? 'GET'} ${sent.path} (port ${port}).`));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${sent.method ?? 'GET'} ${sent.path} to port ${port} failed: ${err.message}`));
    });
    req.end(sent.body);
  });
}

export type Recorded = {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
};

export type Upstream = {
  port: number;
  /** Every request the upstream received, in arrival order, bodies fully read. */
  requests: Recorded[];
  server: http.Server;
};

/**
 * Starts an origin server on 127.0.0.1:0 that records each request (body fully read) and then
 * calls `respond`. The default answer is 200 with the body "ok"; pass `respond` to answer
 * something that identifies this upstream.
 */
export async function startUpstream(
  respond: (req: Recorded, res: ServerResponse, raw: IncomingMessage) => void = (_r, res) => res.end('ok'),
): Promise<Upstream> {
  const requests: Recorded[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const rec: Recorded = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        rawHeaders: raw.rawHeaders,
        body: Buffer.concat(chunks),
      };
      requests.push(rec);
      respond(rec, res, raw);
    });
  });
  const port = await listen(server, 'the test upstream');
  return { port, requests, server };
}
