import { describe, expect, it } from 'vitest';
import { exchange, randomInt, randomPath, randomWord, request, showRequest, startUpstream, type Recorded } from '../kit/index.ts';
import { list, origin, randomHeaderName, randomIp, shout, showReceived, startProxy } from './support.ts';

// Stage 3: what a proxy adds (X-Forwarded-*, Via) and what it must never pass on (hop-by-hop
// headers). The hop-by-hop names a proxy has to learn from Connection are random every run.

/** A proxy with one catch-all route to a recording upstream; returns both. */
async function setup(respond?: Parameters<typeof startUpstream>[0]) {
  const upstream = await startUpstream(respond);
  const proxy = await startProxy({ routes: [{ upstream: origin(upstream.port) }] });
  return { upstream, proxy };
}

/** The one request the upstream recorded, or a readable failure when there was none. */
function only(requests: Recorded[], sent: string, got: string): Recorded {
  expect(requests.length, exchange({ sent, expected: 'the upstream to receive the request', received: `nothing at the upstream; the client got ${got}` })).toBe(1);
  return requests[0]!;
}

describe('stage 3: forwarding and hop-by-hop headers', () => {
  it('appends the client address to an existing X-Forwarded-For chain', async () => {
    const { upstream, proxy } = await setup();
    const chain = Array.from({ length: randomInt(1, 3) }, randomIp);
    const path = randomPath();
    const headers = { 'x-forwarded-for': chain.join(', ') };
    const sent = showRequest('GET', path, headers);
    const res = await request(proxy, { path, headers });
    const got = only(upstream.requests, sent, showReceived(res)).headers['x-forwarded-for'];
    expect(list(got), exchange({
      sent,
      expected: `X-Forwarded-For: ${[...chain, '127.0.0.1'].join(', ')} (the earlier hops, then the client this proxy saw)`,
      received: `X-Forwarded-For: ${String(got ?? '(missing)')}`,
    })).toEqual([...chain, '127.0.0.1']);
  });

  it('starts X-Forwarded-For with the client address when the client sent none', async () => {
    const { upstream, proxy } = await setup();
    const path = randomPath();
    const sent = showRequest('GET', path);
    const res = await request(proxy, { path });
    const got = only(upstream.requests, sent, showReceived(res)).headers['x-forwarded-for'];
    expect(list(got), exchange({
      sent,
      expected: 'X-Forwarded-For: 127.0.0.1 (the address the request came from)',
      received: `X-Forwarded-For: ${String(got ?? '(missing)')}`,
    })).toEqual(['127.0.0.1']);
  });

  it('tells the upstream the original Host and protocol with X-Forwarded-Host and X-Forwarded-Proto', async () => {
    const { upstream, proxy } = await setup();
    const host = `${randomWord(3)}.example`;
    const path = randomPath();
    const sent = showRequest('GET', path, { Host: host });
    const res = await request(proxy, { path, headers: { host } });
    const got = only(upstream.requests, sent, showReceived(res)).headers;
    expect(got['x-forwarded-host'], exchange({
      sent,
      expected: `X-Forwarded-Host: ${host} (the Host the client asked for)`,
      received: `X-Forwarded-Host: ${String(got['x-forwarded-host'] ?? '(missing)')}`,
    })).toBe(host);
    expect(got['x-forwarded-proto'], exchange({
      sent,
      expected: 'X-Forwarded-Proto: http (the client reached the proxy over plain HTTP)',
      received: `X-Forwarded-Proto: ${String(got['x-forwarded-proto'] ?? '(missing)')}`,
    })).toBe('http');
  });

  it('adds itself to Via on the request and on the response, after any earlier entries', async () => {
    const upstreamVia = `1.1 ${randomWord(3)}`;
    const { upstream, proxy } = await setup((_req, res) => {
      res.setHeader('via', upstreamVia);
      res.end('ok');
    });
    const clientVia = `1.0 ${randomWord(3)}`;
    const path = randomPath();
    const sent = showRequest('GET', path, { Via: clientVia });
    const res = await request(proxy, { path, headers: { via: clientVia } });
    const up = list(only(upstream.requests, sent, showReceived(res)).headers.via);
    const down = list(res.headers.via);
    // Via entries are "<protocol version> <name>", e.g. "1.1 edge-proxy"; ours comes last.
    const ours = /^1\.1 [^\s,]+/;
    expect(up.length === 2 && up[0] === clientVia && ours.test(up[1]!), exchange({
      sent,
      expected: `the upstream to see Via: ${clientVia}, 1.1 <your proxy's name>`,
      received: `Via: ${up.join(', ') || '(missing)'}`,
    })).toBe(true);
    expect(down.length === 2 && down[0] === upstreamVia && ours.test(down[1]!), exchange({
      sent: `${sent}\n    (the upstream answers with Via: ${upstreamVia})`,
      expected: `the client to see Via: ${upstreamVia}, 1.1 <your proxy's name>`,
      received: `Via: ${down.join(', ') || '(missing)'}`,
    })).toBe(true);
  });

  it('drops hop-by-hop headers from the request, including every header Connection names', async () => {
    const { upstream, proxy } = await setup();
    const [named1, named2, kept] = [randomHeaderName(), randomHeaderName(), randomHeaderName()];
    const keptValue = randomWord(3);
    // Connection names two random headers, in upper case to show the match ignores case.
    const headers: Record<string, string> = {
      connection: `keep-alive, ${shout(named1)}, ${shout(named2)}`,
      [named1]: randomWord(),
      [named2]: randomWord(),
      'keep-alive': 'timeout=5, max=100',
      'proxy-authorization': `Basic ${Buffer.from(`${randomWord()}:${randomWord()}`).toString('base64')}`,
      'proxy-connection': 'keep-alive',
      te: 'trailers',
      trailer: 'x-checksum',
      upgrade: `${randomWord()}/1`,
      'transfer-encoding': 'chunked',
      [kept]: keptValue,
    };
    const path = randomPath();
    const sent = showRequest('POST', path, headers);
    const res = await request(proxy, { method: 'POST', path, headers, body: randomWord(4) });
    const got = only(upstream.requests, sent, showReceived(res)).headers;

    const leaked = [named1, named2, 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade'].filter(
      (name) => got[name] !== undefined,
    );
    const connection = list(got.connection).map((t) => t.toLowerCase());
    if (connection.includes(named1) || connection.includes(named2)) leaked.push(`connection (still naming ${named1}/${named2})`);
    expect(leaked, exchange({
      sent,
      expected: 'no hop-by-hop header at the upstream: not Connection, nor any header it names (names ignore case), nor Keep-Alive, Proxy-*, TE, Trailer or Upgrade',
      received: `the upstream still saw: ${leaked.join(', ')}`,
    })).toEqual([]);
    expect(got[kept], exchange({
      sent,
      expected: `${kept}: ${keptValue} to arrive, because Connection does not name it (it is end-to-end)`,
      received: `${kept}: ${String(got[kept] ?? '(missing)')}`,
    })).toBe(keptValue);
  });

  it('drops hop-by-hop headers from the response, including every header Connection names', async () => {
    const [named1, named2, kept] = [randomHeaderName(), randomHeaderName(), randomHeaderName()];
    const keptValue = randomWord(3);
    const hopHeaders: Record<string, string> = {
      connection: `${shout(named1)}, keep-alive, ${shout(named2)}`,
      [named1]: randomWord(),
      [named2]: randomWord(),
      'keep-alive': `timeout=${randomInt(2, 60)}`,
      'proxy-authenticate': `Basic realm="${randomWord()}"`,
      trailer: 'x-checksum',
      upgrade: `${randomWord()}/2`,
    };
    const { proxy } = await setup((_req, res) => {
      for (const [name, value] of Object.entries(hopHeaders)) res.setHeader(name, value);
      res.setHeader(kept, keptValue);
      res.write(randomWord()); // no Content-Length: the upstream's body is chunked
      res.end(randomWord());
    });
    const path = randomPath();
    const res = await request(proxy, { path });
    const sent = `${showRequest('GET', path)}\n    (the upstream answers with\n    ${Object.entries(hopHeaders).map(([k, v]) => `${k}: ${v}`).join('\n    ')})`;

    const leaked = [named1, named2, 'keep-alive', 'proxy-authenticate', 'trailer', 'upgrade'].filter((name) => res.headers[name] !== undefined);
    const connection = list(res.headers.connection).map((t) => t.toLowerCase());
    if (connection.includes(named1) || connection.includes(named2)) leaked.push(`connection (still naming ${named1}/${named2})`);
    expect(leaked, exchange({
      sent,
      expected: 'none of those hop-by-hop headers at the client, including the ones Connection names (names ignore case); Node adds its own Connection',
      received: `the client still saw: ${leaked.join(', ')}; status ${res.status}`,
    })).toEqual([]);
    expect(res.headers[kept], exchange({
      sent,
      expected: `${kept}: ${keptValue} to reach the client (it is end-to-end)`,
      received: `${kept}: ${String(res.headers[kept] ?? '(missing)')}; ${showReceived(res)}`,
    })).toBe(keptValue);
  });
});
