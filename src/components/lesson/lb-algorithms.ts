/**
 * The load-balancing algorithms behind <LbSimulator>, with no DOM: the component runs them at
 * build time for its worked example and again in the browser, so both always agree, and the unit
 * tests pin their behaviour. The vocabulary and the rules follow the l7-load-balancer lab:
 *
 * - round robin: strict rotation over the list, skipping backends that are down;
 * - weighted: nginx's smooth weighted round robin (weights 5, 1, 1 give a a b a c a a);
 * - least connections: the fewest requests in flight, ties broken in rotation;
 * - sticky: an opaque cookie pins a client to its backend while that backend is up; clients
 *   without a (valid) cookie are placed by round robin and get a new cookie.
 *
 * Time runs in ticks. A request occupies its backend ("in flight") from the tick it arrives
 * until `duration` ticks later.
 */

export type LbAlgorithm = 'round-robin' | 'weighted' | 'least-connections' | 'sticky';

export const ALGORITHMS: readonly { id: LbAlgorithm; label: string; short: string }[] = [
  { id: 'round-robin', label: 'Round robin', short: 'strict rotation' },
  { id: 'weighted', label: 'Weighted round robin (smooth, as in nginx)', short: 'by weight, spread out' },
  { id: 'least-connections', label: 'Least connections', short: 'fewest in flight' },
  { id: 'sticky', label: 'Sticky sessions (cookie)', short: 'same client, same backend' },
];

/** How long a short and a long-running request stay in flight, in ticks. */
export const SHORT_TICKS = 1;
export const LONG_TICKS = 5;

export interface BackendSpec {
  name: string;
  /** Share of traffic for the weighted algorithm; defaults to 1. */
  weight?: number;
  /** Starts out of rotation (failed its health checks). */
  down?: boolean;
}

export interface Backend {
  name: string;
  weight: number;
  up: boolean;
  /** Requests forwarded to it whose response has not finished yet. */
  inFlight: number;
  /** Requests it has been given so far. */
  served: number;
  /** Smooth weighted round robin score; nginx calls it current_weight. */
  current: number;
  /** The opaque value a sticky cookie carries for this backend. */
  cookie: string;
}

export interface RequestSpec {
  /** Who sent it; only the sticky algorithm looks at it. */
  client?: string;
  /** Ticks in flight; defaults to SHORT_TICKS. */
  duration?: number;
}

export interface Decision {
  /** 1-based request number. */
  n: number;
  /** The tick the request arrived. */
  at: number;
  client?: string;
  duration: number;
  algorithm: LbAlgorithm;
  /** Index of the chosen backend, or null when none was up (the client gets a 503). */
  backend: number | null;
  /** One sentence saying why this backend, for the log and the worked example. */
  reason: string;
  /** `name=value` the balancer adds as Set-Cookie (sticky only). */
  setCookie?: string;
  /** Weighted only: every score after adding the weights, and after the winner paid the total. */
  scores?: { before: number[]; after: number[] };
  /** In-flight count of every backend once this request was placed. */
  inFlight: number[];
}

/**
 * A short, stable, meaningless token per backend (FNV-1a of the name, in base 36). Stable so the
 * page built on the server and the one running in the browser agree; meaningless so the cookie
 * tells a client nothing about internal addresses, which is the point the lab makes.
 */
