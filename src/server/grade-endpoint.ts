import type { IncomingMessage, ServerResponse } from 'node:http';
import { HopError, hopError } from '../errors/catalogue.ts';
import type { GradeOptions, GradeReport } from '../engine/grade.ts';
import { GRADE_PATH, GradeRequestSchema, HEALTH_PATH, type GradeStreamMessage } from '../runtime/local-protocol.ts';

export type GradeFn = (opts: GradeOptions) => Promise<GradeReport>;

export type GradeApiOptions = {
  /** The port the site is served on; Host and Origin must name it. A function, for port-0 servers. */
  port: () => number;
  grade: GradeFn;
  listLabs: () => string[];
  /** Request body cap. The editor sends a few small files; anything near this is a mistake or abuse. */
  maxBodyBytes?: number;
};

/**
 * The local runtime's HTTP API, mounted under /api/ by `npm start`. It runs learner code on the
 * learner's machine, so it trusts nothing it is sent: the Host header must be the served origin
 * (a DNS-rebinding page would send its own name), the Origin must be ours (a cross-site POST
 * would carry the attacker's), the body is capped and schema-checked, file names cannot escape
 * the workspace (the engine checks again), and each lab runs one grade at a time — a new run of
 * a lab cancels the one it replaces, like pressing Run twice.
 */
export function createGradeApi(opts: GradeApiOptions) {
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const running = new Map<string, AbortController>();

  function allowedHosts(): string[] {
    const port = opts.port();
    return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  }

  function reject(res: ServerResponse, status: number, err: HopError): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ type: 'error', code: err.code, message: err.message } satisfies GradeStreamMessage));
  }

  /** Returns false when the request is not for the API, so the caller serves static files. */
  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (!path?.startsWith('/api/')) return false;
    const hosts = allowedHosts();
    const host = req.headers.host ?? '';
    if (!hosts.includes(host)) {
      reject(res, 421, hopError('ForeignHost', { host, expected: hosts[0]! }));
      return true;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) {
      reject(res, 403, hopError('ForeignOrigin', { origin, expected: hosts[0]! }));
      return true;
    }
    if (path === HEALTH_PATH && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ ok: true, runtime: 'local', labs: opts.listLabs() }));
      return true;
    }
    if (path === GRADE_PATH && req.method === 'POST') {
      void gradeRequest(req, res);
      return true;
    }
    reject(res, 404, hopError('BadGradeRequest', { problem: `${req.method} ${path} is not an API route` }));
    return true;
  }

  async function gradeRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A cross-site <form> can only send form encodings; requiring JSON closes that door too.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return reject(res, 415, hopError('BadGradeRequest', { problem: 'the body must be sent as application/json' }));
    }
    const body = await readBody(req, maxBody).catch((err: unknown) => err as Error);
    if (body instanceof Error) {
      // Drain nothing more: close the connection so an endless upload stops here.
      res.setHeader('Connection', 'close');
      return reject(res, 413, hopError('BodyTooLarge', { limitKb: Math.round(maxBody / 1000) }));
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return reject(res, 400, hopError('BadGradeRequest', { problem: 'the body is not valid JSON' }));
    }
    const parsed = GradeRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.map(String).join('.') || 'body';
      return reject(res, 400, hopError('BadGradeRequest', { problem: `${where}: ${issue.message}` }));
    }
    const { lab, files, uptoStage } = parsed.data;
    if (!opts.listLabs().includes(lab)) {
      return reject(res, 404, hopError('NoSuchLab', { lab, known: opts.listLabs() }));
    }

    running.get(lab)?.abort(hopError('GradeReplaced', { lab }));
    const controller = new AbortController();
    running.set(lab, controller);
    // The learner closed the tab or pressed Cancel: stop the run and free its processes.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('the browser disconnected'));
    });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
    // Headers go out now, so the page knows the run started before the first line of output.
    res.flushHeaders();
    const send = (m: GradeStreamMessage) => {
      if (!res.writableEnded) res.write(JSON.stringify(m) + '\n');
    };
    try {
      const report = await opts.grade({
        slug: lab,
        files,
        uptoStage,
        signal: controller.signal,
        onOutput: (text) => send({ type: 'output', text }),
      });
      send({ type: 'report', report });
    } catch (err) {
      const e = err instanceof HopError ? err : controller.signal.reason instanceof HopError ? controller.signal.reason : undefined;
      send({ type: 'error', code: e?.code ?? 'GradeCrashed', message: e?.message ?? String((err as Error)?.message ?? err) });
    } finally {
      if (running.get(lab) === controller) running.delete(lab);
      res.end();
    }
  }

  return {
    handle,
    /** Cancels every run in flight (server shutdown). */
    close(): void {
      for (const c of running.values()) c.abort(new Error('the server is stopping'));
      running.clear();
    },
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new Error('too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop reading but keep the socket, so the 413 can still be sent before it closes.
        req.pause();
        req.removeAllListeners('data');
        reject(new Error('too large'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
