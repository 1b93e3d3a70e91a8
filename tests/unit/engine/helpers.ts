import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_LABS = fileURLToPath(new URL('../../fixtures/labs', import.meta.url));
export const ECHO_UPPER = path.join(FIXTURE_LABS, 'echo-upper');
export const SAMPLES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function sample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as T;
}

export function manifest() {
  return JSON.parse(readFileSync(path.join(ECHO_UPPER, 'lab.json'), 'utf8'));
}

/** The fixture's server.ts with `body` as the request handler. */
export function server(body: string): Record<string, string> {
  return {
    'server.ts': `import http from 'node:http';

export function createServer(): http.Server {
  return http.createServer((req, res) => {
${body}
  });
}
`,
  };
}

/** Answers /health and upper-cases /shout, but echoes a wrong body: passes stages 1 and 3's own tests, fails 2. */
export const FAILS_ECHO = server(`    if (req.url === '/health') return void res.end('ok');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      console.log('handling', req.url);
      res.end(req.url === '/shout' ? body.toUpperCase() : 'wrong');
    });`);

/**
 * Processes of a group that are still alive. Zombies do not count: they hold no port or memory,
 * and in some containers PID 1 never reaps the orphans it inherits, so they linger whatever we do.
 */
export function liveGroupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the ")" that closes the command name: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return live;
}
