import { describe, expect, it } from 'vitest';
import { closedPort, exchange, pick, preview, randomBytes, randomInt, randomPath, randomWord, request } from '../kit/index.ts';
import type { Recorded, Received } from '../kit/index.ts';
import { answerName, answeredBy, at, list, sendInOrder, startBackend, startBackends, startBalancer, type Respond } from './support.ts';

// A backend that reads the whole request and then drops the connection without answering: the
// balancer sees "socket hang up", and the test can count every attempt it made.
const hangUp: Respond = (_req, _res, raw) => raw.socket.destroy();

const statusesOf = (responses: Received[]) => responses.map((r) => r.status).join(' ');

describe('stage 3: health', () => {
  it.each(['GET', 'HEAD'])('retries a %s that meets a refused backend once, on another backend', async (method) => {
    const live = await startBackends(randomInt(2, 4));
    const dead = await closedPort();
    const d = randomInt(0, live.length);
    const pool = live.map((b) => at(b));
    pool.splice(d, 0, { host: '127.0.0.1', port: dead });
    const port = await startBalancer({ pools: [{ backends: pool }] });

    // Round robin sends request number d to the refused backend; make that one the method under test.
    const sents = Array.from({ length: d + 1 + live.length }, (_, i) => ({ method: i === d ? method : 'GET', path: randomPath() }));
    const responses = await sendInOrder(port, sents);
    expect(
      responses.map((r) => r.status),
      exchange({
        sent: `${sents.length} requests to a pool where backend #${d + 1} (port ${dead}) refuses connections; request #${d + 1} is a ${method}`,
        expected: `every request answered 200: the ${method} is retried on the next backend, later ones skip the dead one`,
        received: `statuses ${statusesOf(responses)}${responses[d]!.status === 200 ? '' : `; request #${d + 1} got ${preview(responses[d]!.text)}`}`,
      }),
    ).toEqual(sents.map(() => 200));
  });

  it('marks a backend down after it fails, so it gets no more requests', async () => {
    const live = await startBackends(randomInt(2, 4));
    const broken = await startBackend(randomWord(3), hangUp);
    const d = randomInt(0, live.length);
    const pool = live.map((b) => at(b));
    pool.splice(d, 0, at(broken));
    const port = await startBalancer({ pools: [{ backends: pool }] });

    const count = pool.length * 3;
    const responses = await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() })));
    expect(
      { statuses: statusesOf(responses), attemptsAtBroken: broken.requests.length },
      exchange({
        sent: `${count} GET requests to a pool where backend #${d + 1} hangs up on every request`,
        expected: 'all answered 200, and the broken backend tried once only (then marked down)',
        received: `statuses ${statusesOf(responses)}; the broken backend got ${broken.requests.length} requests`,
      }),
    ).toEqual({ statuses: responses.map(() => 200).join(' '), attemptsAtBroken: 1 });
  });

  it('answers 502 to a POST whose backend failed, without retrying it', async () => {
    const broken = await startBackend(randomWord(3), hangUp);
    const live = await startBackends(randomInt(1, 3));
    const port = await startBalancer({ pools: [{ backends: [at(broken), ...live.map((b) => at(b))] }] });

    const body = randomBytes(randomInt(16, 512));
    const res = await request(port, { method: 'POST', path: randomPath(), body });
    const atLive = live.reduce((n, b) => n + b.requests.length, 0);
    expect(
      { status: res.status, attemptsAtBroken: broken.requests.length, attemptsElsewhere: atLive },
      exchange({
        sent: `POST with a ${body.length}-byte body; the first backend reads it, then hangs up`,
        expected: '502, and no second attempt: the backend already had the POST, and repeating it could, say, charge a card twice',
        received: `${res.status} ${preview(res.text, 40)}; attempts: ${broken.requests.length} at the broken backend, ${atLive} at the others`,
      }),
    ).toEqual({ status: 502, attemptsAtBroken: 1, attemptsElsewhere: 0 });
  });

  it('retries a failed GET at most once, then answers 502', async () => {
    const broken = await Promise.all([0, 1, 2].map(() => startBackend(randomWord(3), hangUp)));
    const port = await startBalancer({ pools: [{ backends: broken.map((b) => at(b)) }] });

    const res = await request(port, { path: randomPath() });
    const attempts = broken.map((b) => b.requests.length);
    expect(
      { status: res.status, attempts: attempts.reduce((a, b) => a + b, 0) },
      exchange({
        sent: 'GET to a pool of 3 backends that all hang up',
        expected: '502 after 2 attempts (the first and one retry): unlimited retries turn one failure into a storm',
        received: `${res.status} after ${attempts.reduce((a, b) => a + b, 0)} attempts (per backend: ${attempts.join(' ')})`,
      }),
    ).toEqual({ status: 502, attempts: 2 });
  });

  it('relays a 500 from a backend as it is, without retrying or marking it down', async () => {
    const name = randomWord(3);
    const failing = await startBackend(name, (_req, res) => {
      res.writeHead(500, { 'x-backend': name });
      res.end('backend error');
    });
    const others = await startBackends(randomInt(1, 3));
    const all = [failing, ...others];
    const port = await startBalancer({ pools: [{ backends: all.map((b) => at(b)) }] });

    const count = all.length * 2;
    const responses = await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() })));
    const received = responses.map((r) => (r.headers['x-backend'] ? `${String(r.headers['x-backend'])}:${r.status}` : `${r.status}`));
    const expected = Array.from({ length: count }, (_, i) => `${all[i % all.length]!.name}:${i % all.length === 0 ? 500 : 200}`);
    expect(
      received,
      exchange({
        sent: `${count} GET requests; backend ${name} answers every one with 500`,
        expected: `plain rotation, the 500s passed through (a 500 is an answer, not a dead backend): ${list(expected, 8)}`,
        received: list(received, 8),
      }),
    ).toEqual(expected);
  });

  it('answers 503 with a clear body once no backend is healthy', async () => {
    const ports = [await closedPort(), await closedPort()];
    const port = await startBalancer({ pools: [{ backends: ports.map((p) => ({ host: '127.0.0.1', port: p })) }] });

    const responses = await sendInOrder(port, [0, 1, 2].map(() => ({ path: randomPath() })));
    const later = responses.slice(1);
    expect(
      later.map((r) => ({ status: r.status, saysWhy: /no healthy backend/i.test(r.text) })),
      exchange({
        sent: `3 GET requests to a pool of 2 backends that refuse connections (ports ${ports.join(', ')})`,
        expected: 'the first fails (502 or 503); after that both are down, so 503 with a body saying "no healthy backend"',
        received: responses.map((r) => `${r.status} ${preview(r.text, 40)}`).join('; '),
      }),
    ).toEqual(later.map(() => ({ status: 503, saysWhy: true })));
    expect([502, 503], `The first request got ${responses[0]!.status} ${preview(responses[0]!.text)}`).toContain(responses[0]!.status);
  });

  it('takes a backend out when its health check fails and brings it back when it passes', async () => {
    const backends = await startBackends(randomInt(2, 4));
    const healthPath = `/${randomWord(2)}/health`;
    const intervalMs = randomInt(30, 60);
    const sick = pick(backends);
    let healthy = false;
    sick.respond = (req, res, raw) => {
      if (req.url !== healthPath) return answerName(sick.name)(req, res, raw);
      res.writeHead(healthy ? 200 : 503);
      res.end();
    };
    const port = await startBalancer({ pools: [{ backends: backends.map((b) => at(b)) }], healthCheck: { path: healthPath, intervalMs } });
    const isCheck = (r: Recorded) => r.url === healthPath && (r.method === 'GET' || r.method === 'HEAD');
    const traffic = () => sick.requests.filter((r) => !isCheck(r)).length;

    await sick.waitFor((r, status) => isCheck(r) && status === 503, 2, `two health checks GET ${healthPath} answered 503 (healthCheck.intervalMs is ${intervalMs}: is a timer checking every backend?)`);
    const count = backends.length * 2;
    const before = traffic();
    const whileSick = await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() })));
    expect(
      { statuses: statusesOf(whileSick), reachedSick: traffic() - before },
      exchange({
        sent: `${count} GET requests after ${sick.name} answered its health check ${healthPath} with 503 twice`,
        expected: `all 200 from the other backends, none sent to ${sick.name}`,
        received: `statuses ${statusesOf(whileSick)}; answered by ${list(answeredBy(whileSick))}`,
      }),
    ).toEqual({ statuses: whileSick.map(() => 200).join(' '), reachedSick: 0 });

    healthy = true;
    await sick.waitFor((r, status) => isCheck(r) && status === 200, 2, `two health checks GET ${healthPath} answered 200`);
    const afterRecovery = answeredBy(await sendInOrder(port, Array.from({ length: count }, () => ({ path: randomPath() }))));
    expect(
      afterRecovery,
      exchange({
        sent: `${count} GET requests after ${sick.name} passed its health check twice`,
        expected: `${sick.name} back in the rotation`,
        received: `answered by ${list(afterRecovery)}`,
      }),
    ).toContain(sick.name);
  });
});
