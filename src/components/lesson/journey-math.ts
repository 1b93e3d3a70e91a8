/**
 * Arithmetic shared by the timeline's server render and its browser script. Kept free of zod so
 * the script bundle stays tiny.
 */
type Step = { rtt: number; warm?: number; blocking: boolean };

/** Round trips each blocking step adds and the running total, cold or warm. Pure, for tests. */
export function journeyTotals(steps: Step[], warm: boolean): { each: number[]; at: number[]; total: number } {
  const each = steps.map((s) => (warm ? (s.warm ?? s.rtt) : s.rtt));
  let clock = 0;
  const at = steps.map((s, i) => {
    if (s.blocking) clock += each[i]!;
    return clock;
  });
  return { each, at, total: clock };
}

/**
 * Where each step's bar sits on a waterfall, in percent of the whole track. Unlike the clock,
 * the track also advances for non-blocking steps (teardown), so they are drawn after the rest.
 */
export function waterfall(steps: Step[], each: number[], scale: number): { start: number; len: number }[] {
  let pos = 0;
  return steps.map((_, i) => {
    const start = pos;
    pos += each[i]!;
    return { start: (start / scale) * 100, len: (each[i]! / scale) * 100 };
  });
}

/** The track's length: every step's cold cost, so a warm run visibly shrinks against it. */
export function trackLength(steps: Step[]): number {
  return Math.max(1, steps.reduce((sum, s) => sum + s.rtt, 0));
}

/** "1 round trip", "2 round trips", "½ round trip", or "no extra round trip" for 0. */
export function roundTrips(n: number): string {
  if (n === 0) return 'no extra round trip';
  const whole = Math.floor(n);
  const text = n % 1 === 0 ? String(n) : whole === 0 ? '½' : `${whole}½`;
  return `${text} round trip${n > 1 ? 's' : ''}`;
}
