import { describe, expect, it } from 'vitest';
import { exchange, pick, randomBytes, randomInt, randomPath, randomWord, request, showRequest, startUpstream, type Received } from '../kit/index.ts';
import { list, randomHeaderName, randomHost, sameBytes, startProxy, url } from './support.ts';

// Stage 5: a cache that asks before it serves. The origin here behaves like a real one: it answers
// 304 when If-None-Match names its current ETag (weak comparison, RFC 9110 §13.1.2) or, with no
// If-None-Match, when If-Modified-Since is not older than its Last-Modified. Time comes from a clock
// the test owns, so "ten minutes later" is one assignment, not a wait.

type Validators = { etag?: boolean; lastModified?: boolean };

/** An origin serving one resource that the test can change; it records every request. */
async function origin(opts: Validators & { cacheControl?: string; status?: number; setCookie?: boolean } = {}) {
  const header = randomHeaderName();
  const newVersion = (n: number) => ({
    body: randomBytes(randomInt(1_000, 60_000)),
    etag: pick([`"${randomWord(3)}${n}"`, `W/"${randomWord(2)}-${n}"`]),
    lastModified: new Date(Date.UTC(2020, 0, 1) + n * 86_400_000 + randomInt(0, 80_000) * 1000).toUTCString(),
    value: `${randomWord(2)} ${n}`,
  });
  const state = { version: newVersion(1), n: 1, on304: {} as Record<string, string> };
  const tag = (t: string) => t.replace(/^W\//, '');
  const upstream = await startUpstream((req, res) => {
    const v = state.version;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified =
      inm !== undefined
        ? opts.etag === true && list(inm).some((t) => tag(t) === tag(v.etag))
        : ims !== undefined && opts.lastModified === true && Date.parse(ims) >= Date.parse(v.lastModified);
    const headers: Record<string, string> = { [header]: v.value };
    if (opts.cacheControl) headers['cache-control'] = opts.cacheControl;
    if (opts.etag) headers.etag = v.etag;
    if (opts.lastModified) headers['last-modified'] = v.lastModified;
    if (opts.setCookie) headers['set-cookie'] = `${randomWord()}=${randomWord()}`;
    if (notModified) {
      res.writeHead(304, { ...headers, ...state.on304 });
      res.end();
    } else {
      res.writeHead(opts.status ?? 200, { ...headers, 'content-type': 'application/octet-stream' });
      res.end(v.body);
    }
  });
  const change = () => {
    state.n += 1;
    state.version = newVersion(state.n);
  };
  return { upstream, state, header, change };
}

/** A caching proxy on the test's clock. */
async function cachingProxy() {
  const clock = { ms: randomInt(1_000_000_000_000, 2_000_000_000_000) };
  const port = await startProxy({ cache: true, now: () => clock.ms });
  return { port, clock };
}

/** Status, X-Cache and whether the body is `body`, in one comparable line. */
function outcome(res: Received, body: Buffer): string {
  return `${res.status} ${String(res.headers['x-cache'] ?? '(no X-Cache)')} ${sameBytes(body, res.body)}`;
}

/** The conditional headers a request reached the origin with. */
function conditions(req: { headers: Record<string, unknown> } | undefined): string {
  if (!req) return '(no request reached the origin)';
  const parts = ['if-none-match', 'if-modified-since'].filter((h) => req.headers[h] !== undefined).map((h) => `${h}: ${String(req.headers[h])}`);
  return parts.length ? parts.join(', ') : 'no If-None-Match or If-Modified-Since';
}

describe('stage 5: revalidation', () => {
  it.each([
    ['ETag', { etag: true }],
    ['Last-Modified', { lastModified: true }],
    ['ETag and Last-Modified', { etag: true, lastModified: true }],
  ] as Array<[string, Validators]>)('revalidates a stored response with its %s and serves a 304 as 200 with X-Cache: REVALIDATED', async (what, validators) => {
    const { upstream, state, header } = await origin(validators);
    const { port } = await cachingProxy();
    const target = url(randomHost(), upstream.port, `${randomPath()}?${randomWord()}=${randomInt(1, 99)}`);
    const v = state.version;
    const said = `the origin answers 200 with ${[validators.etag && `ETag: ${v.etag}`, validators.lastModified && `Last-Modified: ${v.lastModified}`].filter(Boolean).join(' and ')} and ${v.body.length} bytes`;
    const sent = `${showRequest('GET', target)}\n    twice; ${said}`;

    const first = await request(port, { path: target });
    expect(outcome(first, v.body), exchange({ sent, expected: "the origin's answer, 200 with X-Cache: MISS", received: outcome(first, v.body) }))
      .toBe('200 MISS identical');

    const second = await request(port, { path: target });
    const asked = upstream.requests[1];
    const wanted = [validators.etag && `if-none-match: ${v.etag}`, validators.lastModified && `if-modified-since: ${v.lastModified}`].filter(Boolean).join(', ');
    const ok = asked !== undefined &&
      (!validators.etag || list(asked.headers['if-none-match']).includes(v.etag)) &&
      (!validators.lastModified || Date.parse(String(asked.headers['if-modified-since'])) === Date.parse(v.lastModified));
    expect(ok, exchange({
      sent,
      expected: `the second request to reach the origin with ${wanted}: "send it only if it has changed since the copy I hold"`,
      received: conditions(asked),
    })).toBe(true);
    expect(`${outcome(second, v.body)} ${String(second.headers[header])}`, exchange({
      sent: `${sent}\n    (the origin answered the second one 304 Not Modified)`,
      expected: `200 with X-Cache: REVALIDATED, the stored ${v.body.length}-byte body and ${header}: ${v.value} (a client never sees our 304)`,
      received: `${outcome(second, v.body)}, ${header}: ${String(second.headers[header] ?? '(missing)')}`,
    })).toBe(`200 REVALIDATED identical ${v.value}`);
  });

  it('fetches and stores the new version when the origin answers the conditional request with 200', async () => {
    const { upstream, state, change } = await origin({ etag: true });
    const { port } = await cachingProxy();
    const target = url(randomHost(), upstream.port, randomPath());
    const old = state.version;
    await request(port, { path: target });
    change();
    const fresh = state.version;
    const sent = `${showRequest('GET', target)}\n    after the resource changed from ETag ${old.etag} to ${fresh.etag}`;

    const changed = await request(port, { path: target });
    expect(outcome(changed, fresh.body), exchange({
      sent,
      expected: `the new ${fresh.body.length}-byte body with X-Cache: MISS (the origin sent it in full)`,
      received: `${outcome(changed, fresh.body)}; the origin saw ${conditions(upstream.requests[1])}`,
    })).toBe('200 MISS identical');

    const again = await request(port, { path: target });
    expect(`${conditions(upstream.requests[2])} → ${outcome(again, fresh.body)}`, exchange({
      sent: `${sent}, then once more`,
      expected: `a revalidation with the new ETag, answered from the cache with X-Cache: REVALIDATED`,
      received: `${conditions(upstream.requests[2])} → ${outcome(again, fresh.body)}`,
    })).toBe(`if-none-match: ${fresh.etag} → 200 REVALIDATED identical`);
  });

  it('answers without asking the origin while max-age lasts (X-Cache: HIT), then revalidates', async () => {
    const maxAge = randomInt(10, 600);
    const { upstream, state } = await origin({ etag: true, cacheControl: pick([`max-age=${maxAge}`, `public, max-age=${maxAge}`]) });
    const { port, clock } = await cachingProxy();
    const target = url(randomHost(), upstream.port, randomPath());
    const stored = clock.ms;
    const body = state.version.body;
    await request(port, { path: target });

    clock.ms = stored + randomInt(0, maxAge * 1000 - 1);
    const hit = await request(port, { path: target });
    expect(`${outcome(hit, body)}, origin asked ${upstream.requests.length} time(s)`, exchange({
      sent: `${showRequest('GET', target)}\n    ${clock.ms - stored} ms after storing an answer with max-age=${maxAge}`,
      expected: 'the stored answer with X-Cache: HIT, without asking the origin: it is still fresh',
      received: `${outcome(hit, body)}, origin asked ${upstream.requests.length} time(s)`,
    })).toBe('200 HIT identical, origin asked 1 time(s)');

    clock.ms = stored + maxAge * 1000 + randomInt(1, 5_000);
    const later = await request(port, { path: target });
    expect(`${conditions(upstream.requests[1])} → ${outcome(later, body)}`, exchange({
      sent: `${showRequest('GET', target)}\n    ${clock.ms - stored} ms after storing an answer with max-age=${maxAge}`,
      expected: 'a conditional request to the origin (the copy is stale), answered 304, then 200 with X-Cache: REVALIDATED',
      received: `${conditions(upstream.requests[1])} → ${outcome(later, body)}`,
    })).toBe(`if-none-match: ${state.version.etag} → 200 REVALIDATED identical`);
  });

  it("takes a 304's headers into the stored copy and counts max-age from the revalidation", async () => {
    const { upstream, state, header } = await origin({ etag: true, cacheControl: 'no-cache' });
    const { port, clock } = await cachingProxy();
    const target = url(randomHost(), upstream.port, randomPath());
    const body = state.version.body;
    await request(port, { path: target });

    const maxAge = randomInt(10, 600);
    const value = `${randomWord(3)} updated`;
    state.on304 = { 'cache-control': `max-age=${maxAge}`, [header]: value };
    clock.ms += randomInt(1, 100_000);
    const sent = `${showRequest('GET', target)}\n    (first stored with Cache-Control: no-cache; the origin's 304 says Cache-Control: max-age=${maxAge} and ${header}: ${value})`;
    const revalidated = await request(port, { path: target });
    expect(`${outcome(revalidated, body)} ${String(revalidated.headers[header])}`, exchange({
      sent,
      expected: `200 REVALIDATED with the stored body and the 304's ${header}: ${value}`,
      received: `${outcome(revalidated, body)}, ${header}: ${String(revalidated.headers[header] ?? '(missing)')}`,
    })).toBe(`200 REVALIDATED identical ${value}`);

    clock.ms += randomInt(0, maxAge * 1000 - 1);
    const hit = await request(port, { path: target });
    expect(`${outcome(hit, body)} ${String(hit.headers[header])}, origin asked ${upstream.requests.length} times`, exchange({
      sent: `${sent}\n    then again, less than ${maxAge} s after that revalidation`,
      expected: `200 HIT with ${header}: ${value}: the 304 made the copy fresh for ${maxAge} s from then`,
      received: `${outcome(hit, body)}, ${header}: ${String(hit.headers[header] ?? '(missing)')}, origin asked ${upstream.requests.length} times`,
    })).toBe(`200 HIT identical ${value}, origin asked 2 times`);
  });

  type Plain = { method?: string; headers?: Record<string, string>; body?: string };
  it.each<[string, Parameters<typeof origin>[0], Plain]>([
    ['has no validator and no max-age', {}, {}],
    ['says Cache-Control: no-store', { etag: true, cacheControl: 'no-store' }, {}],
    ['says Cache-Control: private', { etag: true, cacheControl: `private, max-age=${randomInt(60, 600)}` }, {}],
    ['sets a cookie', { etag: true, setCookie: true }, {}],
    ['is not a 200', { etag: true, status: pick([203, 404, 410]) }, {}],
    ['answers a request with Authorization', { etag: true }, { headers: { authorization: `Bearer ${randomWord(3)}` } }],
    ['answers a POST', { etag: true }, { method: 'POST', body: randomWord() }],
  ])('never stores a response that %s', async (what, opts, req) => {
    const { upstream } = await origin(opts);
    const { port } = await cachingProxy();
    const target = url(randomHost(), upstream.port, randomPath());
    const send = { path: target, ...req };
    await request(port, send);
    const second = await request(port, send);
    expect(`${conditions(upstream.requests[1])}, X-Cache: ${String(second.headers['x-cache'])}`, exchange({
      sent: `${showRequest(send.method ?? 'GET', target, send.headers)}\n    twice, where the origin's answer ${what}`,
      expected: 'the second request to reach the origin as a plain request (nothing stored to revalidate), and X-Cache: MISS',
      received: `${conditions(upstream.requests[1])}, X-Cache: ${String(second.headers['x-cache'] ?? '(missing)')}`,
    })).toBe('no If-None-Match or If-Modified-Since, X-Cache: MISS');
  });

  it('keeps one entry per full URL: host, port, path and query all count', async () => {
    const [a, b] = [await origin({ etag: true }), await origin({ etag: true })];
    const { port } = await cachingProxy();
    const path = randomPath();
    const [hostA, hostB] = [randomHost(), randomHost()];
    const urlA = url(hostA, a.upstream.port, path);
    const urlB = url(hostB, b.upstream.port, path);
    const query = `${urlA}?${randomWord()}=${randomInt(1, 9)}`;
    const steps: Array<[string, Buffer, string]> = [
      [urlA, a.state.version.body, 'MISS'],
      [urlB, b.state.version.body, 'MISS'],
      [query, a.state.version.body, 'MISS'],
      [urlA, a.state.version.body, 'REVALIDATED'],
      [urlB, b.state.version.body, 'REVALIDATED'],
    ];
    const story: string[] = [];
    for (const [target, body, how] of steps) {
      const res = await request(port, { path: target });
      story.push(`GET ${target} → ${outcome(res, body)}`);
      expect(outcome(res, body), exchange({
        sent: story.join('\n              '),
        expected: `200 ${how} with the body of ${target}: the same path on another host, port or query is another resource`,
        received: outcome(res, body),
      })).toBe(`200 ${how} identical`);
    }
  });
});
