import { describe, expect, test } from 'vitest';
import {
  SequenceDiagramSchema,
  describeSteps,
  layoutSequence,
  selfTextWidth,
  type SequenceDiagramProps,
  type SequenceLayout,
} from '../../../src/components/lesson/sequence-diagram-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';

const parse = (props: unknown) =>
  validateProps(SequenceDiagramSchema, props, {
    component: 'SequenceDiagram',
    docs: 'src/components/lesson/sequence-diagram-schema.ts',
    pathname: '/lessons/dns/',
  });

const dns: SequenceDiagramProps = {
  title: 'A lookup',
  actors: [
    { id: 'stub', label: 'Stub' },
    { id: 'resolver', label: 'Resolver', sub: '1.1.1.1' },
    { id: 'root', label: 'Root' },
  ],
  messages: [
    { from: 'stub', to: 'resolver', label: 'A? example.com' },
    { from: 'resolver', to: 'resolver', label: 'cache miss' },
    { from: 'resolver', to: 'root', label: 'A? example.com' },
    { from: 'root', to: 'resolver', label: 'referral: com', note: 'with glue', kind: 'referral' },
  ],
};

describe('SequenceDiagramSchema', () => {
  test('rejects a message between actors that do not exist, listing the ids that do', () => {
    const broken = { ...dns, messages: [{ from: 'stub', to: 'rooot', label: 'A? example.com' }] };
    expect(() => parse(broken)).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <SequenceDiagram> is not valid.
        • "messages[0].to" is "rooot": no actor has this id; use one of "stub", "resolver", "root". It should be the id of the actor that receives it (the same id draws a self-arrow).
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/sequence-diagram-schema.ts.]
    `);
  });

  test('rejects an unknown message kind', () => {
    const broken = { ...dns, messages: [{ from: 'stub', to: 'root', label: 'hi', kind: 'reply' }] };
    expect(() => parse(broken)).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <SequenceDiagram> is not valid.
        • "messages[0].kind" is "reply"; it must be one of "request", "response", "referral".
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/sequence-diagram-schema.ts.]
    `);
  });

  test('defaults messages to the request kind', () => {
    expect(parse(dns).messages.map((m) => m.kind)).toEqual(['request', 'request', 'request', 'referral']);
  });
});

describe('layoutSequence', () => {
  test('places actors left to right in equal columns', () => {
    const layout = layoutSequence(parse(dns));
    const xs = layout.actors.map((a) => a.x);
    expect(xs[1]! - xs[0]!).toBe(xs[2]! - xs[1]!);
    expect(layout.width).toBeGreaterThan(xs[2]!);
  });

  test('stacks messages downwards in order and marks self-messages', () => {
    const { rows, height } = layoutSequence(parse(dns));
    expect(rows.map((r) => r.self)).toEqual([false, true, false, false]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.y).toBeGreaterThan(rows[i - 1]!.y);
    expect(height).toBeGreaterThan(rows.at(-1)!.y);
  });

  test('widens columns for a long label but caps the width so text stays readable', () => {
    const narrow = layoutSequence(parse(dns));
    const long = layoutSequence(parse({ ...dns, messages: [{ from: 'stub', to: 'resolver', label: 'x'.repeat(48) }] }));
    expect(long.width).toBeGreaterThan(narrow.width);
    expect(long.width).toBeLessThanOrEqual(24 * 2 + 220 * 3);
  });
});

/** Where a self-arrow's label or note starts and ends, in the SVG's x coordinates. */
function selfTextSpan(r: SequenceLayout['rows'][number]): [number, number] {
  const w = selfTextWidth(r.n, r.label, r.note);
  return r.anchor === 'end' ? [r.textX! - w, r.textX!] : [r.textX!, r.textX! + w];
}

describe('layoutSequence: self-arrows stay inside the drawing', () => {
  const three = dns.actors;
  const last = (label: string, note?: string): SequenceDiagramProps => ({
    ...dns,
    messages: [
      { from: 'stub', to: 'root', label: 'A? example.com' },
      { from: 'root', to: 'root', label, ...(note ? { note } : {}) },
    ],
  });

  test('a self-arrow on the rightmost actor turns left instead of running off the right edge', () => {
    const layout = layoutSequence(parse(last('look up the com delegation', 'the root zone is served from memory')));
    const row = layout.rows[1]!;
    expect(row).toMatchObject({ self: true, side: 'left', anchor: 'end' });
    expect(row.textX).toBeLessThan(row.x1);
    const [start, end] = selfTextSpan(row);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeLessThanOrEqual(layout.width);
    // Turning left costs no width: the diagram is as wide as it would be without the self-arrow.
    const without = layoutSequence(parse({ ...dns, messages: [{ from: 'stub', to: 'root', label: 'A? example.com' }] }));
    expect(layout.width).toBe(without.width);
  });

  test('a self-arrow with room on the right keeps its loop and text there', () => {
    const layout = layoutSequence(parse(dns));
    const row = layout.rows[1]!;
    expect(row).toMatchObject({ self: true, side: 'right', anchor: 'start' });
    expect(row.textX).toBeGreaterThan(row.x1);
    expect(selfTextSpan(row)[1]).toBeLessThanOrEqual(layout.width);
  });

  test('a short self-arrow on the rightmost actor stays on the right when it fits', () => {
    const layout = layoutSequence(parse(last('ok')));
    expect(layout.rows[1]).toMatchObject({ side: 'right' });
    expect(selfTextSpan(layout.rows[1]!)[1]).toBeLessThanOrEqual(layout.width);
  });

  test('text that fits on neither side stays on the right and widens the drawing just enough', () => {
    const two: SequenceDiagramProps = {
      title: 'Two actors',
      actors: three.slice(0, 2),
      messages: [{ from: 'stub', to: 'stub', label: 'think', note: 'n'.repeat(80) }],
    };
    const layout = layoutSequence(parse(two));
    const row = layout.rows[0]!;
    expect(row.side).toBe('right');
    const [start, end] = selfTextSpan(row);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeLessThanOrEqual(layout.width);
    expect(layout.width).toBeLessThan(end + 24);
  });

  test('every self-arrow in a busy diagram ends up inside the drawing, whichever actor it is on', () => {
    for (const actor of three) {
      for (const note of [undefined, 'a note of medium length here', 'x'.repeat(80)]) {
        const layout = layoutSequence(
          parse({ ...dns, messages: [{ from: actor.id, to: actor.id, label: 'y'.repeat(48), ...(note ? { note } : {}) }] }),
        );
        const [start, end] = selfTextSpan(layout.rows[0]!);
        expect(start, `${actor.id} / ${note}`).toBeGreaterThanOrEqual(0);
        expect(end, `${actor.id} / ${note}`).toBeLessThanOrEqual(layout.width);
      }
    }
  });
});

describe('describeSteps', () => {
  test('writes each message as a numbered sentence for screen readers', () => {
    expect(describeSteps(parse(dns))).toEqual([
      '1. Stub → Resolver: A? example.com',
      '2. Resolver: cache miss',
      '3. Resolver → Root: A? example.com',
      '4. Root → Resolver: referral: com (with glue)',
    ]);
  });
});
