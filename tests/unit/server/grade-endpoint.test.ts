import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { GradeOptions, GradeReport } from '../../../src/engine/grade.ts';
import { createGradeApi, type GradeFn } from '../../../src/server/grade-endpoint.ts';

let server: Server;
let port: number;
let calls: GradeOptions[];
let gradeImpl: GradeFn;

const report = (lab: string): GradeReport => ({ version: 3, status: 'pass', tests: [], lab, stages: [], uptoStage: 1, durationMs: 5 });

beforeEach(async () => {
  calls = [];
  gradeImpl = async (opts) => {
    opts.onOutput?.('compiling…\n');
    return report(opts.slug);
  };
  const api = createGradeApi({
    port: () => port,
    grade: (opts) => {
      calls.push(opts);
      return gradeImpl(opts);
    },
    listLabs: () => ['reverse-proxy', 'l7-load-balancer'],
    maxBodyBytes: 10_000,
  });
  server = createServer((req, res) => {
    if (!api.handle(req, res)) res.end('static');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

type Reply = { status: number; body: string };
function send(opts: { path?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/api/grade',
        method: opts.method ?? 'POST',
        headers: { Host: `localhost:${port}`, 'Content-Type': 'application/json', ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
const gradeBody = (files: Record<string, string> = { 'proxy.ts': 'export {}' }, lab = 'reverse-proxy') =>
  JSON.stringify({ lab, files, uptoStage: 1 });
const messageOf = (reply: Reply) => JSON.parse(reply.body).message as string;

describe('local grading endpoint', () => {
  test('streams the run output, then the report, for a request from the served origin', async () => {
    const reply = await send({ body: gradeBody(), headers: { Origin: `http://localhost:${port}` } });
    expect(reply.status).toBe(200);
    const lines = reply.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { type: 'output', text: 'compiling…\n' },
      { type: 'report', report: report('reverse-proxy') },
    ]);
    expect(calls[0]).toMatchObject({ slug: 'reverse-proxy', files: { 'proxy.ts': 'export {}' }, uptoStage: 1 });
  });

  test('answers health checks with the labs it can grade', async () => {
    const reply = await send({ path: '/api/health', method: 'GET' });
    expect(JSON.parse(reply.body)).toEqual({ ok: true, runtime: 'local', labs: ['reverse-proxy', 'l7-load-balancer'] });
  });

  test('rejects a request whose Host is not the served origin (DNS rebinding)', async () => {
    const reply = await send({ body: gradeBody(), headers: { Host: `evil.test:${port}` } });
    expect(reply.status).toBe(421);
    expect(messageOf(reply).replaceAll(String(port), 'PORT')).toMatchInlineSnapshot(`
      "[ForeignHost] A request reached the local grader addressed to "evil.test:PORT", not to localhost:PORT. Only pages served by this machine may run code here (this blocks DNS-rebinding attacks).
      Fix: Open the course at http://localhost:PORT/ and run the lab from there."
    `);
    expect(calls).toHaveLength(0);
  });

  test('rejects a cross-site POST by its Origin', async () => {
    const reply = await send({ body: gradeBody(), headers: { Origin: 'https://attacker.example' } });
    expect(reply.status).toBe(403);
    expect(messageOf(reply)).toContain('[ForeignOrigin] A page from https://attacker.example tried to run code');
    expect(calls).toHaveLength(0);
  });

  test('rejects a form-encoded body, which a cross-site form could send', async () => {
    const reply = await send({ body: 'lab=reverse-proxy', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(reply.status).toBe(415);
    expect(calls).toHaveLength(0);
  });

  test('rejects an oversize body without grading it', async () => {
    const reply = await send({ body: gradeBody({ 'proxy.ts': 'x'.repeat(20_000) }) });
    expect(reply.status).toBe(413);
    expect(messageOf(reply)).toMatchInlineSnapshot(`
      "[BodyTooLarge] The files sent for grading are larger than 10 KB in total.
      Fix: Lab solutions are small: remove large pasted data or generated code from your files and run again."
    `);
    expect(calls).toHaveLength(0);
  });

  test.each(['../escape.ts', '/etc/passwd', 'a/../../b.ts', 'src\\x.ts'])('rejects the file name %s that escapes the workspace', async (name) => {
    const reply = await send({ body: gradeBody({ [name]: 'x' }) });
    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toContain('[BadGradeRequest]');
    expect(calls).toHaveLength(0);
  });

  test('rejects a lab that does not exist, naming the ones that do', async () => {
    const reply = await send({ body: gradeBody(undefined, 'no-such-lab') });
    expect(reply.status).toBe(404);
    expect(messageOf(reply)).toContain('reverse-proxy');
  });

  test('a new run of the same lab cancels the one it replaces', async () => {
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    gradeImpl = (opts) =>
      calls.length === 1
        ? new Promise((_, reject) => {
            started();
            opts.signal!.addEventListener('abort', () => reject(opts.signal!.reason));
          })
        : Promise.resolve(report(opts.slug));
    const first = send({ body: gradeBody() });
    await firstStarted;
    const second = await send({ body: gradeBody() });
    const firstReply = await first;
    expect(JSON.parse(firstReply.body.trim())).toMatchObject({ type: 'error', code: 'GradeReplaced' });
    expect(JSON.parse(second.body.trim())).toMatchObject({ type: 'report' });
  });

  test('aborts the grade when the browser disconnects', async () => {
    const aborted = new Promise<string>((resolve) => {
      gradeImpl = (opts) =>
        new Promise(() => opts.signal!.addEventListener('abort', () => resolve(String(opts.signal!.reason))));
    });
    const req = request({ host: '127.0.0.1', port, path: '/api/grade', method: 'POST', headers: { Host: `localhost:${port}`, 'Content-Type': 'application/json' } });
    req.on('error', () => {});
    req.on('response', () => req.destroy());
    req.end(gradeBody());
    expect(await aborted).toContain('the browser disconnected');
  });

  test('leaves every other path to the static server', async () => {
    expect((await send({ path: '/lessons/dns/', method: 'GET' })).body).toBe('static');
  });
});
