import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt, randomPath, randomWord, request, showRequest, startUpstream } from '../kit/index.ts';
import {
  basic,
  list,
  randomHeaderName,
  randomHost,
  randomIp,
  randomPassword,
  showReceived,
  startProxy,
  tcpTarget,
  url,
} from './support.ts';

// Stage 3: what the proxy passes on about the connection and the client. Header names and values
// are random so that only a rule ("drop what Connection names", "drop Proxy-*") can pass.

/** Random users, and one of them to log in as. */
function someUsers() {
  const users: Record<string, string> = {};
  for (let i = randomInt(2, 4); i > 0; i--) users[randomWord()] = randomPassword();
  const user = pick(Object.keys(users));
  return { users, user, password: users[user]! };
}

describe('stage 3: privacy and auth', () => {
  it('removes hop-by-hop headers, Proxy-* headers and the headers Connection names before forwarding', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy();
    const named = randomHeaderName();
    const proxyHeader = `proxy-${randomWord()}`;
    const kept = randomHeaderName();
    const headers: Record<string, string> = {
      connection: `close, ${named}`,
      [named]: randomWord(),
      'keep-alive': `timeout=${randomInt(5, 99)}`,
      te: 'trailers',
      upgrade: pick(['h2c', 'websocket']),
      'proxy-connection': 'keep-alive',
      'proxy-authorization': basic(randomWord(), randomPassword()),
      [proxyHeader]: randomWord(),
      [kept]: randomWord(3),
    };
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = showRequest('GET', target, headers);

    const res = await request(proxy, { path: target, headers });
    const got = upstream.requests[0];
    expect(got, exchange({ sent, expected: 'the request to reach the origin', received: showReceived(res) })).toBeDefined();
    const leaked = Object.keys(headers).filter((h) => h !== kept && h !== 'connection' && got!.headers[h] !== undefined);
    if (list(got!.headers.connection).includes(named)) leaked.push(`connection: ${String(got!.headers.connection)}`);
    expect(leaked, exchange({
      sent,
      expected: `none of ${Object.keys(headers).filter((h) => h !== kept && h !== 'connection').join(', ')} at the origin: they describe the connection to the proxy (and ${named} is named in Connection), not the request`,
      received: `the origin saw ${leaked.map((h) => (h.includes(':') ? h : `${h}: ${String(got!.headers[h])}`)).join('; ')}`,
    })).toEqual([]);
    expect(got!.headers[kept], exchange({
      sent,
      expected: `the end-to-end header ${kept}: ${headers[kept]} to arrive unchanged`,
      received: `${kept}: ${String(got!.headers[kept] ?? '(missing)')}`,
    })).toBe(headers[kept]);
  });

  it('removes the headers the origin names in Connection, and its Keep-Alive, from the response', async () => {
    const named = randomHeaderName();
    const kept = randomHeaderName();
    const keepAlive = `timeout=${randomInt(100, 999)}`;
    const body = randomWord(4);
    // A raw origin, so nothing rewrites its Connection header on the way out.
    const origin = await tcpTarget((socket) =>
      socket.once('data', () =>
        socket.end([
          'HTTP/1.1 200 OK',
          `Connection: keep-alive, ${named}`,
          `Keep-Alive: ${keepAlive}`,
          `${named}: ${randomWord()}`,
          `${kept}: ${body}`,
          `Content-Length: ${body.length}`,
          '',
          body,
        ].join('\r\n')),
      ),
    );
    const proxy = await startProxy();
    const target = url(randomHost(), origin.port, randomPath());
    const res = await request(proxy, { path: target });
    const sent = `${showRequest('GET', target)}\n    (the origin answers with Connection: keep-alive, ${named}, Keep-Alive: ${keepAlive}, ${named} and ${kept})`;
    expect(`${res.status} ${String(res.headers[kept])}`, exchange({ sent, expected: `200 with ${kept}: ${body}`, received: showReceived(res) })).toBe(`200 ${body}`);
    expect(`${String(res.headers[named] ?? 'none')} ${res.headers['keep-alive'] === keepAlive ? keepAlive : 'none'}`, exchange({
      sent,
      expected: `no ${named} and not the origin's Keep-Alive at the client: they were about the proxy's connection to the origin`,
      received: `${named}: ${String(res.headers[named] ?? '(absent)')}, Keep-Alive: ${String(res.headers['keep-alive'] ?? '(absent)')}`,
    })).toBe('none none');
  });

  it('adds its own Via entry after the ones already there', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy();
    const earlier = `1.0 ${randomWord()}`;
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = showRequest('GET', target, { via: earlier });
    const res = await request(proxy, { path: target, headers: { via: earlier } });
    const via = list(upstream.requests[0]?.headers.via);
    expect(via.length === 2 && via[0] === earlier && /^(HTTP\/)?1\.1 \S+/.test(via[1]!), exchange({
      sent,
      expected: `Via: ${earlier}, 1.1 <a name for this proxy>: the hop that came before, then this one (protocol version, then a name)`,
      received: upstream.requests[0] ? `Via: ${String(upstream.requests[0].headers.via ?? '(missing)')}` : `no request at the origin; ${showReceived(res)}`,
    })).toBe(true);
  });

  it('appends the client address to X-Forwarded-For when not anonymous', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy();
    const earlier = randomIp();
    const target = url(randomHost(), upstream.port, randomPath());
    const res = await request(proxy, { path: target, headers: { 'x-forwarded-for': earlier } });
    const xff = upstream.requests[0]?.headers['x-forwarded-for'];
    expect(list(xff), exchange({
      sent: showRequest('GET', target, { 'x-forwarded-for': earlier }),
      expected: `X-Forwarded-For: ${earlier}, 127.0.0.1 (the chain so far, then the client this proxy saw)`,
      received: upstream.requests[0] ? `X-Forwarded-For: ${String(xff ?? '(missing)')}` : `no request at the origin; ${showReceived(res)}`,
    })).toEqual([earlier, '127.0.0.1']);
  });

  it('leaks no client address in anonymous mode', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ anonymous: true });
    const [a, b, c] = [randomIp(), randomIp(), randomIp()];
    const headers = { 'x-forwarded-for': a, forwarded: `for=${b};proto=http`, 'x-real-ip': c };
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = `${showRequest('GET', target, headers)}\n    through a proxy with anonymous: true`;
    const res = await request(proxy, { path: target, headers });
    const got = upstream.requests[0];
    expect(got, exchange({ sent, expected: 'the request to reach the origin', received: showReceived(res) })).toBeDefined();
    const telling = Object.entries(got!.headers).filter(
      ([name, value]) => ['x-forwarded-for', 'forwarded', 'x-real-ip'].includes(name) || [a, b, c, '127.0.0.1'].some((ip) => String(value).includes(ip)),
    );
    expect(telling.map(([n, v]) => `${n}: ${String(v)}`), exchange({
      sent,
      expected: 'no X-Forwarded-For, Forwarded or X-Real-IP at the origin, and no header mentioning 127.0.0.1 or the addresses the client sent',
      received: `the origin saw ${telling.map(([n, v]) => `${n}: ${String(v)}`).join('; ')}`,
    })).toEqual([]);
  });

  it.each([
    ['missing', () => undefined],
    ['for an unknown user', (u: ReturnType<typeof someUsers>) => basic(`${u.user}${randomWord(1)}`, u.password)],
    ['with a wrong password', (u: ReturnType<typeof someUsers>) => basic(u.user, `${u.password}${randomInt(0, 9)}`)],
    ['in another scheme', (u: ReturnType<typeof someUsers>) => `Bearer ${Buffer.from(`${u.user}:${u.password}`).toString('base64')}`],
  ])('answers 407 with Proxy-Authenticate: Basic realm="…" when credentials are %s', async (_what, credentials) => {
    const upstream = await startUpstream();
    const realm = `${randomWord()} ${randomWord(2)}`;
    const login = someUsers();
    const proxy = await startProxy({ auth: { realm, users: login.users } });
    const value = credentials(login);
    const headers: Record<string, string> = value === undefined ? {} : { 'proxy-authorization': value };
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = `${showRequest('GET', target, headers)}\n    (the proxy's users: ${JSON.stringify(login.users)})`;

    const res = await request(proxy, { path: target, headers });
    const challenge = String(res.headers['proxy-authenticate'] ?? '(missing)');
    expect(`${res.status} ${new RegExp(`^basic\\s+realm="${realm}"`, 'i').test(challenge)}`, exchange({
      sent,
      expected: `407 Proxy Authentication Required with Proxy-Authenticate: Basic realm="${realm}", so the client knows to ask for a password`,
      received: `${showReceived(res)}, Proxy-Authenticate: ${challenge}`,
    })).toBe('407 true');
    expect(upstream.requests.length, exchange({ sent, expected: 'no request at the origin', received: `${upstream.requests.length}` })).toBe(0);
  });

  it('forwards the request when the credentials are right, without Proxy-Authorization but with Authorization', async () => {
    const upstream = await startUpstream();
    const login = someUsers();
    const proxy = await startProxy({ auth: { realm: randomWord(), users: login.users } });
    const headers = {
      'proxy-authorization': basic(login.user, login.password, pick(['basic', 'BASIC', 'bAsIc'])), // the scheme ignores case
      authorization: `Bearer ${randomWord(4)}`, // for the origin, not for the proxy
    };
    const target = url(randomHost(), upstream.port, randomPath());
    const sent = `${showRequest('GET', target, headers)}\n    (${login.user}'s password is ${login.password}; users: ${JSON.stringify(login.users)})`;

    const res = await request(proxy, { path: target, headers });
    const got = upstream.requests[0];
    expect(`${res.status} ${upstream.requests.length}`, exchange({
      sent,
      expected: '200 from the origin: the credentials are right (the scheme name ignores case; split user:password at the first colon)',
      received: `${showReceived(res)}; ${upstream.requests.length} request(s) at the origin`,
    })).toBe('200 1');
    expect(`${String(got!.headers['proxy-authorization'] ?? 'none')} | ${String(got!.headers.authorization)}`, exchange({
      sent,
      expected: `no Proxy-Authorization at the origin (it was for the proxy), and Authorization: ${headers.authorization} untouched (it is for the origin)`,
      received: `Proxy-Authorization: ${String(got!.headers['proxy-authorization'] ?? '(absent)')}, Authorization: ${String(got!.headers.authorization ?? '(absent)')}`,
    })).toBe(`none | ${headers.authorization}`);
  });
});
