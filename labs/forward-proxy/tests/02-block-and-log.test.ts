import { describe, expect, it } from 'vitest';
import { closedPort, exchange, pick, randomBytes, randomInt, randomPath, randomWord, request, showRequest, shuffle, startUpstream } from '../kit/index.ts';
import { fakeDns, logBook, mixCase, randomHost, showReceived, startProxy, url } from './support.ts';

// Stage 2: the two things companies put a forward proxy in for, a blocklist and an access log.
// Rule names are random words, each used once, so no rule is part of another and a body that
// names the matching rule cannot also name the others by accident.

/** `rule` among 2–4 others made of words that neither it nor `host` contains, so they never match. */
function blocklist(rule: string, host: string) {
  const fresh = () => {
    let w = randomWord();
    while (rule.toLowerCase().includes(w) || host.includes(w)) w = randomWord();
    return w;
  };
  const others = Array.from({ length: randomInt(2, 4) }, () => pick([`${fresh()}.test`, `*.${fresh()}.test`, `${fresh()}.${fresh()}.test`]));
  return { rules: shuffle([rule, ...others]), others };
}

/** Sends GET <target> through a proxy with `rules`, the origin and the fake DNS watching. */
async function tryThrough(rules: string[], host: string) {
  const upstream = await startUpstream((_req, res) => res.end('allowed'));
  const dns = fakeDns();
  const proxy = await startProxy({ blocklist: rules, resolve: dns.resolve });
  const target = url(host, upstream.port, randomPath());
  const res = await request(proxy, { path: target });
  const sent = `${showRequest('GET', target)}\n    through a proxy with blocklist ${JSON.stringify(rules)}`;
  return { res, sent, upstream, dns };
}

