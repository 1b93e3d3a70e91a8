import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort, exchange, randomBytes, randomInt, randomWord, showBytes } from '../kit/index.ts';
import {
  basic,
  connect,
  deferred,
  ended,
  fakeDns,
  logBook,
  mixCase,
  randomHost,
  randomPassword,
  readAll,
  readBody,
  sameBytes,
  startProxy,
  tcpTarget,
  within,
  type Tunnel,
} from './support.ts';

// Stage 4: CONNECT tunnels. The target is a plain TCP server standing in for an HTTPS site: the
// proxy cannot tell the difference, which is the point. Every wait is for an event (data, 'end',
// 'close'); `within` only bounds it so a stuck proxy fails with a readable message.

/** "HTTP/1.1 403 Forbidden" plus a preview of the body, for messages. */
async function showTunnel(t: Tunnel): Promise<string> {
  const body = t.status === 0 || t.status === 200 ? '' : ` with body ${JSON.stringify((await readBody(t)).toString('utf8').slice(0, 100))}`;
  return `${t.statusLine}${body}`;
}

/** A target that remembers its first connection. */
async function recordingTarget(onSocket: (socket: net.Socket) => void = () => {}) {
  const first = deferred<net.Socket>();
  const target = await tcpTarget((socket) => {
    first.resolve(socket);
    onSocket(socket);
  });
  return { ...target, first: first.promise };
}

