import { describe, expect, test } from 'vitest';
import {
  SequenceDiagramSchema,
  describeSteps,
  layoutSequence,
  type SequenceDiagramProps,
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
