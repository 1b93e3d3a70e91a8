import { describe, expect, test } from 'vitest';
import {
  LONG_TICKS,
  createSimulation,
  makeBackends,
  opaqueId,
  pickLeastConnections,
  pickRoundRobin,
  pickSmoothWeighted,
  runExample,
  type BackendSpec,
  type LbAlgorithm,
} from '../../../src/components/lesson/lb-algorithms.ts';

const abc: BackendSpec[] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
const weighted: BackendSpec[] = [
  { name: 'a', weight: 5 },
  { name: 'b', weight: 1 },
  { name: 'c', weight: 1 },
];

/** Names of the backends chosen for `count` short requests, one tick apart. */
function sequence(specs: BackendSpec[], algorithm: LbAlgorithm, count: number, clients?: string[]): string[] {
  const { decisions } = runExample({ backends: specs, algorithm, requests: count, clients });
  return decisions.map((d) => (d.backend === null ? '503' : specs[d.backend]!.name));
}

describe('smooth weighted round robin', () => {
  test('reproduces nginx’s a a b a c a a for weights 5, 1, 1, then repeats', () => {
    expect(sequence(weighted, 'weighted', 14).join(' ')).toBe('a a b a c a a a a b a c a a');
  });

  test('explains each pick with every backend’s score, using a real minus sign', () => {
    const { decisions } = runExample({ backends: weighted, algorithm: 'weighted', requests: 4 });
    expect(decisions[0]!.reason).toBe('scores plus weights: a 5, b 1, c 1; a is highest and pays back 7');
    expect(decisions[3]!.reason).toBe('scores plus weights: a 6, b −3, c 4; a is highest and pays back 7');
  });

  test('shows the scores nginx keeps: 5 1 1 before the first pick, −2 1 1 after it, all zero after a cycle', () => {
    const backends = makeBackends(weighted);
    const first = pickSmoothWeighted(backends);
    expect(first).toEqual({ index: 0, before: [5, 1, 1], after: [-2, 1, 1] });
    for (let i = 0; i < 6; i++) pickSmoothWeighted(backends);
    expect(backends.map((b) => b.current)).toEqual([0, 0, 0]);
  });

  test('gives every backend exactly its weight per cycle, never two picks of a light one in a row', () => {
    const specs: BackendSpec[] = [
      { name: 'a', weight: 3 },
      { name: 'b', weight: 2 },
      { name: 'c', weight: 4 },
      { name: 'd', weight: 1 },
    ];
    const seq = sequence(specs, 'weighted', 20);
    for (const s of specs) expect(seq.filter((x) => x === s.name)).toHaveLength(2 * s.weight!);
    expect(seq.join('')).not.toMatch(/dd/);
  });

  test('spreads equal weights as strict rotation', () => {
    expect(sequence(abc, 'weighted', 6).join(' ')).toBe('a b c a b c');
  });

  test('leaves a backend that is down out and shares its turns between the rest', () => {
    const specs: BackendSpec[] = [{ name: 'a', weight: 5 }, { name: 'b', weight: 1, down: true }, { name: 'c', weight: 1 }];
    const seq = sequence(specs, 'weighted', 12);
    expect(seq).not.toContain('b');
    expect(seq.filter((x) => x === 'a')).toHaveLength(10);
  });
});

describe('round robin', () => {
  test('rotates strictly in the order the backends are listed', () => {
    expect(sequence(abc, 'round-robin', 7).join(' ')).toBe('a b c a b c a');
  });

  test('ignores weights', () => {
    expect(sequence(weighted, 'round-robin', 6).join(' ')).toBe('a b c a b c');
  });

  test('skips a backend that is down and takes it back when it is up again', () => {
    const sim = createSimulation(abc, { algorithm: 'round-robin' });
    const pick = () => sim.backends[sim.send().backend!]!.name;
    expect([pick(), pick()]).toEqual(['a', 'b']);
    sim.setUp(2, false);
    expect([pick(), pick(), pick()]).toEqual(['a', 'b', 'a']);
    sim.setUp(2, true);
    expect([pick(), pick()]).toEqual(['b', 'c']);
  });

  test('finds the next backend that is up from any position', () => {
    const backends = makeBackends([{ name: 'a', down: true }, { name: 'b' }, { name: 'c', down: true }]);
    expect(pickRoundRobin(backends, 2)).toEqual({ index: 1, next: 2 });
  });

  test('answers 503 when every backend is down', () => {
    const sim = createSimulation(abc, { algorithm: 'round-robin' });
    for (let i = 0; i < 3; i++) sim.setUp(i, false);
    const d = sim.send();
    expect(d.backend).toBeNull();
    expect(d.reason).toMatch(/503/);
    expect(d.inFlight).toEqual([0, 0, 0]);
  });
});