export function opaqueId(name: string, salt = 'hop'): string {
  let h = 0x811c9dc5;
  for (const ch of `${salt}:${name}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let h2 = h;
  for (const ch of `${name}:${salt}`) {
    h2 ^= ch.codePointAt(0)!;
    h2 = Math.imul(h2, 0x01000193) >>> 0;
  }
  return (h.toString(36) + h2.toString(36)).slice(0, 10);
}

export function makeBackends(specs: readonly BackendSpec[]): Backend[] {
  return specs.map((s) => ({
    name: s.name,
    weight: s.weight ?? 1,
    up: !s.down,
    inFlight: 0,
    served: 0,
    current: 0,
    cookie: opaqueId(s.name),
  }));
}

/**
 * Strict round robin: the next backend after the previous pick, skipping any that are down.
 * `next` is the position the scan starts from; returns the pick and the new position.
 */
export function pickRoundRobin(backends: readonly Backend[], next: number): { index: number | null; next: number } {
  const n = backends.length;
  for (let i = 0; i < n; i++) {
    const j = (next + i) % n;
    if (backends[j]!.up) return { index: j, next: (j + 1) % n };
  }
  return { index: null, next };
}

/**
 * nginx's smooth weighted round robin. Every pick, each backend that is up adds its weight to its
 * score; the highest score wins (the earliest listed on a tie) and pays back the sum of the
 * weights. Over one cycle every backend is chosen exactly `weight` times, spread out rather than
 * in a burst. Mutates the scores; returns the pick and the scores before and after paying.
 */
export function pickSmoothWeighted(backends: Backend[]): { index: number | null; before: number[]; after: number[] } {
  let total = 0;
  let best = -1;
  backends.forEach((b, i) => {
    if (!b.up) return;
    b.current += b.weight;
    total += b.weight;
    if (best === -1 || b.current > backends[best]!.current) best = i;
  });
  const before = backends.map((b) => b.current);
  if (best === -1) return { index: null, before, after: before };
  backends[best]!.current -= total;
  return { index: best, before, after: backends.map((b) => b.current) };
}

/**
 * Least connections: the backend that is up with the fewest requests in flight. The scan starts at
 * `cursor` and only a strictly smaller count replaces the best so far, so ties go round in turn
 * instead of always landing on the first backend. Returns the pick and the next cursor.
 */
export function pickLeastConnections(backends: readonly Backend[], cursor: number): { index: number | null; cursor: number } {
  const n = backends.length;
  let best = -1;
  for (let i = 0; i < n; i++) {
    const j = (cursor + i) % n;
    const b = backends[j]!;
    if (!b.up) continue;
    if (best === -1 || b.inFlight < backends[best]!.inFlight) best = j;
  }
  if (best === -1) return { index: null, cursor };
  return { index: best, cursor: (best + 1) % n };
}

interface Active {
  backend: number;
  ends: number;
}

export interface Simulation {
  readonly backends: readonly Backend[];
  readonly log: readonly Decision[];
  readonly now: number;
  algorithm: LbAlgorithm;
  /** The cookie each client holds, as its jar would: client → cookie value. */
  readonly jar: ReadonlyMap<string, string>;
  /** Places one request at the current tick. */
  send(request?: RequestSpec): Decision;
  /** Moves the clock on; requests whose time is up finish. Returns how many finished. */
  tick(ticks?: number): number;
  /** A new batch of requests: one tick after the previous batch (if any), all at the same tick. */
  arrive(requests: RequestSpec[]): Decision[];
  /** Marks a backend up or down, as health checks would. Requests already in flight carry on. */
  setUp(index: number, up: boolean): void;
}

export interface SimulationOptions {
  algorithm: LbAlgorithm;
  cookieName?: string;
}

export function createSimulation(specs: readonly BackendSpec[], options: SimulationOptions): Simulation {
  const backends = makeBackends(specs);
  const cookieName = options.cookieName ?? 'SERVERID';
  const log: Decision[] = [];
  const active: Active[] = [];
  const jar = new Map<string, string>();
  let now = 0;
  let rrNext = 0;
  let lcCursor = 0;
  let started = false;

  const inFlightNow = () => backends.map((b) => b.inFlight);
  /** "a 5, b down, c 1": one figure per backend, with a real minus sign as in the lesson's tables. */
  const perBackend = (xs: readonly number[]) =>
    xs.map((x, i) => `${backends[i]!.name} ${backends[i]!.up ? String(x).replace('-', '−') : 'down'}`).join(', ');

  function roundRobin(): number | null {
    const r = pickRoundRobin(backends, rrNext);
    rrNext = r.next;
    return r.index;
  }

  function choose(algorithm: LbAlgorithm, client: string | undefined): Omit<Decision, 'n' | 'at' | 'client' | 'duration' | 'algorithm' | 'inFlight'> {
    const none = { backend: null, reason: 'no backend is up, so the balancer answers 503 Service Unavailable' };
    switch (algorithm) {
      case 'round-robin': {
        const index = roundRobin();
        if (index === null) return none;
        const skipped = backends.some((b) => !b.up);
        return { backend: index, reason: `next in the rotation${skipped ? ' (backends that are down are skipped)' : ''}` };
      }
      case 'weighted': {
        const r = pickSmoothWeighted(backends);
        if (r.index === null) return none;
        const total = backends.filter((b) => b.up).reduce((s, b) => s + b.weight, 0);
        const winner = backends[r.index]!;
        return {
          backend: r.index,
          reason: `scores plus weights: ${perBackend(r.before)}; ${winner.name} is highest and pays back ${total}`,
          scores: { before: r.before, after: r.after },
        };
      }
      case 'least-connections': {
        const counts = inFlightNow();
        const r = pickLeastConnections(backends, lcCursor);
        lcCursor = r.cursor;
        if (r.index === null) return none;
        const min = backends[r.index]!.inFlight;
        const tied = backends.filter((b) => b.up && b.inFlight === min).length;
        return {
          backend: r.index,
          reason: `in flight: ${perBackend(counts)}; ${backends[r.index]!.name} has the fewest${tied > 1 ? ` (a ${tied}-way tie, taken in turn)` : ''}`,
        };
      }
      case 'sticky': {
        const held = client ? jar.get(client) : undefined;
        const pinned = held === undefined ? -1 : backends.findIndex((b) => b.cookie === held);
        if (pinned !== -1 && backends[pinned]!.up) {
          return { backend: pinned, reason: `cookie ${cookieName}=${held} names ${backends[pinned]!.name}, which is up` };
        }
        const index = roundRobin();
        if (index === null) return none;
        const value = backends[index]!.cookie;
        if (client) jar.set(client, value);
        const why =
          held === undefined
            ? 'no cookie yet'
            : pinned === -1
              ? 'a cookie this balancer never issued'
              : `its cookie names ${backends[pinned]!.name}, which is down`;
        return {
          backend: index,
          reason: `${why}: round robin picks ${backends[index]!.name} and a new cookie pins the client there`,
          setCookie: `${cookieName}=${value}`,
        };
      }
    }
  }

  function finish(): number {
    let done = 0;
    for (let i = active.length - 1; i >= 0; i--) {
      const a = active[i]!;
      if (a.ends <= now) {
        backends[a.backend]!.inFlight--;
        active.splice(i, 1);
        done++;
      }
    }
    return done;
  }

  const sim: Simulation = {
    get backends() {
      return backends;
    },
    get log() {
      return log;
    },
    get now() {
      return now;
    },
    get jar() {
      return jar;
    },
    algorithm: options.algorithm,
    send(request = {}) {
      started = true;
      const duration = Math.max(1, request.duration ?? SHORT_TICKS);
      const picked = choose(sim.algorithm, request.client);
      if (picked.backend !== null) {
        const b = backends[picked.backend]!;
        b.inFlight++;
        b.served++;
        active.push({ backend: picked.backend, ends: now + duration });
      }
      const decision: Decision = {
        n: log.length + 1,
        at: now,
        client: request.client,
        duration,
        algorithm: sim.algorithm,
        ...picked,
        inFlight: inFlightNow(),
      };
      log.push(decision);
      return decision;
    },
    tick(ticks = 1) {
      now += Math.max(0, Math.floor(ticks));
      return finish();
    },
    arrive(requests) {
      if (started) sim.tick(1);
      return requests.map((r) => sim.send(r));
    },
    setUp(index, up) {
      const b = backends[index];
      if (b) b.up = up;
    },
  };
  return sim;
}

export interface ExampleSpec {
  backends: readonly BackendSpec[];
  algorithm: LbAlgorithm;
  /** How many requests, one tick apart. */
  requests: number;
  /** 1-based numbers of the requests that are long-running. */
  long?: readonly number[];
  /** Who sends request i: clients[(i - 1) % clients.length]. */
  clients?: readonly string[];
  /** Backends out of rotation for requests `from` (inclusive) to `to` (exclusive, or to the end). */
  outages?: readonly { backend: string; from: number; to?: number }[];
  cookieName?: string;
}

/**
 * Plays a scripted sequence on a new simulation and returns it live, so a reader can carry on
 * from where the worked example ends.
 */
export function playExample(spec: ExampleSpec): Simulation {
  const sim = createSimulation(spec.backends, { algorithm: spec.algorithm, cookieName: spec.cookieName });
  const long = new Set(spec.long ?? []);
  const clients = spec.clients ?? [];
  for (let n = 1; n <= spec.requests; n++) {
    for (const o of spec.outages ?? []) {
      const i = spec.backends.findIndex((b) => b.name === o.backend);
      if (i === -1) continue;
      if (n === o.from) sim.setUp(i, false);
      if (o.to !== undefined && n === o.to) sim.setUp(i, true);
    }
    const client = clients.length > 0 ? clients[(n - 1) % clients.length] : undefined;
    sim.arrive([{ client, duration: long.has(n) ? LONG_TICKS : SHORT_TICKS }]);
  }
  return sim;
}

/** Runs a scripted sequence, as the simulator's worked example does at build time. */
export function runExample(spec: ExampleSpec): { decisions: Decision[]; backends: Backend[] } {
  const sim = playExample(spec);
  return { decisions: [...sim.log], backends: sim.backends.map((b) => ({ ...b })) };
}
