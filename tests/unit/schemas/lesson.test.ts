import { describe, expect, test } from 'vitest';
import { LessonSchema } from '../../../src/schemas/lesson.ts';
import { nearest, parseWithFriendlyErrors } from '../../../src/schemas/parse-with-friendly-errors.ts';

const ctx = { file: 'content/lessons/dns/index.mdx', kind: 'lesson frontmatter', docs: 'src/schemas/lesson.ts' };
const valid = {
  title: 'DNS',
  summary: 'How a name becomes an address: resolvers, referrals, caching and the attacks on them.',
  module: 4,
  order: 1,
  objectives: ['Trace a lookup from stub to authoritative', 'Explain TTLs and negative caching'],
  minutes: 25,
};

function messageOf(data: unknown): string {
  try {
    parseWithFriendlyErrors(LessonSchema, data, ctx);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the frontmatter to be rejected');
}

describe('lesson frontmatter', () => {
  test('accepts a complete lesson and defaults draft to false', () => {
    expect(parseWithFriendlyErrors(LessonSchema, valid, ctx)).toEqual({ ...valid, draft: false });
  });

  test('names the file, the misspelt field and the field it probably meant', () => {
    const { minutes, ...rest } = valid;
    expect(messageOf({ ...rest, minuts: minutes })).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] content/lessons/dns/index.mdx: the lesson frontmatter is not valid.
        • "minutes" is missing. It should be a whole number of minutes between 1 and 120.
        • "minuts" is not a known field. Did you mean "minutes"?
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/schemas/lesson.ts."
    `);
  });

  test('says what a wrongly typed field should be and shows what it got', () => {
    expect(messageOf({ ...valid, order: 'two', draft: 'yes' })).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] content/lessons/dns/index.mdx: the lesson frontmatter is not valid.
        • "order" is "two", but it should be a whole number ≥ 1 giving the position inside the module.
        • "draft" is "yes", but it should be true or false.
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/schemas/lesson.ts."
    `);
  });

  test('explains limits on lists and slugs', () => {
    expect(messageOf({ ...valid, objectives: ['Only one'], lab: 'DNS Resolver' })).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] content/lessons/dns/index.mdx: the lesson frontmatter is not valid.
        • "objectives" is ["Only one"]: Too small: expected array to have >=2 items. It should be a list of 2–7 sentences, each starting with a verb ("Explain …", "Trace …").
        • "lab" is "DNS Resolver": use lowercase letters, digits and single hyphens. It should be the folder name of a lab under labs/, e.g. "dns-resolver".
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/schemas/lesson.ts."
    `);
  });

  test('lists the known fields when an unknown one is not close to any', () => {
    expect(messageOf({ ...valid, colour: 'blue' })).toContain('"colour" is not a known field. Known fields: title, summary, module');
  });
});

describe('nearest', () => {
  test('suggests a field within a typo of the input and nothing for unrelated words', () => {
    expect(nearest('sumary', ['title', 'summary'])).toBe('summary');
    expect(nearest('Objective', ['objectives', 'order'])).toBe('objectives');
    expect(nearest('zebra', ['title', 'summary'])).toBeUndefined();
  });
});
