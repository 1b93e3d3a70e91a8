import { describe, expect, it } from 'vitest';
import { exchange, pick, preview, randomInt, randomWord, request, shuffle, showRequest } from '../kit/index.ts';
import type { PoolConfig } from '../src/balancer.ts';
import { answeredBy, at, list, names, pathOutside, smoothWeighted, startBackend, startBalancer, type Backend } from './support.ts';

type Named = { label: string; backends: Backend[]; config: PoolConfig };

// A realistic layout with random names: a default pool, /<a> and the longer /<a>/<b> (so the
// longest prefix has to win), and a virtual host with its own default and /<a> pools.
async function layout() {
  const sizes = [2, randomInt(2, 3), randomInt(2, 3), 2, 1];
  const all = await Promise.all(names(sizes.reduce((a, b) => a + b, 0)).map((n) => startBackend(n)));
  const take = (n: number) => all.splice(0, n);
  const short = `/${randomWord(2)}`;
  const long = `${short}/${randomWord(2)}`;
  const vhost = `${randomWord(2)}.${randomWord(2)}.test`;
  const pools: Record<string, Named> = {};
  const add = (label: string, backends: Backend[], extra: Omit<PoolConfig, 'backends'>) =>
    (pools[label] = { label, backends, config: { ...extra, backends: backends.map((b) => at(b)) } });
  add('default', take(sizes[0]!), {});
  add(`prefix ${short}`, take(sizes[1]!), { pathPrefix: short });
  add(`prefix ${long}`, take(sizes[2]!), { pathPrefix: long, algorithm: 'least-connections' });
  add(`host ${vhost}`, take(sizes[3]!), { host: vhost });
  add(`host ${vhost} + prefix ${short}`, take(sizes[4]!), { host: vhost, pathPrefix: short });
  // An order where neither "first pool that matches" nor "last pool that matches" is the longest
  // prefix: /<a> comes before the default pool and before /<a>/<b> is not first. Host pools go anywhere.
  const order = pick([
    ['prefix ' + short, 'default', 'prefix ' + long],
    ['prefix ' + short, 'prefix ' + long, 'default'],
  ]).map((label) => pools[label]!);
  for (const hostPool of shuffle([pools[`host ${vhost}`]!, pools[`host ${vhost} + prefix ${short}`]!])) {
    order.splice(randomInt(0, order.length), 0, hostPool);
  }
  const port = await startBalancer({ pools: order.map((p) => p.config) });
  return { port, pools, short, long, vhost };
}

/** Sends each request and checks it landed in the expected pool. */
async function expectRoutes(port: number, cases: Array<{ path: string; host?: string; pool: Named }>) {
  for (const c of cases) {
    const headers: Record<string, string> = c.host ? { host: c.host } : {};
    const res = await request(port, { path: c.path, headers });
    const who = answeredBy([res])[0]!;
    expect(
      c.pool.backends.map((b) => b.name),
      exchange({
        sent: showRequest('GET', c.path, c.host ? headers : { host: `127.0.0.1:${port}` }),
        expected: `the "${c.pool.label}" pool (${list(c.pool.backends.map((b) => b.name))})`,
        received: res.status === 200 ? `answered by ${who}` : `${res.status} ${preview(res.text, 50)}`,
      }),
    ).toContain(who);
  }
}

