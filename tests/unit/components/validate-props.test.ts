import { describe, expect, test } from 'vitest';
import { CalloutSchema } from '../../../src/components/lesson/callout-schema.ts';
import { inlineCode, lessonFile, validateProps } from '../../../src/components/lesson/validate-props.ts';

describe('lessonFile', () => {
  test('maps a lesson URL to its MDX file', () => {
    expect(lessonFile({ pathname: '/lessons/dns/' })).toBe('content/lessons/dns/index.mdx');
    expect(lessonFile({ pathname: '/lessons/dns/index.html' })).toBe('content/lessons/dns/index.mdx');
  });

  test('prefers an explicit lesson slug or path over the URL', () => {
    expect(lessonFile({ pathname: '/preview/', lesson: 'tls' })).toBe('content/lessons/tls/index.mdx');
    expect(lessonFile({ lesson: 'content/drafts/x.mdx' })).toBe('content/drafts/x.mdx');
  });

  test('falls back to the page path for pages that are not lessons', () => {
    expect(lessonFile({ pathname: '/labs/dns-resolver/' })).toBe('the page /labs/dns-resolver/');
    expect(lessonFile({})).toBe('an unknown page');
  });
});

describe('Callout props', () => {
  const callout = (props: unknown) =>
    validateProps(CalloutSchema, props, {
      component: 'Callout',
      docs: 'src/components/lesson/callout-schema.ts',
      pathname: '/lessons/what-happens-when-you-type-a-url/',
    });

  test('defaults the type to note', () => {
    expect(callout({})).toEqual({ type: 'note' });
  });

  test('rejects an unknown type and lists the allowed ones', () => {
    expect(() => callout({ type: 'info', title: 'Heads up' })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/what-happens-when-you-type-a-url/index.mdx: the use of <Callout> is not valid.
        • "type" is "info"; it must be one of "note", "tip", "warning", "correction".
      Fix: Edit content/lessons/what-happens-when-you-type-a-url/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/callout-schema.ts.]
    `);
  });

  test('rejects a misspelt title with a suggestion', () => {
    expect(() => callout({ type: 'tip', titel: 'Heads up' })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/what-happens-when-you-type-a-url/index.mdx: the use of <Callout> is not valid.
        • "titel" is not a known field. Did you mean "title"?
      Fix: Edit content/lessons/what-happens-when-you-type-a-url/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/callout-schema.ts.]
    `);
  });
});

describe('inlineCode', () => {
  test('splits backtick-quoted code from text', () => {
    expect(inlineCode('Run `dig +trace` first')).toEqual([
      { code: false, text: 'Run ' },
      { code: true, text: 'dig +trace' },
      { code: false, text: ' first' },
    ]);
  });

  test('keeps an unmatched backtick as plain text', () => {
    expect(inlineCode('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
  });
});
