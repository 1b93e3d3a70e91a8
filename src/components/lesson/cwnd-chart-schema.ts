import { z } from 'astro/zod';

/**
 * Props of <CwndChart>: a model of a TCP sender's windows, one point per round trip, so a lesson
 * can show congestion control (cwnd: the sender's guess at what the network takes) and flow
 * control (rwnd: what the receiver has room for) side by side. The model is Reno-like and
 * deliberately simple:
 * - slow start: cwnd doubles each round trip while below ssthresh (never overshooting it);
 * - congestion avoidance: +1 segment per round trip;
 * - "loss" (three duplicate ACKs) at round r: ssthresh = half the previous round's cwnd, and cwnd = ssthresh
 *   (fast recovery);
 * - "timeout" at round r: ssthresh = half the previous round's cwnd, cwnd = 1 segment, slow start again;
 * - cwnd does not grow in a round the receiver limited (as Linux does), because a round that
 *   never filled cwnd says nothing about the network;
 * - "rwnd" changes the receiver's advertised window from that round on.
 */
const EventSchema = z.strictObject({
  round: z.number().int().min(1).describe('the round trip at whose start the event applies; rounds count from 0, so the first possible event is at round 1'),
  type: z
    .enum(['loss', 'timeout', 'rwnd'])
    .describe('one of "loss" (three duplicate ACKs), "timeout" (retransmission timer) or "rwnd" (the receiver changes its window)'),
  value: z.number().int().min(0).max(10000).optional().describe('for "rwnd" only: the new receive window in segments'),
  label: z.string().min(2).max(40).optional().describe('a short caption for the marker, e.g. "3 duplicate ACKs"'),
});

export const CwndChartSchema = z
  .strictObject({
    title: z.string().min(3).describe('a caption naming what the chart shows'),
    description: z.string().min(10).optional().describe('one or two sentences for screen readers summarising it'),
    rounds: z.number().int().min(4).max(40).describe('how many round trips to draw, 4–40'),
    initialWindow: z.number().int().min(1).max(100).default(10).describe('cwnd in the first round, in segments (Linux: 10)'),
    ssthresh: z.number().int().min(2).optional().describe('the starting slow-start threshold in segments; leave out for "none yet"'),
    rwnd: z.number().int().min(1).max(10000).describe('the receiver’s advertised window at the start, in segments'),
    events: z.array(EventSchema).max(8).default([]).describe('a list of up to 8 events like { round, type, value?, label? }'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "tcp-vs-udp"'),
  })
  .superRefine((props, ctx) => {
    props.events.forEach((e, i) => {
      if (e.round >= props.rounds) ctx.addIssue({ code: 'custom', path: ['events', i, 'round'], message: `is past the last round (${props.rounds - 1})` });
      if (e.type === 'rwnd' && e.value === undefined) ctx.addIssue({ code: 'custom', path: ['events', i, 'value'], message: 'is needed for an "rwnd" event' });
      if (e.type !== 'rwnd' && e.value !== undefined) ctx.addIssue({ code: 'custom', path: ['events', i, 'value'], message: `only applies to "rwnd" events, not "${e.type}"` });
    });
  });

export type CwndChartProps = z.input<typeof CwndChartSchema>;
export type CwndChartData = z.output<typeof CwndChartSchema>;

export type Round = {
  round: number;
  cwnd: number;
  rwnd: number;
  /** What the sender may have in flight: min(cwnd, rwnd). */
  window: number;
  /** Undefined until the first loss or timeout, unless given. */
  ssthresh?: number;
  phase: 'slow start' | 'congestion avoidance';
  limitedBy: 'network (cwnd)' | 'receiver (rwnd)';
  events: CwndChartData['events'];
};

/** The model, one entry per round trip. Pure, so tests can check it without rendering. */
export function simulateWindows(data: Pick<CwndChartData, 'rounds' | 'initialWindow' | 'ssthresh' | 'rwnd' | 'events'>): Round[] {
  let cwnd = data.initialWindow;
  let rwnd = data.rwnd;
  let ssthresh = data.ssthresh;
  const out: Round[] = [];
  for (let r = 0; r < data.rounds; r++) {
    const events = data.events.filter((e) => e.round === r);
    for (const e of events) {
      if (e.type === 'rwnd') rwnd = e.value!;
      else {
        // The loss happened to the window in flight during the previous round, not the grown one.
        const inFlight = out[r - 1]?.cwnd ?? cwnd;
        ssthresh = Math.max(Math.floor(inFlight / 2), 2);
        cwnd = e.type === 'loss' ? ssthresh : 1;
      }
    }
    const window = Math.min(cwnd, rwnd);
    const slow = ssthresh === undefined || cwnd < ssthresh;
    out.push({
      round: r,
      cwnd,
      rwnd,
      window,
      ssthresh,
      phase: slow ? 'slow start' : 'congestion avoidance',
      limitedBy: rwnd < cwnd ? 'receiver (rwnd)' : 'network (cwnd)',
      events,
    });
    // Growth for the next round, only if this round actually used the whole cwnd.
    if (rwnd >= cwnd) cwnd = slow ? Math.min(cwnd * 2, ssthresh ?? Infinity) : cwnd + 1;
  }
  return out;
}
