import { describe, expect, it } from 'vitest';
import {
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
import { deferred, origin, randomHeaderName, rawUpstream, sameBytes, showReceived, startProxy, watch, within } from './support.ts';

// Stage 1: one catch-all route, so nothing here depends on routing. The proxy must pass the
// request through untouched and stream both bodies rather than buffer them.

describe('stage 1: forward a request', () => {
  it('forwards the method, path, query, headers and body to the upstream', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }] });

    const method = pick(['POST', 'PUT', 'PATCH']);
    const path = `${randomPath(randomInt(1, 3))}?${randomWord()}=${randomWord()}&q=${randomWord()}%20${randomWord()}`;
    const header = randomHeaderName();
    const value = `${randomWord()} ${randomInt(1, 99_999)}`;
    const body = `${randomWord()}=${randomWord(4)}`;
    const host = `${randomWord(3)}.example`;
    const headers = { host, [header]: value, 'content-type': 'text/plain' };
    const sent = showRequest(method, path, headers);

    const res = await request(proxy, { method, path, headers, body });
    expect(upstream.requests.length, exchange({
      sent,
      expected: 'the upstream to receive exactly 1 request',
      received: `${upstream.requests.length} requests at the upstream; the client got ${showReceived(res)}`,
    })).toBe(1);
    const got = upstream.requests[0]!;
    expect(`${got.method} ${got.url}`, exchange({
      sent,
      expected: `the upstream to see "${method} ${path}" (same method, same path and query)`,
      received: `"${got.method} ${got.url}"`,
    })).toBe(`${method} ${path}`);
    expect(got.headers[header], exchange({
      sent,
      expected: `the upstream to see ${header}: ${value}`,
      received: `${header}: ${String(got.headers[header] ?? '(missing)')}`,
    })).toBe(value);
    expect(got.headers.host, exchange({
      sent,
      expected: `the upstream to see Host: ${host}, the site the client asked for`,
      received: `Host: ${String(got.headers.host ?? '(missing)')}`,
    })).toBe(host);
    expect(got.body.toString(), exchange({
      sent: `${sent}\n\n    ${body}`,
      expected: `the upstream to receive the body "${body}"`,
      received: `"${got.body.toString()}"`,
    })).toBe(body);
  });

  it("returns the upstream's status, headers and body to the client", async () => {
    const status = pick([200, 201, 202, 404, 409, 418, 500, 503]);
    const header = randomHeaderName();
    const value = randomWord(4);
    const cookies = [`${randomWord()}=${randomWord()}`, `${randomWord()}=${randomWord()}`];
    const body = `${randomWord(3)} ${randomWord(3)} ${randomInt(1, 1e6)}`;
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(status, { [header]: value, 'set-cookie': cookies, 'content-type': 'text/plain' });
      res.end(body);
    });
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }] });

    const path = randomPath();
    const sent = showRequest('GET', path);
    const upstreamSaid = `the upstream answers ${status} with ${header}: ${value}, two Set-Cookie headers and body "${body}"`;
    const res = await request(proxy, { path });
    expect(res.status, exchange({ sent, expected: `status ${status}, because ${upstreamSaid}`, received: showReceived(res) })).toBe(status);
    expect(res.headers[header], exchange({
      sent,
      expected: `${header}: ${value} (${upstreamSaid})`,
      received: `${header}: ${String(res.headers[header] ?? '(missing)')}`,
    })).toBe(value);
    expect(res.headers['set-cookie'], exchange({
      sent,
      expected: `both Set-Cookie headers, ${cookies.join(' and ')}: repeated headers must not be merged or lost`,
      received: JSON.stringify(res.headers['set-cookie'] ?? null),
    })).toEqual(cookies);
    expect(res.text, exchange({ sent, expected: `body "${body}"`, received: showReceived(res) })).toBe(body);
  });

  it('carries a 5 MB request body up and a 5 MB response body down byte for byte', async () => {
    const up = randomBytes(5 * 1024 * 1024 + randomInt(0, 4096));
    const down = randomBytes(5 * 1024 * 1024 + randomInt(0, 4096));
    // The upstream answers in 64 KB chunks with no Content-Length, so the download is chunked.
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let at = 0; at < down.length; at += 65_536) res.write(down.subarray(at, at + 65_536));
      res.end();
    });
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }] });

    const path = randomPath();
    const sent = `POST ${path} with ${showBytes(up.length)} of random bytes`;
    const res = await request(proxy, { method: 'POST', path, body: up, headers: { 'content-type': 'application/octet-stream' } }, 4_000);
    const gotUp = upstream.requests[0]?.body ?? Buffer.alloc(0);
    expect(sameBytes(up, gotUp), exchange({
      sent,
      expected: `the upstream to receive the same ${up.length} bytes`,
      received: `the upstream received ${sameBytes(up, gotUp)}`,
    })).toBe('identical');
    expect(sameBytes(down, res.body), exchange({
      sent,
      expected: `status 200 and the upstream's ${down.length}-byte body, unchanged`,
      received: `status ${res.status} and ${sameBytes(down, res.body)}`,
    })).toBe('identical');
  });

  it('streams the response: the client gets the first bytes before the upstream has finished', async () => {
    const first = randomBytes(randomInt(1_000, 8_000));
    const rest = randomBytes(randomInt(1_000, 8_000));
    const clientHasFirst = deferred();
    // The upstream holds back the rest until the client has seen the first part. A proxy that
    // waits for the whole response before answering never gets it, and the test says so.
    const upstream = await rawUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(first);
      void clientHasFirst.promise.then(() => res.end(rest));
    });
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream) }] });

    const path = randomPath();
    const w = watch(proxy, { path });
    const soFar = await within(
      Promise.race([w.bytes(first.length), w.ending]),
      2_000,
      exchange({
        sent: `GET ${path}; the upstream sent its headers and ${showBytes(first.length)}, then waits for the client to see them`,
        expected: 'the client to receive those first bytes while the upstream is still sending',
        received: 'nothing within 2 s: is the proxy collecting the whole body before answering? Pipe it through as it arrives',
      }),
    );
    expect(soFar.status, exchange({ sent: `GET ${path}`, expected: 'status 200 from the upstream', received: showReceived(soFar) })).toBe(200);
    clientHasFirst.resolve();
    const end = await within(w.ending, 2_000, `GET ${path}: the client saw the first bytes but the response never finished.`);
    expect(sameBytes(Buffer.concat([first, rest]), end.body), exchange({
      sent: `GET ${path}`,
      expected: `the ${first.length + rest.length} bytes the upstream sent, in one complete response`,
      received: `a ${end.kind} response: ${sameBytes(Buffer.concat([first, rest]), end.body)}`,
    })).toBe('identical');
  });

  it('streams the request body: the upstream gets the first bytes before the client has finished', async () => {
    const first = Buffer.from(randomWord(4).repeat(randomInt(50, 200)));
    const rest = Buffer.from(randomWord(4).repeat(randomInt(50, 200)));
    const upstreamHasFirst = deferred();
    // An echo upstream that reports when the first part of the body has reached it.
    const upstream = await rawUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (Buffer.concat(chunks).length >= first.length) upstreamHasFirst.resolve();
      });
      req.on('end', () => res.end(Buffer.concat(chunks)));
    });
    const proxy = await startProxy({ routes: [{ upstream: origin(upstream) }] });

    const path = randomPath();
    const sent = `POST ${path} with a chunked body: ${showBytes(first.length)} now, the rest only after the upstream has seen those`;
    const w = watch(proxy, { method: 'POST', path, headers: { 'transfer-encoding': 'chunked' }, end: false });
    w.req.write(first);
    const whatHappened = await within(
      Promise.race([upstreamHasFirst.promise.then(() => 'the upstream saw the first bytes'), w.ending.then(showReceived)]),
      2_000,
      exchange({
        sent,
        expected: 'the upstream to receive the first bytes while the client is still sending',
        received: 'nothing within 2 s: is the proxy reading the whole request body before contacting the upstream?',
      }),
    );
    expect(whatHappened, exchange({
      sent,
      expected: 'the upstream to receive the first bytes while the client is still sending',
      received: `the proxy answered first: ${whatHappened}`,
    })).toBe('the upstream saw the first bytes');
    w.req.end(rest);
    const end = await within(w.ending, 2_000, `${sent}: the response never finished.`);
    expect(sameBytes(Buffer.concat([first, rest]), end.body), exchange({
      sent,
      expected: `status 200 echoing all ${first.length + rest.length} bytes`,
      received: `status ${end.status}, ${sameBytes(Buffer.concat([first, rest]), end.body)}`,
    })).toBe('identical');
  });
});
