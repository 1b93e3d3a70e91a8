import { describe, expect, test } from 'vitest';
import { KnowledgeCheckSchema } from '../../../src/components/lesson/knowledge-check-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';

// What an author sees when a <KnowledgeCheck> in a lesson is wrong. The page URL stands in for
// Astro.url.pathname, exactly as the component passes it.
const check = (props: unknown, pathname = '/lessons/dns/') =>
  validateProps(KnowledgeCheckSchema, props, {
    component: 'KnowledgeCheck',
    docs: 'src/components/lesson/knowledge-check-schema.ts',
    pathname,
    label: 'id="dns-check"',
  });

const option = (text: string, correct?: boolean) => ({ text, explain: `Because ${text} is how it works.`, ...(correct ? { correct } : {}) });
const question = (prompt: string, ...options: ReturnType<typeof option>[]) => ({ prompt, options });

describe('KnowledgeCheckSchema', () => {
  test('accepts a valid check and defaults unmarked options to incorrect', () => {
    const data = check({ id: 'dns-check', questions: [question('Which port?', option('53', true), option('80'))] });
    expect(data.questions[0]!.options.map((o) => o.correct)).toEqual([true, false]);
    expect(data.title).toBeUndefined();
  });

  test('rejects a question without a correct option, naming the lesson file and the question', () => {
    expect(() => check({ id: 'dns-check', questions: [question('Which port?', option('53'), option('80'))] }))
      .toThrowErrorMatchingInlineSnapshot(`
        [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="dns-check"> is not valid.
          • "questions[0]" is {"prompt":"Which port?","options":[{"text":"53","explain"...: exactly one option needs correct: true, and this question has 0.
        Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
      `);
  });

  test('rejects a question with two correct options', () => {
    expect(() =>
      check({ id: 'dns-check', questions: [question('Ok?', option('yes')), question('Which port?', option('53', true), option('853', true))] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="dns-check"> is not valid.
        • "questions[0].prompt" is "Ok?": Too small: expected string to have >=5 characters. It should be the question, e.g. "Which port does DNS use?".
        • "questions[0].options" is [{"text":"yes","explain":"Because yes is how it works."}]: Too small: expected array to have >=2 items. It should be a list of 2–6 options like { text, correct?, explain }.
        • "questions[0]" is {"prompt":"Ok?","options":[{"text":"yes","explain":"Becau...: exactly one option needs correct: true, and this question has 0.
        • "questions[1]" is {"prompt":"Which port?","options":[{"text":"53","explain"...: exactly one option needs correct: true, and this question has 2.
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
    `);
  });

  test('rejects an option without an explanation and says what one should be', () => {
    expect(() =>
      check({ id: 'dns-check', questions: [{ prompt: 'Which port?', options: [{ text: '53', correct: true }, option('80')] }] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="dns-check"> is not valid.
        • "questions[0].options[0].explain" is missing. It should be a sentence (at least 10 characters) saying why this option is right or wrong.
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
    `);
  });

  test('suggests the real prop name for a misspelt one', () => {
    expect(() =>
      check({ id: 'dns-check', questions: [{ prompt: 'Which port?', options: [{ ...option('53'), corect: true }, option('80')] }] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="dns-check"> is not valid.
        • "questions[0].options[0].corect" is not a known field. Did you mean "correct"?
        • "questions[0]" is {"prompt":"Which port?","options":[{"text":"53","explain"...: exactly one option needs correct: true, and this question has 0.
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
    `);
  });

  test('rejects an id that is not kebab-case', () => {
    expect(() => check({ id: 'DNS Check', questions: [question('Which port?', option('53', true), option('80'))] }))
      .toThrowErrorMatchingInlineSnapshot(`
        [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="dns-check"> is not valid.
          • "id" is "DNS Check": use lowercase letters, digits and single hyphens. It should be a kebab-case id unique on the page, e.g. "dns-check"; progress tracking keys on it.
        Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
      `);
  });

  test('names the page instead of a lesson file when the URL is not a lesson', () => {
    expect(() => check({ id: 'dns-check', questions: [] }, '/preview/')).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] the page /preview/: the use of <KnowledgeCheck id="dns-check"> is not valid.
        • "questions" is []: Too small: expected array to have >=1 items. It should be a list of 1–10 questions like { prompt, options }.
      Fix: Edit the page /preview/ and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
    `);
  });
});
