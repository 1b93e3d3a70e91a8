import { describe, expect, it } from 'vitest';
import { exchange, pick, preview, randomBytes, randomInt, randomPath, randomWord, request, showRequest } from '../kit/index.ts';
import { answeredBy, at, orderMessage, sendInOrder, startBackend, startBackends, startBalancer } from './support.ts';

describe('stage 1: round robin', () => {
  it('sends requests to the backends in strict rotation, starting with the first', async () => {
    const backends = await startBackends(randomInt(2, 6));
    const port = await startBalancer({ pools: [{ backends: backends.map((b) => at(b)) }] });

    const rounds = randomInt(3, 4);
    const count = backends.length * rounds + randomInt(0, backends.length - 1);
    const responses = await sendInOrder(
      port,
      Array.from({ length: count }, () => ({ path: randomPath() })),
    );

    const statuses = responses.map((r) => r.status);
    expect(
      statuses.every((s) => s === 200),
      exchange({
        sent: `${count} GET requests to the balancer`,
        expected: 'every one answered 200 by a backend',
        received: `statuses ${statuses.join(' ')}${statuses[0] === 200 ? '' : ` (first body ${preview(responses[0]!.text)})`}`,
      }),
    ).toBe(true);
    const expected = Array.from({ length: count }, (_, i) => backends[i % backends.length]!.name);
    expect(
      answeredBy(responses),
      orderMessage(`${count} GET requests, one after another, to a pool of ${backends.length} backends`, expected, answeredBy(responses)),
    ).toEqual(expected);
  });

  it('forwards method, path, headers and body, and relays status, headers and body back', async () => {
    const status = pick([201, 202, 404, 418, 500]);
    const replyHeader = `x-${randomWord(2)}`;
    const replyValue = randomWord(3);
    const replyBody = randomBytes(randomInt(1, 4096));
    const backend = await startBackend('only', (_req, res) => {
      res.writeHead(status, { [replyHeader]: replyValue, 'content-type': 'application/octet-stream' });
      res.end(replyBody);
    });
    const port = await startBalancer({ pools: [{ backends: [at(backend)] }] });

    const sent = {
      method: pick(['POST', 'PUT', 'PATCH']),
      path: `${randomPath()}?${randomWord(2)}=${randomWord(2)}`,
      headers: { [`x-${randomWord(2)}`]: randomWord(3), 'content-type': 'application/octet-stream' },
      body: randomBytes(randomInt(1, 8192)),
    };
    const res = await request(port, sent);
    const shown = showRequest(sent.method, sent.path, sent.headers);

    const got = backend.requests[0];
    expect(got, exchange({ sent: shown, expected: 'the request to reach the backend', received: 'nothing at the backend' })).toBeDefined();
    const [name, value] = Object.entries(sent.headers)[0]!;
    expect(
      { method: got!.method, url: got!.url, header: got!.headers[name], bodyMatches: got!.body.equals(sent.body) },
      exchange({
        sent: shown,
        expected: `the backend to get ${sent.method} ${sent.path}, ${name}: ${value} and the same ${sent.body.length}-byte body`,
        received: `${got!.method} ${got!.url}, ${name}: ${String(got!.headers[name])}, ${got!.body.length}-byte body`,
      }),
    ).toEqual({ method: sent.method, url: sent.path, header: value, bodyMatches: true });
    expect(
      { status: res.status, header: res.headers[replyHeader], bodyMatches: res.body.equals(replyBody) },
      exchange({
        sent: shown,
        expected: `the backend's answer unchanged: ${status}, ${replyHeader}: ${replyValue}, ${replyBody.length}-byte body`,
        received: `${res.status}, ${replyHeader}: ${String(res.headers[replyHeader])}, ${res.body.length}-byte body ${preview(res.text, 40)}`,
      }),
    ).toEqual({ status, header: replyValue, bodyMatches: true });
  });
});
