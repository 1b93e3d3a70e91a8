import { describe, expect, it } from 'vitest';
import {
  closedPort,
  exchange,
  pick,
  randomBytes,
  randomInt,
  randomPath,
  randomWord,
  request,
  showBytes,
  showRequest,
  startUpstream,
} from '../kit/index.ts';
import { fakeDns, randomHeaderName, randomHost, sameBytes, showReceived, startProxy, url } from './support.ts';

// Stage 1: the client names the origin in the request line (absolute-form) and the proxy goes
// there. Requests are sent with a full URL as the path, exactly what `curl -x` puts on the wire.

describe('stage 1: forward a request', () => {
  it('forwards an absolute-form request to the host and port in the URL, with path and query in origin-form', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy();
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const path = `${randomPath(randomInt(1, 3))}?${randomWord()}=${randomWord()}&q=${randomInt(1, 999)}`;
    const target = url('127.0.0.1', upstream.port, path);
    const header = randomHeaderName();
    const value = `${randomWord()} ${randomInt(1, 99_999)}`;
    const body = `${randomWord()}=${randomWord(4)}`;
    const headers = { host: `127.0.0.1:${upstream.port}`, [header]: value, 'content-type': 'text/plain' };
    const sent = `${showRequest(method, target, headers)}\n\n    ${body}`;

    const res = await request(proxy, { method, path: target, headers, body });
    expect(upstream.requests.length, exchange({
      sent,
      expected: `the origin on port ${upstream.port} to receive exactly 1 request`,
      received: `${upstream.requests.length} requests at the origin; the client got ${showReceived(res)}`,
    })).toBe(1);
    const got = upstream.requests[0]!;
    expect(`${got.method} ${got.url}`, exchange({
      sent,
      expected: `the origin to see "${method} ${path}": the same method, and the path and query without the scheme and host (origin-form)`,
      received: `"${got.method} ${got.url}"`,
    })).toBe(`${method} ${path}`);
    expect(`${String(got.headers[header])} ${got.body.toString()}`, exchange({
      sent,
      expected: `the origin to see ${header}: ${value} and the body "${body}"`,
      received: `${header}: ${String(got.headers[header] ?? '(missing)')} and the body "${got.body.toString()}"`,
    })).toBe(`${value} ${body}`);
  });

  it('looks the host name in the URL up with config.resolve', async () => {
    const upstream = await startUpstream();
    const dns = fakeDns();
    const proxy = await startProxy({ resolve: dns.resolve });
    const host = randomHost();
    const target = url(host, upstream.port, randomPath());
    const sent = `${showRequest('GET', target, { host: `${host}:${upstream.port}` })}\n    (config.resolve says ${host} is 127.0.0.1)`;

    const res = await request(proxy, { path: target, headers: { host: `${host}:${upstream.port}` } });
    expect(dns.asked, exchange({
      sent,
      expected: `config.resolve("${host}") to be called to find the origin's address`,
      received: `config.resolve called with ${JSON.stringify(dns.asked)}; the client got ${showReceived(res)}`,
    })).toContain(host);
    expect(`${res.status} ${upstream.requests.length}`, exchange({
      sent,
      expected: 'the request to reach the origin and its 200 to come back',
      received: `${showReceived(res)}; the origin saw ${upstream.requests.length} requests`,
    })).toBe('200 1');
  });

  it("sends the origin a Host header taken from the URL, not the one the client sent the proxy", async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy();
    const host = randomHost();
    const target = url(host, upstream.port, randomPath());
    // Node's http.request puts the proxy's own address in Host unless told otherwise, and some
    // clients do the same. The URL is what names the origin.
    const misleading = `127.0.0.1:${proxy}`;
    const sent = showRequest('GET', target, { host: misleading });

    const res = await request(proxy, { path: target, headers: { host: misleading } });
    const seen = upstream.requests[0]?.headers.host;
    expect(seen, exchange({
      sent,
      expected: `the origin to see Host: ${host}:${upstream.port}, the authority of the URL (RFC 9110 §7.2: a proxy replaces Host with the URL's host)`,
      received: seen === undefined ? `no request at the origin; the client got ${showReceived(res)}` : `Host: ${seen}`,
    })).toBe(`${host}:${upstream.port}`);
  });

  it("returns the origin's status, headers and body to the client", async () => {
    const status = pick([200, 201, 202, 404, 409, 418, 500, 503]);
    const header = randomHeaderName();
    const value = randomWord(4);
    const cookies = [`${randomWord()}=${randomWord()}`, `${randomWord()}=${randomWord()}`];
    const body = `${randomWord(3)} ${randomWord(3)} ${randomInt(1, 1e6)}`;
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(status, { [header]: value, 'set-cookie': cookies, 'content-type': 'text/plain' });
      res.end(body);
    });
    const proxy = await startProxy();
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = showRequest('GET', target);
    const originSaid = `the origin answers ${status} with ${header}: ${value}, two Set-Cookie headers and body "${body}"`;

    const res = await request(proxy, { path: target });
    expect(`${res.status} ${res.text}`, exchange({ sent, expected: `${status} "${body}", because ${originSaid}`, received: showReceived(res) }))
      .toBe(`${status} ${body}`);
    expect(res.headers[header], exchange({
      sent,
      expected: `${header}: ${value} (${originSaid})`,
      received: `${header}: ${String(res.headers[header] ?? '(missing)')}`,
    })).toBe(value);
    expect(res.headers['set-cookie'], exchange({
      sent,
      expected: `both Set-Cookie headers, ${cookies.join(' and ')}: repeated headers must not be merged or lost`,
      received: JSON.stringify(res.headers['set-cookie'] ?? null),
    })).toEqual(cookies);
  });

  it('carries a random binary body up to the origin and another one back, byte for byte', async () => {
    const up = randomBytes(randomInt(200_000, 600_000));
    const down = randomBytes(randomInt(200_000, 600_000));
    // The origin answers in 16 KB pieces without Content-Length, so the answer arrives chunked.
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let at = 0; at < down.length; at += 16_384) res.write(down.subarray(at, at + 16_384));
      res.end();
    });
    const proxy = await startProxy();
    const target = url('127.0.0.1', upstream.port, randomPath());
    const sent = `POST ${target} with ${showBytes(up.length)} of random bytes`;

    const res = await request(proxy, { method: 'POST', path: target, body: up, headers: { 'content-type': 'application/octet-stream' } });
    const gotUp = upstream.requests[0]?.body ?? Buffer.alloc(0);
    expect(sameBytes(up, gotUp), exchange({
      sent,
      expected: `the origin to receive the same ${up.length} bytes`,
      received: `the origin received ${sameBytes(up, gotUp)}`,
    })).toBe('identical');
    expect(sameBytes(down, res.body), exchange({
      sent,
      expected: `status 200 and the origin's ${down.length}-byte body, unchanged`,
      received: `status ${res.status} and ${sameBytes(down, res.body)}`,
    })).toBe('identical');
  });

  it('answers 400 with a sentence about the full URL when the request line holds only a path', async () => {
    const proxy = await startProxy();
    const path = `${randomPath()}?${randomWord()}=${randomInt(1, 99)}`;
    const sent = showRequest('GET', path, { host: `127.0.0.1:${proxy}` });

    const res = await request(proxy, { path, headers: { host: `127.0.0.1:${proxy}` } });
    expect(res.status, exchange({
      sent,
      expected: '400 Bad Request: a forward proxy needs the full URL (http://host:port/path) to know where to go',
      received: showReceived(res),
    })).toBe(400);
    expect(/\burl\b/i.test(res.text) && res.text.trim().split(/\s+/).length >= 4, exchange({
      sent,
      expected: 'a body of at least a few words that says the proxy needs the full URL (mention "URL")',
      received: showReceived(res),
    })).toBe(true);
  });

  it.each([
    ['nothing listens on its port', async () => url('127.0.0.1', await closedPort(), randomPath())],
    ['its host name does not resolve', async () => url(randomHost(), await closedPort(), randomPath())],
  ])('answers 502 Bad Gateway when %s', async (what, makeTarget) => {
    const target = await makeTarget();
    const dns = fakeDns();
    dns.fail(new URL(target).hostname);
    const proxy = await startProxy({ resolve: dns.resolve });
    const res = await request(proxy, { path: target });
    expect(res.status, exchange({
      sent: `${showRequest('GET', target)}\n    (${what})`,
      expected: '502 Bad Gateway: the proxy is fine, the server it was asked to reach is not',
      received: showReceived(res),
    })).toBe(502);
  });
});
