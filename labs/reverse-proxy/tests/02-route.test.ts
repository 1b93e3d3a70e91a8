import { describe, expect, it } from 'vitest';
import { exchange, randomInt, randomWord, request, shuffle, showRequest, startUpstream, type Upstream } from '../kit/index.ts';
import type { Route } from '../src/proxy.ts';
import { origin, showReceived, startProxy } from './support.ts';

// Stage 2: a route table. Every upstream answers with its own random name, so a response says
// which route was taken. Tables are tried in more than one order so "first match wins" cannot pass.

/** An upstream that answers every request with its name. */
async function named(): Promise<{ name: string; upstream: Upstream }> {
  const name = `upstream-${randomWord(3)}`;
  const upstream = await startUpstream((_req, res) => res.end(name));
  return { name, upstream };
}

/** A random host such as "kalomi.example". */
function randomHost(): string {
  return `${randomWord(3)}.example`;
}

/** Prints a route table the way a test configured it. */
function showRoutes(routes: Route[], names: Map<string, string>): string {
  return routes
    .map((r) => JSON.stringify({ ...r, upstream: names.get(r.upstream) ?? r.upstream }))
    .join('\n              ');
}

/** Sends one request and checks which upstream answered. */
async function expectRoutedTo(
  proxy: number,
  sent: { host: string; path: string },
  want: string,
  table: string,
): Promise<void> {
  const res = await request(proxy, { path: sent.path, headers: { host: sent.host } });
  expect(res.text, exchange({
    sent: `${showRequest('GET', sent.path, { Host: sent.host })}\n    with routes ${table}`,
    expected: `200 from ${want}`,
    received: showReceived(res),
  })).toBe(want);
}

