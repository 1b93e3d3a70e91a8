import { describe, expect, it } from 'vitest';
import { closeServer, exchange, randomInt, randomPath, randomWord, request, type Received } from '../kit/index.ts';
import { answeredBy, at, list, startBackends, startBalancer, type Backend } from './support.ts';

/** The value the response sets for cookie `name`, if it sets one. */
function cookieSet(res: Received, name: string): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0]!;
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Why a cookie value gives the backend's address away (read as is, base64 or hex), if it does. */
function reveals(value: string, port: number): string | undefined {
  const readings: Array<[string, string]> = [['as is', value]];
  try {
    readings.push(['URL-decoded', decodeURIComponent(value)]);
  } catch {
    // not URL-encoded: nothing more to read
  }
  readings.push(['base64-decoded', Buffer.from(value, 'base64').toString('latin1')]);
  if (/^(?:[0-9a-f]{2})+$/i.test(value)) readings.push(['hex-decoded', Buffer.from(value, 'hex').toString('latin1')]);
  for (const [how, text] of readings) {
    if (text.includes('127.0.0.1')) return `read ${how} it contains the address 127.0.0.1`;
    if (text.includes(String(port))) return `read ${how} it contains the backend's port ${port}`;
  }
  return undefined;
}

async function setup() {
  const backends = await startBackends(randomInt(3, 5));
  const cookie = `${randomWord(2)}_${randomWord(2)}`;
  const port = await startBalancer({ pools: [{ backends: backends.map((b) => at(b)) }], stickyCookie: cookie });
  return { backends, cookie, port };
}

/** A first visit: who answered, and the cookie that pins the client there. */
async function firstVisit(port: number, cookie: string, headers: Record<string, string> = {}) {
  const res = await request(port, { path: randomPath(), headers });
  const value = cookieSet(res, cookie);
  expect(
    { status: res.status, setsCookie: value !== undefined && value !== '' },
    exchange({
      sent: `GET ${Object.keys(headers).length ? `with Cookie: ${headers.cookie}` : 'without a cookie'}`,
      expected: `200 with Set-Cookie: ${cookie}=<opaque value>`,
      received: `${res.status}; Set-Cookie: ${JSON.stringify(res.headers['set-cookie'] ?? '(none)')}`,
    }),
  ).toEqual({ status: 200, setsCookie: true });
  return { backend: answeredBy([res])[0]!, value: value! };
}

describe('stage 4: sticky sessions', () => {
  it('sets a cookie whose value does not give away the backend address', async () => {
    const { backends, cookie, port } = await setup();
    const { backend, value } = await firstVisit(port, cookie);
    const answering = backends.find((b) => b.name === backend);
    expect(answering, `The response came from "${backend}", which is none of the backends ${list(backends.map((b) => b.name))}`).toBeDefined();
    const leak = reveals(value, answering!.port);
    expect(
      leak,
      exchange({
        sent: 'GET without a cookie',
        expected: `an opaque ${cookie} value: clients can read and edit cookies, so internal addresses must not be in them`,
        received: `${cookie}=${value}; ${leak}`,
      }),
    ).toBeUndefined();
  });

  it('keeps sending a client with the cookie to the same backend while others rotate', async () => {
    const { backends, cookie, port } = await setup();
    const first = await firstVisit(port, cookie);
    const second = await firstVisit(port, cookie);
    const clients = [first, second];
    const seen: string[][] = [[], []];
    const extra = `${randomWord(2)}=${randomWord(2)}`; // other cookies travel in the same header
    for (let round = 0; round < backends.length * 2; round++) {
      for (const [i, c] of clients.entries()) {
        const res = await request(port, { path: randomPath(), headers: { cookie: `${extra}; ${cookie}=${c.value}` } });
        seen[i]!.push(answeredBy([res])[0]!);
      }
      await request(port, { path: randomPath() }); // a newcomer without a cookie moves the rotation on
    }
    for (const [i, c] of clients.entries()) {
      expect(
        seen[i],
        exchange({
          sent: `${seen[i]!.length} GET requests with Cookie: ${extra}; ${cookie}=${c.value}, mixed with other clients' requests`,
          expected: `every one answered by ${c.backend}, the backend that set the cookie`,
          received: list(seen[i]!),
        }),
      ).toEqual(seen[i]!.map(() => c.backend));
    }
  });

  it('replaces a cookie value it does not recognise with a working one', async () => {
    const { cookie, port } = await setup();
    const forged = randomWord(4);
    const { backend, value } = await firstVisit(port, cookie, { cookie: `${cookie}=${forged}` });
    expect(value, `Sent Cookie: ${cookie}=${forged}, a value the balancer never issued; it must set a fresh one, not echo it`).not.toBe(forged);
    const again = answeredBy(await Promise.all([0, 1, 2].map(() => request(port, { path: randomPath(), headers: { cookie: `${cookie}=${value}` } }))));
    expect(again, exchange({ sent: `3 GET requests with the fresh ${cookie}=${value}`, expected: `all at ${backend}`, received: list(again) })).toEqual(
      again.map(() => backend),
    );
  });

  it('moves a client to a healthy backend, with a new cookie, when its backend goes down', async () => {
    const { backends, cookie, port } = await setup();
    const pinned = await firstVisit(port, cookie);
    const gone = backends.find((b) => b.name === pinned.backend) as Backend;
    await closeServer(gone.server);

    const res = await request(port, { path: randomPath(), headers: { cookie: `${cookie}=${pinned.value}` } });
    const moved = cookieSet(res, cookie);
    expect(
      { status: res.status, newCookie: moved !== undefined && moved !== pinned.value },
      exchange({
        sent: `GET with Cookie: ${cookie}=${pinned.value} after its backend ${gone.name} stopped listening`,
        expected: `200 from another backend and a new Set-Cookie: ${cookie}=… pinning the client there`,
        received: `${res.status} from ${answeredBy([res])[0]}; Set-Cookie: ${JSON.stringify(res.headers['set-cookie'] ?? '(none)')}`,
      }),
    ).toEqual({ status: 200, newCookie: true });

    const now = answeredBy([res])[0]!;
    const after: string[] = [];
    for (let i = 0; i < backends.length * 2; i++) {
      after.push(answeredBy([await request(port, { path: randomPath(), headers: { cookie: `${cookie}=${moved}` } })])[0]!);
    }
    expect(after, exchange({ sent: `${after.length} GET requests with the new ${cookie}=${moved}`, expected: `all at ${now}`, received: list(after) })).toEqual(
      after.map(() => now),
    );
  });
});
