import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLoadBalancer, type LoadBalancerConfig } from '../src/balancer.ts';
import {
  exchange,
  listen,
  onCleanup,
  randomWord,
  request,
  startUpstream,
  type Received,
  type Recorded,
  type Sent,
  type Upstream,
} from '../kit/index.ts';

// Helpers shared by the l7-load-balancer stages: named backends that say who answered, the
// balancer under test, and nginx's smooth weighted round robin as the reference for stage 2 and 5.

export type Respond = (req: Recorded, res: ServerResponse, raw: IncomingMessage) => void;

export type Backend = Upstream & {
  /** Random name the backend puts in its body and in X-Backend, so tests can tell who answered. */
  name: string;
  /** How the backend answers; a test may swap it mid-way (e.g. to fail its health checks). */
  respond: Respond;
  /** Every request answered so far, with the status it got (200 while a response is held). */
  answered: Array<{ req: Recorded; status: number }>;
  /** Resolves once `count` answered requests (earlier ones included) match; rejects after 2 s. */
  waitFor(match: (req: Recorded, status: number) => boolean, count: number, what: string): Promise<void>;
};

/** The default answer: 200, body and X-Backend set to the backend's name. */
export const answerName = (name: string): Respond => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name });
  res.end(name);
};

/** `n` distinct pronounceable names. */
export function names(n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(randomWord(2));
  return [...out];
}

/**
 * A random path that none of the given prefixes matches. Prefixes match by characters in this lab,
 * so a plain random word can collide ("/pakami" starts with "/paka") about 1 time in 200.
 */
export function pathOutside(...prefixes: string[]): string {
  for (;;) {
    const path = `/${randomWord(3)}`;
    if (!prefixes.some((p) => path.startsWith(p))) return path;
  }
}

export async function startBackend(name: string, respond: Respond = answerName(name)): Promise<Backend> {
  const events = new EventEmitter();
  const answered: Backend['answered'] = [];
  let backend: Backend;
  const up = await startUpstream((req, res, raw) => {
    backend.respond(req, res, raw);
    // After respond(), so the status is decided: "answered 503" really means the balancer got a 503.
    answered.push({ req, status: res.statusCode });
    events.emit('answered');
  });
  backend = Object.assign(up, {
    name,
    respond,
    answered,
    waitFor(match: (req: Recorded, status: number) => boolean, count: number, what: string) {
      const seen = () => answered.filter((a) => match(a.req, a.status)).length;
      return new Promise<void>((resolve, reject) => {
        const onAnswered = () => {
          if (seen() < count) return;
          clearTimeout(timer);
          events.off('answered', onAnswered);
          resolve();
        };
        // A bound, not a sleep: it only turns "nothing ever came" into a message instead of a hang.
        const timer = setTimeout(() => {
          events.off('answered', onAnswered);
          reject(new Error(`Waited 2 s for ${what} at backend ${name}; ${seen()} of ${count} arrived.`));
        }, 2_000);
        events.on('answered', onAnswered);
        onAnswered();
      });
    },
  });
  return backend;
}

export async function startBackends(count: number): Promise<Backend[]> {
  return Promise.all(names(count).map((n) => startBackend(n)));
}

/** The config entry for a backend on 127.0.0.1. */
export function at(b: { port: number }, weight?: number): { host: string; port: number; weight?: number } {
  return weight === undefined ? { host: '127.0.0.1', port: b.port } : { host: '127.0.0.1', port: b.port, weight };
}

/** Builds the learner's balancer, listens on a random port, and stops it after the test. */
export async function startBalancer(config: LoadBalancerConfig): Promise<number> {
  const lb = createLoadBalancer(config);
  // Registered before listen(): cleanups run newest first, so the server closes, then stop() runs.
  onCleanup(() => lb?.stop?.());
  return listen(lb?.server, 'createLoadBalancer(config).server');
}

/** Sends requests one at a time, so their order is the order the balancer saw them in. */
export async function sendInOrder(port: number, sents: Sent[]): Promise<Received[]> {
  const out: Received[] = [];
  for (const sent of sents) out.push(await request(port, sent));
  return out;
}

/** Who answered each response, by its X-Backend header ("?" when missing). */
export function answeredBy(responses: Received[]): string[] {
  return responses.map((r) => String(r.headers['x-backend'] ?? (r.status === 200 ? r.text : `(${r.status})`)));
}

/** A readable list of names, shortened after `max`. */
export function list(items: string[], max = 21): string {
  return items.length > max ? `${items.slice(0, max).join(' ')} … (${items.length} in all)` : items.join(' ');
}

/**
 * nginx's smooth weighted round robin (ngx_http_upstream_get_peer): on every pick each backend
 * gains its weight, the one with the highest running total wins (first one on a tie), and the
 * winner pays back the sum of all weights. Returns the index picked for each of `count` requests.
 */
export function smoothWeighted(weights: number[], count: number): number[] {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const picks: number[] = [];
  for (let n = 0; n < count; n++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    picks.push(best);
  }
  return picks;
}

/** The failure message for a wrong order of backends. */
export function orderMessage(sent: string, expected: string[], received: string[]): string {
  return exchange({ sent, expected: `backends in order ${list(expected)}`, received: list(received) });
}