describe('stage 2: block and log', () => {
  it.each([
    ['an exact rule', () => { const h = randomHost(); return { rule: mixCase(h), host: h }; }],
    ['an exact rule written with a trailing dot', () => { const h = randomHost(); return { rule: `${h}.`, host: h }; }],
    ['an exact rule, asked for as a fully qualified name with a trailing dot', () => { const h = randomHost(); return { rule: h, host: `${h}.` }; }],
    ['a wildcard rule, one level down', () => { const z = `${randomWord()}.test`; return { rule: `*.${mixCase(z)}`, host: `${randomWord()}.${z}` }; }],
    ['a wildcard rule, several levels down', () => { const z = `${randomWord()}.test`; return { rule: `*.${z}`, host: `${randomWord()}.${randomWord()}.${randomWord(2)}.${z}` }; }],
  ])('answers 403 naming %s, without resolving or contacting the host', async (_what, make) => {
    const { rule, host } = make();
    const { rules, others } = blocklist(rule, host);
    const { res, sent, upstream, dns } = await tryThrough(rules, host);

    expect(res.status, exchange({ sent, expected: `403 Forbidden: ${host} matches the rule "${rule}"`, received: showReceived(res) })).toBe(403);
    const text = res.text.toLowerCase();
    expect(text.includes(rule.toLowerCase()) && !others.some((o) => text.includes(o.toLowerCase())), exchange({
      sent,
      expected: `a body that names the rule that matched, "${rule}" (and no other rule), so whoever is blocked knows why`,
      received: showReceived(res),
    })).toBe(true);
    expect(`${upstream.requests.length} ${dns.asked.length}`, exchange({
      sent,
      expected: 'no request at the origin and no call to config.resolve: check the blocklist before looking the name up',
      received: `${upstream.requests.length} request(s) at the origin; config.resolve called with ${JSON.stringify(dns.asked)}`,
    })).toBe('0 0');
  });

  it.each([
    ['the name a wildcard rule is built on (its apex)', () => { const z = `${randomWord()}.test`; return { rule: `*.${z}`, host: z }; }],
    ['a look-alike that only ends with a wildcard zone', () => { const z = `${randomWord()}.test`; return { rule: `*.${z}`, host: `${randomWord(2)}${z}` }; }],
    ['a subdomain of an exact rule', () => { const h = randomHost(); return { rule: h, host: `${randomWord()}.${h}` }; }],
    ['a parent of an exact rule', () => { const z = `${randomWord()}.test`; return { rule: `${randomWord()}.${z}`, host: z }; }],
  ])('lets through %s', async (_what, make) => {
    const { rule, host } = make();
    const { rules } = blocklist(rule, host);
    const { res, sent } = await tryThrough(rules, host);
    expect(`${res.status} ${res.text}`, exchange({
      sent,
      expected: `200 "allowed" from the origin: "${rule}" does not cover ${host} (a wildcard covers subdomains only, an exact rule one name only)`,
      received: showReceived(res),
    })).toBe('200 allowed');
  });

  it('logs a forwarded request once with time, client, method, target, status, bytes and durationMs', async () => {
    const clock = { ms: randomInt(1_000_000_000_000, 2_000_000_000_000) };
    const took = randomInt(1, 5_000);
    const status = pick([200, 201, 404, 500]);
    const body = randomBytes(randomInt(100, 50_000));
    // The origin "takes" `took` ms on the test's clock before answering.
    const upstream = await startUpstream((_req, res) => {
      clock.ms += took;
      res.writeHead(status, { 'content-type': 'application/octet-stream' });
      res.end(body);
    });
    const book = logBook();
    const proxy = await startProxy({ log: book.log, now: () => clock.ms });
    const method = pick(['GET', 'POST', 'DELETE']);
    const target = url(randomHost(), upstream.port, `${randomPath()}?${randomWord()}=${randomInt(1, 99)}`);
    const arrived = new Date(clock.ms).toISOString();

    const res = await request(proxy, { method, path: target, body: method === 'POST' ? randomWord() : undefined });
    const [entry] = await book.count(1, `${method} ${target}`);
    const expected = { time: arrived, client: '127.0.0.1', method, target, status, bytes: body.length, durationMs: took };
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, (entry as unknown as Record<string, unknown>)[k]]));
    expect(picked, exchange({
      sent: `${showRequest(method, target)}\n    at ${arrived} on config.now; the origin answers ${status} with ${body.length} bytes after ${took} ms`,
      expected: `one entry ${JSON.stringify(expected)}`,
      received: `${JSON.stringify(entry)}; the client got ${res.status}`,
    })).toEqual(expected);
  });

  it('logs refused and failed requests too, exactly one entry each, in order', async () => {
    const upstream = await startUpstream((_req, res) => res.end(randomWord(randomInt(1, 6))));
    const blocked = randomHost();
    const book = logBook();
    const proxy = await startProxy({ blocklist: [blocked], log: book.log });
    const steps = shuffle([
      { why: 'blocked', status: 403, path: url(blocked, upstream.port, randomPath()) },
      { why: 'only a path', status: 400, path: randomPath() },
      { why: 'nothing listens there', status: 502, path: url('127.0.0.1', await closedPort(), randomPath()) },
      { why: 'allowed', status: 200, path: url(randomHost(), upstream.port, randomPath()) },
    ]);
    const story: string[] = [];
    for (const [i, step] of steps.entries()) {
      const res = await request(proxy, { path: step.path });
      story.push(`GET ${step.path} (${step.why}) → ${res.status}, ${res.body.length} body bytes`);
      const entries = await book.count(i + 1, story.join('; '));
      const entry = entries[i]!;
      expect(`${entry.target} ${entry.status} ${entry.bytes}`, exchange({
        sent: story.join('\n              '),
        expected: `entry ${i + 1} to be about the last request: target ${step.path}, status ${res.status}, bytes ${res.body.length}`,
        received: `entry ${i + 1} is ${JSON.stringify(entry)}`,
      })).toBe(`${step.path} ${res.status} ${res.body.length}`);
    }
    expect(book.entries.length, exchange({
      sent: story.join('\n              '),
      expected: `exactly ${steps.length} log entries, one per request`,
      received: `${book.entries.length}: ${book.entries.map((e) => `${e.status} ${e.target}`).join(', ')}`,
    })).toBe(steps.length);
  });
});