describe('stage 2: route by host and path', () => {
  it('routes by Host, ignoring its port and letter case', async () => {
    const [a, b] = [await named(), await named()];
    const [hostA, hostB] = [randomHost(), randomHost()];
    const routes = shuffle<Route>([
      { host: hostA, upstream: origin(a.upstream.port) },
      { host: hostB, upstream: origin(b.upstream.port) },
    ]);
    const names = new Map([[origin(a.upstream.port), a.name], [origin(b.upstream.port), b.name]]);
    const table = showRoutes(routes, names);
    const proxy = await startProxy({ routes });

    await expectRoutedTo(proxy, { host: hostA, path: '/' }, a.name, table);
    await expectRoutedTo(proxy, { host: hostB, path: `/${randomWord()}` }, b.name, table);
    // "Host: KALOMI.example:8080" still names kalomi.example.
    await expectRoutedTo(proxy, { host: `${hostB.toUpperCase()}:${randomInt(1024, 65_535)}`, path: '/' }, b.name, table);
  });

  it('picks the longest matching path prefix, whatever the order of the table', async () => {
    const [top, short, long] = [await named(), await named(), await named()];
    const p1 = `/${randomWord(2)}`;
    const p2 = `${p1}/${randomWord(2)}`;
    const shortestFirst: Route[] = [
      { pathPrefix: '/', upstream: origin(top.upstream.port) },
      { pathPrefix: p1, upstream: origin(short.upstream.port) },
      { pathPrefix: p2, upstream: origin(long.upstream.port) },
    ];
    const names = new Map([top, short, long].map((u) => [origin(u.upstream.port), u.name]));
    const host = randomHost();
    // Both orders, so neither "first match wins" nor "last match wins" can pass by luck.
    for (const routes of [shortestFirst, [...shortestFirst].reverse()]) {
      const table = showRoutes(routes, names);
      const proxy = await startProxy({ routes });
      await expectRoutedTo(proxy, { host, path: `${p2}/${randomWord()}?${randomWord()}=1` }, long.name, table);
      await expectRoutedTo(proxy, { host, path: p2 }, long.name, table);
      await expectRoutedTo(proxy, { host, path: `${p1}/${randomWord()}` }, short.name, table);
      await expectRoutedTo(proxy, { host, path: p1 }, short.name, table);
      await expectRoutedTo(proxy, { host, path: `/${randomWord(4)}` }, top.name, table);
      // Prefixes cover whole path segments: "/kalo" must not claim "/kalomine".
      await expectRoutedTo(proxy, { host, path: `${p1}${randomWord(2)}` }, top.name, table);
    }
  });

  it('lets routes that name the Host take priority over routes that do not, like virtual hosts', async () => {
    const [generic, specific] = [await named(), await named()];
    const host = randomHost();
    const prefix = `/${randomWord(2)}`;
    // The host-less route has the longer prefix, yet a request for `host` must stay on its own routes.
    const genericFirst: Route[] = [
      { pathPrefix: prefix, upstream: origin(generic.upstream.port) },
      { host, upstream: origin(specific.upstream.port) },
    ];
    const names = new Map([generic, specific].map((u) => [origin(u.upstream.port), u.name]));
    for (const routes of [genericFirst, [...genericFirst].reverse()]) {
      const table = showRoutes(routes, names);
      const proxy = await startProxy({ routes });
      await expectRoutedTo(proxy, { host, path: `${prefix}/${randomWord()}` }, specific.name, table);
      await expectRoutedTo(proxy, { host: randomHost(), path: `${prefix}/${randomWord()}` }, generic.name, table);
    }
  });

  it('strips the prefix when the route asks for it, keeping the rest of the path and the query', async () => {
    const { upstream } = await named();
    const prefix = `/${randomWord(2)}/${randomWord(2)}`;
    const routes: Route[] = [{ pathPrefix: prefix, stripPrefix: true, upstream: origin(upstream.port) }];
    const proxy = await startProxy({ routes });
    const rest = `/${randomWord()}/${randomWord()}?${randomWord()}=${randomInt(1, 999)}`;
    const query = `?${randomWord()}=${randomWord()}`;

    for (const [path, want] of [[`${prefix}${rest}`, rest], [prefix, '/'], [`${prefix}${query}`, `/${query}`]] as const) {
      const before = upstream.requests.length;
      const res = await request(proxy, { path });
      const got = upstream.requests[before]?.url;
      expect(got, exchange({
        sent: `${showRequest('GET', path)}\n    with routes ${JSON.stringify(routes)}`,
        expected: `the upstream to be asked for "${want}" (the prefix "${prefix}" removed)`,
        received: got === undefined ? `nothing at the upstream; the client got ${showReceived(res)}` : `"${got}"`,
      })).toBe(want);
    }
  });

  it('forwards the full path when the route does not strip the prefix', async () => {
    const { upstream } = await named();
    const prefix = `/${randomWord(2)}`;
    const routes: Route[] = [{ pathPrefix: prefix, upstream: origin(upstream.port) }];
    const proxy = await startProxy({ routes });
    const path = `${prefix}/${randomWord()}?${randomWord()}=${randomInt(1, 999)}`;

    const res = await request(proxy, { path });
    const got = upstream.requests[0]?.url;
    expect(got, exchange({
      sent: `${showRequest('GET', path)}\n    with routes ${JSON.stringify(routes)}`,
      expected: `the upstream to be asked for "${path}", unchanged`,
      received: got === undefined ? `nothing at the upstream; the client got ${showReceived(res)}` : `"${got}"`,
    })).toBe(path);
  });

  it('returns 404 saying no route matched when nothing matches', async () => {
    const [mine, shared] = [await named(), await named()];
    const host = randomHost();
    const [prefix, sharedPrefix] = [`/${randomWord(2)}`, `/${randomWord(3)}`];
    const routes: Route[] = [
      { host, pathPrefix: prefix, upstream: origin(mine.upstream.port) },
      { pathPrefix: sharedPrefix, upstream: origin(shared.upstream.port) },
    ];
    const names = new Map([mine, shared].map((u) => [origin(u.upstream.port), u.name]));
    const proxy = await startProxy({ routes });

    for (const sent of [
      { host: randomHost(), path: `/${randomWord(4)}` }, // unknown host, no host-less prefix matches
      { host, path: `${sharedPrefix}/${randomWord()}` }, // the host has routes, none for this path
    ]) {
      const res = await request(proxy, { path: sent.path, headers: { host: sent.host } });
      const message = exchange({
        sent: `${showRequest('GET', sent.path, { Host: sent.host })}\n    with routes ${showRoutes(routes, names)}`,
        expected: '404 with a short body saying no route matched (containing "no route")',
        received: showReceived(res),
      });
      expect(res.status, message).toBe(404);
      expect(res.text, message).toMatch(/no route/i);
    }
    expect(mine.upstream.requests.length + shared.upstream.requests.length, 'No request should reach an upstream when no route matches.').toBe(0);
  });
});
