import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt, randomPath, randomWord, request, showRequest, shuffle, startUpstream, type Received } from '../kit/index.ts';
import { origin, randomHeaderName, showReceived, startProxy } from './support.ts';

// Stage 5: a shared cache in front of the upstream. Time comes from a clock the test owns, so
// "60 seconds later" is one assignment, not a wait. Each upstream answer carries a serial number,
// so a body tells whether it came from the cache (same number) or from the upstream (a new one).

/** What the test upstream answers: a status (default 200) and headers. */
type Answer = { status?: number; headers: Record<string, string | string[]> };

/** A caching proxy in front of an upstream that answers with `answer` and "<name> #<serial>". */
async function setup(answer: Answer) {
  const name = randomWord(3);
  const upstream = await startUpstream((_req, res: ServerResponse) => {
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
    res.end(`${name} #${upstream.requests.length}`);
  });
  const clock = { ms: randomInt(1_000_000_000, 2_000_000_000_000) };
  const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }], cache: true, now: () => clock.ms });
  return { upstream, proxy, clock, body: (n: number) => `${name} #${n}` };
}

/** "public, max-age=42" in a random order, so a parser has to split the directives. */
function cacheControl(maxAge: number, ...more: string[]): string {
  return shuffle([`max-age=${maxAge}`, pick(['public', 'must-revalidate', 'stale-if-error=30']), ...more]).join(', ');
}

/** The cache-related part of a response, for messages. */
function show(res: Received): string {
  return `${showReceived(res)}, X-Cache: ${String(res.headers['x-cache'] ?? '(missing)')}, Age: ${String(res.headers.age ?? '(missing)')}`;
}

