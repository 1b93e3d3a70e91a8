import { z } from 'astro/zod';

/**
 * Props of <JourneyTimeline>: the stages of one request, each with what it costs in round trips.
 * Costs are in round trips rather than milliseconds because a round trip is what a stage really
 * spends; the component turns them into time for any round-trip time the reader picks.
 */
const rtt = z.number().min(0).max(6).multipleOf(0.5);

const StepSchema = z.strictObject({
  name: z.string().min(2).max(40).describe('the stage, e.g. "TLS handshake", at most 40 characters'),
  where: z.string().max(60).optional().describe('who talks to whom, e.g. "browser ↔ load balancer"'),
  rtt: rtt.describe('round trips this stage waits on a cold start: 0 to 6, in steps of 0.5'),
  warm: rtt
    .optional()
    .describe('round trips when caches are warm and the connection is reused (defaults to rtt)'),
  detail: z.string().min(10).describe('one or two sentences on what happens in this stage'),
  /** Teardown happens after the response, so it costs the user nothing even though it has packets. */
  blocking: z
    .boolean()
    .default(true)
    .describe('false if the stage does not delay the response (e.g. teardown)'),
});

export const JourneyTimelineSchema = z.strictObject({
  title: z.string().min(3).describe('a caption, e.g. "One HTTPS request, stage by stage"'),
  rttMs: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('the round-trip time in milliseconds used for the printed estimates, e.g. 50'),
  steps: z.array(StepSchema).min(2).max(12).describe('a list of 2–12 steps like { name, rtt, detail }'),
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "dns"'),
});

export type JourneyTimelineProps = z.input<typeof JourneyTimelineSchema>;
export type JourneyStep = z.output<typeof StepSchema>;
export { journeyTotals, roundTrips } from './journey-math.ts';