describe('stage 5: content routing', () => {
  it('routes each path to the pool with the longest matching prefix', async () => {
    const { port, pools, short, long } = await layout();
    const other = pathOutside(short);
    await expectRoutes(port, [
      { path: `${long}/${randomWord(2)}`, pool: pools[`prefix ${long}`]! },
      { path: `${short}/${randomWord(2)}`, pool: pools[`prefix ${short}`]! },
      { path: long, pool: pools[`prefix ${long}`]! },
      { path: short, pool: pools[`prefix ${short}`]! },
      { path: `${other}${short}`, pool: pools.default! },
      { path: `${other}?to=${long}`, pool: pools.default! },
    ]);
  });

  it('routes by Host first, ignoring its case and port, then by path', async () => {
    const { port, pools, short, long, vhost } = await layout();
    const host = pools[`host ${vhost}`]!;
    const hostApi = pools[`host ${vhost} + prefix ${short}`]!;
    await expectRoutes(port, [
      { host: vhost, path: pathOutside(short), pool: host },
      { host: `${vhost.toUpperCase()}:${randomInt(1024, 65535)}`, path: pathOutside(short), pool: host },
      { host: vhost, path: `${short}/${randomWord(2)}`, pool: hostApi },
      // The vhost has no pool for the long prefix: its own /short pool wins, not the other host's.
      { host: vhost, path: `${long}/${randomWord(2)}`, pool: hostApi },
      { host: `${randomWord(2)}.test`, path: `${long}/${randomWord(2)}`, pool: pools[`prefix ${long}`]! },
    ]);
  });

  it('answers 404 when no pool matches the host and path', async () => {
    const backend = await startBackend(randomWord(2));
    const prefix = `/${randomWord(2)}`;
    const vhost = `${randomWord(2)}.test`;
    const port = await startBalancer({
      pools: [
        { pathPrefix: prefix, backends: [at(backend)] },
        { host: vhost, pathPrefix: prefix, backends: [at(backend)] },
      ],
    });
    for (const headers of [{}, { host: vhost }] as Array<Record<string, string>>) {
      const path = pathOutside(prefix);
      const res = await request(port, { path, headers });
      expect(
        res.status,
        exchange({
          sent: showRequest('GET', path, headers),
          expected: `404: the only pools serve ${prefix}, so nothing should reach a backend`,
          received: `${res.status} ${preview(res.text, 50)}`,
        }),
      ).toBe(404);
    }
    expect(backend.requests.length, 'Requests no pool matches must not reach any backend').toBe(0);
  });

  it('keeps a separate rotation, with its own weights, for each pool', async () => {
    const all = await Promise.all(names(randomInt(4, 6)).map((n) => startBackend(n)));
    const split = randomInt(2, all.length - 2);
    const groups = [all.slice(0, split), all.slice(split)];
    const weights = groups.map((g) => g.map(() => randomInt(1, 4)));
    const prefixes = names(2).map((w) => `/${w}`);
    const port = await startBalancer({
      pools: groups.map((g, p) => ({ pathPrefix: prefixes[p], backends: g.map((b, i) => at(b, weights[p]![i])) })),
    });

    // Interleave the two pools at random: each pool's answers must still follow its own order.
    const order = Array.from({ length: 24 }, () => randomInt(0, 1));
    const seen: string[][] = [[], []];
    for (const p of order) seen[p]!.push(answeredBy([await request(port, { path: `${prefixes[p]}/${randomWord(2)}` })])[0]!);
    for (const p of [0, 1]) {
      const expected = smoothWeighted(weights[p]!, seen[p]!.length).map((i) => groups[p]![i]!.name);
      expect(
        seen[p],
        exchange({
          sent: `24 GET requests, randomly to ${prefixes[0]}/… or ${prefixes[1]}/…; here the ${seen[p]!.length} to ${prefixes[p]}/…`,
          expected: `that pool's own smooth weighted order (weights ${groups[p]!.map((b, i) => `${b.name}=${weights[p]![i]}`).join(' ')}): ${list(expected)}`,
          received: list(seen[p]!),
        }),
      ).toEqual(expected);
    }
  });

  it('adds the client address to X-Forwarded-For, appending to a chain already there', async () => {
    const backend = await startBackend(randomWord(2));
    const port = await startBalancer({ pools: [{ backends: [at(backend)] }] });
    const chain = Array.from({ length: randomInt(1, 3) }, () => `${pick(['203.0.113', '198.51.100', '192.0.2'])}.${randomInt(1, 254)}`);

    for (const prior of [undefined, chain.join(', ')]) {
      const headers: Record<string, string> = prior ? { 'x-forwarded-for': prior } : {};
      const before = backend.requests.length;
      const res = await request(port, { path: `/${randomWord(2)}`, headers });
      const arrived = backend.requests.length > before;
      const seen = arrived ? backend.requests.at(-1)!.headers['x-forwarded-for'] : undefined;
      const expected = prior ? `${prior}, 127.0.0.1` : '127.0.0.1';
      expect(
        seen,
        exchange({
          sent: prior ? `GET with X-Forwarded-For: ${prior} from 127.0.0.1` : 'GET without X-Forwarded-For from 127.0.0.1',
          expected: `the backend to see X-Forwarded-For: ${expected}`,
          received: !arrived
            ? `nothing reached the backend; the client got ${res.status} ${preview(res.text, 50)}`
            : seen === undefined
              ? 'no X-Forwarded-For at the backend'
              : `X-Forwarded-For: ${String(seen)}`,
        }),
      ).toBe(expected);
    }
  });
});