describe('stage 5: cache fresh responses', () => {
  it('answers a repeated GET from the cache with X-Cache: HIT and Age: 0', async () => {
    const header = randomHeaderName();
    const value = randomWord(3);
    const cc = cacheControl(randomInt(30, 600));
    const { upstream, proxy, body } = await setup({ headers: { 'cache-control': cc, [header]: value } });
    const path = `${randomPath()}?${randomWord()}=${randomInt(1, 99)}`;
    const sent = `${showRequest('GET', path)}\n    twice; the upstream answers 200 with Cache-Control: ${cc}`;

    const first = await request(proxy, { path });
    expect(`${first.status} ${first.text} ${String(first.headers['x-cache'])}`, exchange({
      sent,
      expected: `the first answer from the upstream: 200 "${body(1)}" with X-Cache: MISS`,
      received: show(first),
    })).toBe(`200 ${body(1)} MISS`);

    const second = await request(proxy, { path });
    expect(upstream.requests.length, exchange({
      sent,
      expected: 'only the first request to reach the upstream; the second is fresh in the cache',
      received: `${upstream.requests.length} requests at the upstream; the second answer was ${show(second)}`,
    })).toBe(1);
    const replay = `${second.status} ${second.text} ${String(second.headers[header])} ${String(second.headers['x-cache'])} ${String(second.headers.age)}`;
    expect(replay, exchange({
      sent,
      expected: `the stored answer: 200 "${body(1)}" with ${header}: ${value}, X-Cache: HIT and Age: 0 (the clock has not moved)`,
      received: `${show(second)}, ${header}: ${String(second.headers[header] ?? '(missing)')}`,
    })).toBe(`200 ${body(1)} ${value} HIT 0`);
  });

  it('counts Age in whole seconds on the injected clock and fetches again once max-age has passed', async () => {
    const maxAge = randomInt(10, 600);
    const cc = cacheControl(maxAge);
    const { upstream, proxy, clock, body } = await setup({ headers: { 'cache-control': cc } });
    const path = randomPath();
    const stored = clock.ms;
    await request(proxy, { path });

    // Part-way through max-age: still a hit. The extra 500–999 ms tell rounding down (right)
    // from rounding to the nearest second (wrong).
    const seconds = randomInt(1, maxAge - 1);
    clock.ms = stored + seconds * 1000 + randomInt(500, 999);
    const hit = await request(proxy, { path });
    expect(`${hit.text} ${String(hit.headers['x-cache'])} ${String(hit.headers.age)}`, exchange({
      sent: `${showRequest('GET', path)}\n    ${clock.ms - stored} ms after the answer with Cache-Control: ${cc} was stored`,
      expected: `"${body(1)}" from the cache with X-Cache: HIT and Age: ${seconds} (whole seconds, rounded down)`,
      received: show(hit),
    })).toBe(`${body(1)} HIT ${seconds}`);

    // Past max-age the stored answer is stale: go back to the upstream and store the new one.
    clock.ms = stored + maxAge * 1000 + randomInt(1, 5_000);
    const sent = `${showRequest('GET', path)}\n    ${clock.ms - stored} ms after the answer with max-age=${maxAge} was stored`;
    const refetched = await request(proxy, { path });
    expect(`${refetched.text} ${String(refetched.headers['x-cache'])}`, exchange({
      sent,
      expected: `a fresh answer from the upstream, "${body(2)}" with X-Cache: MISS (the stored one expired after ${maxAge} s)`,
      received: `${show(refetched)}; the upstream has seen ${upstream.requests.length} requests`,
    })).toBe(`${body(2)} MISS`);
    const again = await request(proxy, { path });
    expect(`${again.text} ${String(again.headers['x-cache'])} ${String(again.headers.age)}`, exchange({
      sent: `the same GET ${path} again, at the same moment`,
      expected: `the new answer "${body(2)}" from the cache with X-Cache: HIT and Age: 0`,
      received: show(again),
    })).toBe(`${body(2)} HIT 0`);
  });

  it.each<[string, Answer]>([
    ['Cache-Control: no-store', { headers: { 'cache-control': 'no-store' } }],
    ['Cache-Control: private', { headers: { 'cache-control': cacheControl(300, 'private') } }],
    ['Cache-Control: no-cache', { headers: { 'cache-control': cacheControl(300, 'no-cache') } }],
    ['a Set-Cookie header', { headers: { 'cache-control': cacheControl(300), 'set-cookie': `${randomWord()}=${randomWord()}` } }],
    ['no Cache-Control at all', { headers: {} }],
    ['a status other than 200', { status: pick([201, 203, 301, 404, 500]), headers: { 'cache-control': cacheControl(300) } }],
  ])('never stores a response with %s', async (_what, answer) => {
    const { proxy, body } = await setup(answer);
    const path = randomPath();
    const first = await request(proxy, { path });
    const second = await request(proxy, { path });
    const upstreamSaid = `${answer.status ?? 200} with ${JSON.stringify(answer.headers)}`;
    expect(`${second.text} ${String(second.headers['x-cache'])}`, exchange({
      sent: `${showRequest('GET', path)}\n    twice; the upstream answers ${upstreamSaid}`,
      expected: `both requests to reach the upstream (the second answer is "${body(2)}" with X-Cache: MISS): this response must not be stored`,
      received: `first ${show(first)}; second ${show(second)}`,
    })).toBe(`${body(2)} MISS`);
  });

  it('never answers a request other than GET from the cache', async () => {
    const cc = cacheControl(randomInt(30, 600));
    const { upstream, proxy, body } = await setup({ headers: { 'cache-control': cc } });
    const method = pick(['POST', 'PUT', 'PATCH']);
    const path = randomPath();
    const first = await request(proxy, { method, path, body: randomWord() });
    const second = await request(proxy, { method, path, body: randomWord() });
    expect(`${second.text} ${String(second.headers['x-cache'])}`, exchange({
      sent: `${showRequest(method, path)}\n    twice; the upstream answers 200 with Cache-Control: ${cc}`,
      expected: `both to reach the upstream (the second answer is "${body(2)}" with X-Cache: MISS): only GET is cacheable here`,
      received: `first ${show(first)}; second ${show(second)}; the upstream saw ${upstream.requests.length} requests`,
    })).toBe(`${body(2)} MISS`);
  });

  it('keeps a separate entry for each path and query', async () => {
    const { proxy, body } = await setup({ headers: { 'cache-control': cacheControl(randomInt(30, 600)) } });
    const path = randomPath();
    const key = randomWord();
    const [a, b, other] = [`${path}?${key}=1`, `${path}?${key}=2`, randomPath(3)];
    const steps: Array<[string, string]> = [
      [a, `"${body(1)}" with X-Cache: MISS`],
      [b, `"${body(2)}" with X-Cache: MISS (a different query is a different resource)`],
      [other, `"${body(3)}" with X-Cache: MISS (a different path)`],
      [a, `"${body(1)}" with X-Cache: HIT (the first answer, stored under ${a})`],
      [b, `"${body(2)}" with X-Cache: HIT (stored under ${b})`],
    ];
    const seen: string[] = [];
    for (const [target, want] of steps) {
      const res = await request(proxy, { path: target });
      seen.push(`GET ${target} → ${show(res)}`);
      expect(`"${res.text}" with X-Cache: ${String(res.headers['x-cache'])}`, exchange({
        sent: seen.join('\n              '),
        expected: want,
        received: show(res),
      })).toBe(want.replace(/ \(.*\)$/, ''));
    }
  });
});