describe('least connections', () => {
  test('picks the backend with the fewest requests in flight', () => {
    const backends = makeBackends(abc);
    backends[0]!.inFlight = 2;
    backends[1]!.inFlight = 0;
    backends[2]!.inFlight = 1;
    expect(pickLeastConnections(backends, 0).index).toBe(1);
    expect(pickLeastConnections(backends, 2).index).toBe(1);
  });

  test('breaks ties in rotation instead of always taking the first backend', () => {
    expect(sequence(abc, 'least-connections', 6).join(' ')).toBe('a b c a b c');
  });

  test('steers new requests around backends busy with long-running ones', () => {
    const { decisions } = runExample({ backends: abc, algorithm: 'least-connections', requests: 6, long: [1, 2] });
    const names = decisions.map((d) => abc[d.backend!]!.name);
    // a and b each hold a long request (ticks 0–5 and 1–6), so c takes the short ones meanwhile;
    // at tick 5 a's long request has finished and a ties with c again.
    expect(LONG_TICKS).toBe(5);
    expect(names).toEqual(['a', 'b', 'c', 'c', 'c', 'a']);
    expect(decisions[2]!.inFlight).toEqual([1, 1, 1]);
    expect(decisions[2]!.reason).toBe('in flight: a 1, b 1, c 0; c has the fewest');
  });

  test('counts a burst that arrives in the same tick', () => {
    const sim = createSimulation(abc, { algorithm: 'least-connections' });
    const burst = sim.arrive(Array.from({ length: 5 }, () => ({ duration: 3 })));
    expect(burst.map((d) => d.backend)).toEqual([0, 1, 2, 0, 1]);
    expect(burst.at(-1)!.inFlight).toEqual([2, 2, 1]);
    expect(sim.tick(3)).toBe(5);
    expect(sim.backends.map((b) => b.inFlight)).toEqual([0, 0, 0]);
  });

  test('skips a backend that is down even when it is idle, and says so in the reason', () => {
    const sim = createSimulation(abc, { algorithm: 'least-connections' });
    sim.setUp(2, false);
    const picks = sim.arrive([{ duration: 9 }, { duration: 9 }, { duration: 9 }]);
    expect(picks.map((d) => d.backend)).toEqual([0, 1, 0]);
    expect(picks[2]!.reason).toBe('in flight: a 1, b 1, c down; a has the fewest (a 2-way tie, taken in turn)');
  });
});

describe('sticky sessions', () => {
  test('keeps each client on the backend its cookie names while that backend is up', () => {
    const seq = sequence(abc, 'sticky', 9, ['ana', 'ben']);
    // ana's requests are 1, 3, 5, …; ben's are 2, 4, 6, …
    expect(seq.filter((_, i) => i % 2 === 0).every((x) => x === 'a')).toBe(true);
    expect(seq.filter((_, i) => i % 2 === 1).every((x) => x === 'b')).toBe(true);
  });

  test('sets a cookie only when it places a client, and the value is opaque', () => {
    const specs = [{ name: 'web-10-0-1-11' }, { name: 'web-10-0-1-12' }, { name: 'web-10-0-1-13' }];
    const { decisions, backends } = runExample({ backends: specs, algorithm: 'sticky', requests: 4, clients: ['ana', 'ben'] });
    expect(decisions.map((d) => d.setCookie !== undefined)).toEqual([true, true, false, false]);
    expect(decisions[0]!.setCookie).toBe(`SERVERID=${backends[0]!.cookie}`);
    for (const b of backends) {
      expect(b.cookie).toMatch(/^[0-9a-z]{6,}$/);
      expect(b.cookie).not.toMatch(/web|10|11|12|13/);
    }
    expect(new Set(backends.map((b) => b.cookie)).size).toBe(3);
  });

  test('re-pins a client with a new cookie when its backend goes down, and keeps it there after recovery', () => {
    const sim = createSimulation(abc, { algorithm: 'sticky', cookieName: 'LB' });
    expect(sim.send({ client: 'ana' }).backend).toBe(0);
    sim.setUp(0, false);
    const moved = sim.send({ client: 'ana' });
    expect(moved.backend).toBe(1);
    expect(moved.setCookie).toBe(`LB=${sim.backends[1]!.cookie}`);
    expect(moved.reason).toMatch(/names a, which is down/);
    sim.setUp(0, true);
    const after = sim.send({ client: 'ana' });
    expect(after.backend).toBe(1);
    expect(after.setCookie).toBeUndefined();
  });

  test('treats a cookie it never issued like no cookie', () => {
    const sim = createSimulation(abc, { algorithm: 'sticky' });
    (sim.jar as Map<string, string>).set('eve', 'forged');
    const d = sim.send({ client: 'eve' });
    expect(d.backend).toBe(0);
    expect(d.reason).toMatch(/never issued/);
    expect(d.setCookie).toBeDefined();
  });

  test('follows a scripted outage in the worked example', () => {
    const { decisions } = runExample({
      backends: abc,
      algorithm: 'sticky',
      requests: 6,
      clients: ['ana', 'ben', 'cai'],
      outages: [{ backend: 'b', from: 5, to: 6 }],
    });
    const names = decisions.map((d) => abc[d.backend!]!.name);
    // Request 5 is ben's: b is down, so round robin moves him on; he stays there afterwards.
    expect(names).toEqual(['a', 'b', 'c', 'a', 'a', 'c']);
    expect(decisions[4]!.setCookie).toBeDefined();
  });
});

describe('simulation clock', () => {
  test('moves each new batch one tick on and lets short requests finish before the next one', () => {
    const sim = createSimulation(abc, { algorithm: 'round-robin' });
    const [first] = sim.arrive([{}]);
    const [second] = sim.arrive([{}]);
    expect([first!.at, second!.at]).toEqual([0, 1]);
    expect(second!.inFlight).toEqual([0, 1, 0]);
  });

  test('keeps a long request in flight for LONG_TICKS ticks', () => {
    const sim = createSimulation(abc, { algorithm: 'round-robin' });
    sim.send({ duration: LONG_TICKS });
    expect(sim.tick(LONG_TICKS - 1)).toBe(0);
    expect(sim.backends[0]!.inFlight).toBe(1);
    expect(sim.tick()).toBe(1);
    expect(sim.backends[0]!.inFlight).toBe(0);
  });

  test('derives the same opaque id for the same name, and different ids for different names', () => {
    expect(opaqueId('a')).toBe(opaqueId('a'));
    expect(opaqueId('a')).not.toBe(opaqueId('b'));
  });
});
