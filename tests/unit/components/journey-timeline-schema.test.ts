import { describe, expect, test } from 'vitest';
import { JourneyTimelineSchema } from '../../../src/components/lesson/journey-timeline-schema.ts';
import { journeyTotals, roundTrips, trackLength, waterfall } from '../../../src/components/lesson/journey-math.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';

const parse = (props: unknown) =>
  validateProps(JourneyTimelineSchema, props, {
    component: 'JourneyTimeline',
    docs: 'src/components/lesson/journey-timeline-schema.ts',
    pathname: '/lessons/what-happens-when-you-type-a-url/',
  });

const journey = parse({
  title: 'One request',
  steps: [
    { name: 'DNS', rtt: 1, warm: 0, detail: 'Name to address.' },
    { name: 'TCP', rtt: 1, warm: 0, detail: 'SYN, SYN-ACK, ACK.' },
    { name: 'TLS 1.2', rtt: 2, warm: 0, detail: 'Two round trips.' },
    { name: 'HTTP', rtt: 1, detail: 'Request and response.' },
    { name: 'Teardown', rtt: 1, blocking: false, detail: 'FIN and ACK each way.' },
  ],
});

describe('JourneyTimelineSchema', () => {
  test('defaults the round-trip time to 50 ms and steps to blocking', () => {
    expect(journey.rttMs).toBe(50);
    expect(journey.steps.map((s) => s.blocking)).toEqual([true, true, true, true, false]);
  });

  test('rejects round trips that are not whole or half', () => {
    expect(() => parse({ title: 'One request', steps: [{ name: 'DNS', rtt: 0.3, detail: 'Name to address.' }, { name: 'TCP', rtt: 1, detail: 'SYN, SYN-ACK, ACK.' }] }))
      .toThrowErrorMatchingInlineSnapshot(`
        [HopError: [InvalidAuthoredFile] content/lessons/what-happens-when-you-type-a-url/index.mdx: the use of <JourneyTimeline> is not valid.
          • "steps[0].rtt": Invalid number: must be a multiple of 0.5. It should be round trips this stage waits on a cold start: 0 to 6, in steps of 0.5.
        Fix: Edit content/lessons/what-happens-when-you-type-a-url/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/journey-timeline-schema.ts.]
      `);
  });

  test('rejects a step without a detail', () => {
    expect(() => parse({ title: 'One request', steps: [{ name: 'DNS', rtt: 1 }, { name: 'TCP', rtt: 1, detail: 'SYN, SYN-ACK, ACK.' }] }))
      .toThrowErrorMatchingInlineSnapshot(`
        [HopError: [InvalidAuthoredFile] content/lessons/what-happens-when-you-type-a-url/index.mdx: the use of <JourneyTimeline> is not valid.
          • "steps[0].detail" is missing. It should be one or two sentences on what happens in this stage.
        Fix: Edit content/lessons/what-happens-when-you-type-a-url/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/journey-timeline-schema.ts.]
      `);
  });
});

describe('journeyTotals', () => {
  test('counts every blocking round trip on a cold start and leaves teardown out', () => {
    expect(journeyTotals(journey.steps, false)).toEqual({ each: [1, 1, 2, 1, 1], at: [1, 2, 4, 5, 5], total: 5 });
  });

  test('uses the warm cost where one is given', () => {
    expect(journeyTotals(journey.steps, true).total).toBe(1);
  });
});

describe('waterfall', () => {
  test('lays bars end to end on a track as long as the cold journey, teardown last', () => {
    const { each } = journeyTotals(journey.steps, false);
    const bars = waterfall(journey.steps, each, trackLength(journey.steps));
    // In sixths of the track: DNS 1, TCP 1, TLS 2, HTTP 1, teardown 1.
    const sixths = bars.map((b) => [Math.round((b.start * 6) / 100), Math.round((b.len * 6) / 100)]);
    expect(sixths).toEqual([[0, 1], [1, 1], [2, 2], [4, 1], [5, 1]]);
  });
});

describe('roundTrips', () => {
  test('writes counts the way a reader says them', () => {
    expect([0, 0.5, 1, 1.5, 2].map(roundTrips)).toEqual([
      'no extra round trip',
      '½ round trip',
      '1 round trip',
      '1½ round trips',
      '2 round trips',
    ]);
  });
});