describe('stage 4: CONNECT tunnels', () => {
  it('answers 200 Connection Established and carries several MB of random bytes both ways', async () => {
    const up = randomBytes(randomInt(2, 3) * 1024 * 1024 + randomInt(0, 4096));
    const down = randomBytes(randomInt(2, 3) * 1024 * 1024 + randomInt(0, 4096));
    const received = deferred<Buffer>();
    // The target starts sending at once, and closes once the client's bytes have all arrived.
    const target = await tcpTarget((socket) => {
      const chunks: Buffer[] = [];
      let size = 0;
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= up.length) {
          received.resolve(Buffer.concat(chunks));
          socket.end();
        }
      });
      socket.write(down);
    });
    const proxy = await startProxy();
    const authority = `${randomHost()}:${target.port}`;
    const tunnel = await connect(proxy, authority);
    const sent = `${tunnel.sent}\n    then ${showBytes(up.length)} of random bytes each way`;
    expect(tunnel.status, exchange({ sent, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(tunnel) })).toBe(200);
    const framing = ['content-length', 'transfer-encoding'].filter((h) => h in tunnel.headers);
    expect(framing, exchange({
      sent,
      expected: 'no Content-Length or Transfer-Encoding on the 200: what follows the blank line is the tunnel, not a body',
      received: framing.map((h) => `${h}: ${tunnel.headers[h]}`).join(', '),
    })).toEqual([]);

    tunnel.socket.write(up);
    const downloaded = await within(readAll(tunnel.socket, tunnel.initial), 4_000, exchange({
      sent,
      expected: `the client to get the target's ${showBytes(down.length)} and then the end of the tunnel when the target closed`,
      received: 'no end within 4 s: pipe the sockets both ways, and end the client side when the target side ends',
    }));
    const uploaded = await within(received.promise, 1_000, `${sent}: the target never got all ${up.length} bytes the client sent.`);
    expect(`up: ${sameBytes(up, uploaded)}; down: ${sameBytes(down, downloaded)}`, exchange({
      sent,
      expected: 'the same bytes at the other end in both directions',
      received: `up: ${sameBytes(up, uploaded)}; down: ${sameBytes(down, downloaded)}`,
    })).toBe('up: identical; down: identical');
  });

  it('passes on the bytes a client sends right behind its CONNECT request', async () => {
    const early = Buffer.from(`${randomWord(4)} ${randomInt(1, 1e9)}`);
    const got = deferred<Buffer>();
    const target = await tcpTarget((socket) => {
      let seen = Buffer.alloc(0);
      socket.on('data', (c: Buffer) => {
        seen = Buffer.concat([seen, c]);
        if (seen.length >= early.length) got.resolve(seen);
      });
    });
    const proxy = await startProxy();
    const tunnel = await connect(proxy, `${randomHost()}:${target.port}`, {}, early);
    const sent = `${tunnel.sent}\n\n    ${JSON.stringify(early.toString())} (in the same packet, before any answer)`;
    expect(tunnel.status, exchange({ sent, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(tunnel) })).toBe(200);
    const seen = await within(got.promise, 2_000, exchange({
      sent,
      expected: `the target to receive ${JSON.stringify(early.toString())}`,
      received: "nothing within 2 s: Node hands those bytes to the 'connect' listener as `head`; write them to the target",
    }));
    expect(seen.toString(), exchange({ sent, expected: JSON.stringify(early.toString()), received: JSON.stringify(seen.toString()) })).toBe(early.toString());
  });

  it("delivers everything the target sent before it ended its connection, then ends the client's side", async () => {
    const last = randomBytes(randomInt(2, 4) * 1024 * 1024);
    const target = await recordingTarget((socket) => socket.end(last)); // a final answer, then FIN
    const proxy = await startProxy();
    const tunnel = await connect(proxy, `${randomHost()}:${target.port}`);
    const sent = `${tunnel.sent}\n    (the target sends ${showBytes(last.length)} and ends its connection at once)`;
    expect(tunnel.status, exchange({ sent, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(tunnel) })).toBe(200);
    const got = await within(readAll(tunnel.socket, tunnel.initial), 4_000, exchange({
      sent,
      expected: "the client's side to end after those bytes: a tunnel with one side gone is useless",
      received: 'the client still connected 4 s later',
    }));
    expect(sameBytes(last, got), exchange({
      sent,
      expected: `all ${last.length} bytes before the end (end the client's side with end(), which flushes; destroy() drops what is still queued)`,
      received: sameBytes(last, got),
    })).toBe('identical');
  });

  it("closes the client's side when the target resets its connection", async () => {
    const target = await recordingTarget();
    const proxy = await startProxy();
    const tunnel = await connect(proxy, `${randomHost()}:${target.port}`);
    expect(tunnel.status, exchange({ sent: tunnel.sent, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(tunnel) })).toBe(200);
    (await target.first).resetAndDestroy();
    await within(ended(tunnel.socket), 2_000, exchange({
      sent: `${tunnel.sent}\n    then the target resets its connection`,
      expected: "the client's connection to close too: a tunnel with one side gone is useless",
      received: 'the client still connected 2 s later',
    }));
  });

  it.each([
    ['ends its connection', (s: net.Socket) => void s.end()],
    ['resets its connection', (s: net.Socket) => void s.resetAndDestroy()],
  ])("closes the target's side when the client %s", async (what, close) => {
    const target = await recordingTarget();
    const proxy = await startProxy();
    const tunnel = await connect(proxy, `${randomHost()}:${target.port}`);
    expect(tunnel.status, exchange({ sent: tunnel.sent, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(tunnel) })).toBe(200);
    const socket = await within(target.first, 2_000, `${tunnel.sent}: the proxy answered 200 but never connected to the target.`);
    close(tunnel.socket);
    await within(ended(socket), 2_000, exchange({
      sent: `${tunnel.sent}\n    then the client ${what}`,
      expected: "the target's connection to end too, so the server is not left holding a dead tunnel",
      received: 'the target still connected 2 s later',
    }));
  });

  it('answers 403 naming the rule for a blocked host, without resolving or connecting to it', async () => {
    const target = await tcpTarget(() => {});
    const zone = `${randomWord()}.test`;
    const rule = `*.${zone}`;
    const dns = fakeDns();
    const proxy = await startProxy({ blocklist: [`${randomWord()}.test`, rule], resolve: dns.resolve });
    // Unlike a URL, the authority of a CONNECT is not lower-cased by any parser on the way.
    const host = mixCase(`${randomWord()}.${zone}`);
    const tunnel = await connect(proxy, `${host}:${target.port}`);
    const body = (await within(readBody(tunnel), 2_000, `${tunnel.sent}: the body of the answer never finished.`)).toString();
    expect(`${tunnel.status} ${body.toLowerCase().includes(rule)}`, exchange({
      sent: `${tunnel.sent}\n    through a proxy that blocks ${rule}`,
      expected: `403 with a body naming the rule "${rule}" (host names ignore case)`,
      received: `${tunnel.statusLine} with body ${JSON.stringify(body.slice(0, 100))}`,
    })).toBe('403 true');
    expect(`${target.sockets.length} ${dns.asked.length}`, exchange({
      sent: tunnel.sent,
      expected: 'no connection to the target and no call to config.resolve',
      received: `${target.sockets.length} connection(s); config.resolve called with ${JSON.stringify(dns.asked)}`,
    })).toBe('0 0');
  });

  it('answers 502 when nothing listens at the target', async () => {
    const proxy = await startProxy();
    const tunnel = await connect(proxy, `${randomHost()}:${await closedPort()}`);
    expect(tunnel.status, exchange({
      sent: `${tunnel.sent}\n    (nothing listens on that port)`,
      expected: 'HTTP/1.1 502 Bad Gateway: say so, instead of 200 and a tunnel to nowhere',
      received: await showTunnel(tunnel),
    })).toBe(502);
  });

  it('asks for proxy credentials before opening a tunnel, and opens it with the right ones', async () => {
    const target = await tcpTarget((socket) => socket.pipe(socket)); // an echo server
    const realm = randomWord();
    const [user, password] = [randomWord(), randomPassword()];
    const proxy = await startProxy({ auth: { realm, users: { [user]: password } } });
    const authority = `${randomHost()}:${target.port}`;

    const anonymous = await connect(proxy, authority);
    expect(`${anonymous.status} ${anonymous.headers['proxy-authenticate'] ?? '(no Proxy-Authenticate)'}`, exchange({
      sent: anonymous.sent,
      expected: `407 with Proxy-Authenticate: Basic realm="${realm}"`,
      received: `${await showTunnel(anonymous)}, Proxy-Authenticate: ${anonymous.headers['proxy-authenticate'] ?? '(missing)'}`,
    })).toMatch(new RegExp(`^407 basic\\s+realm="${realm}"`, 'i'));

    const allowed = await connect(proxy, authority, { 'Proxy-Authorization': basic(user, password) });
    expect(allowed.status, exchange({ sent: `${allowed.sent}\n    (${user}'s password is ${password})`, expected: 'HTTP/1.1 200 Connection Established', received: await showTunnel(allowed) })).toBe(200);
    const word = randomWord(4);
    allowed.socket.write(word);
    allowed.socket.resume();
    const echoed = await within(new Promise<string>((r) => allowed.socket.once('data', (c: Buffer) => r(c.toString()))), 2_000, `${allowed.sent}: "${word}" never came back through the tunnel from an echo server.`);
    expect(echoed).toBe(word);
  });

  it('logs a tunnel once, when it closes, with the bytes the target sent to the client', async () => {
    const clock = { ms: randomInt(1_000_000_000_000, 2_000_000_000_000) };
    const took = randomInt(1, 60_000);
    const down = randomBytes(randomInt(1_000, 100_000));
    const target = await tcpTarget((socket) => {
      clock.ms += took; // the tunnel "stays open" for `took` ms on the test's clock
      socket.end(down);
    });
    const book = logBook();
    const blocked = `${randomWord()}.test`;
    const proxy = await startProxy({ log: book.log, now: () => clock.ms, blocklist: [blocked] });
    const authority = `${randomHost()}:${target.port}`;
    const opened = new Date(clock.ms).toISOString();
    const tunnel = await connect(proxy, authority);
    const got = await within(readAll(tunnel.socket, tunnel.initial), 2_000, `${tunnel.sent}: the tunnel never ended after the target closed it.`);
    tunnel.socket.end();

    const [entry] = await book.count(1, `a tunnel to ${authority} that closed`);
    const expected = { time: opened, client: '127.0.0.1', method: 'CONNECT', target: authority, status: 200, bytes: down.length, durationMs: took };
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, (entry as unknown as Record<string, unknown>)[k]]));
    expect(picked, exchange({
      sent: `${tunnel.sent}\n    at ${opened}; the target sends ${down.length} bytes (the client got ${got.length}) and closes ${took} ms later`,
      expected: `one entry ${JSON.stringify(expected)}`,
      received: JSON.stringify(entry),
    })).toEqual(expected);

    // A refused tunnel is one more entry, and the first tunnel is not logged a second time.
    const refused = await connect(proxy, `${blocked}:${target.port}`);
    await within(readBody(refused), 2_000, `${refused.sent}: the 403 never finished.`);
    const entries = await book.count(2, `a tunnel, then a refused CONNECT to ${blocked}`);
    expect(entries.map((e) => `${e.status} ${e.target}`), exchange({
      sent: `${tunnel.sent}
    and after it closed, ${refused.sent}`,
      expected: `exactly two entries: 200 ${authority}, then 403 ${blocked}:${target.port}`,
      received: JSON.stringify(entries),
    })).toEqual([`200 ${authority}`, `403 ${blocked}:${target.port}`]);
  });
});
