import { z } from 'astro/zod';

/**
 * Props of <KnowledgeCheck>. Every option carries its own explanation because a learner who picks
 * a wrong answer learns most from being told why *that* answer is wrong, not just what is right.
 */
export const OptionSchema = z.strictObject({
  text: z.string().min(1).describe('the answer as the learner sees it, e.g. "Port 53"'),
  correct: z.boolean().default(false).describe('true on exactly one option of the question, otherwise leave it out'),
  explain: z
    .string()
    .min(10)
    .describe('a sentence (at least 10 characters) saying why this option is right or wrong'),
});

export const QuestionSchema = z
  .strictObject({
    prompt: z.string().min(5).describe('the question, e.g. "Which port does DNS use?"'),
    options: z
      .array(OptionSchema)
      .min(2)
      .max(6)
      .describe('a list of 2–6 options like { text, correct?, explain }'),
  })
  .superRefine((question, ctx) => {
    const correct = question.options.filter((o) => o.correct).length;
    if (correct !== 1) {
      // Reported on the question, not its options, so the error quotes the prompt first.
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `exactly one option needs correct: true, and this question has ${correct}`,
      });
    }
  });

export const KnowledgeCheckSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
    .describe('a kebab-case id unique on the page, e.g. "dns-check"; progress tracking keys on it'),
  /** Usually the lesson's own "## Check your understanding" heading is enough, so this is optional. */
  title: z.string().min(3).optional().describe('a short heading shown above the questions'),
  questions: z
    .array(QuestionSchema)
    .min(1)
    .max(10)
    .describe('a list of 1–10 questions like { prompt, options }'),
  /** Only needed where the page URL does not name the lesson (e.g. a preview page). */
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "dns"'),
});

export type KnowledgeCheckProps = z.input<typeof KnowledgeCheckSchema>;
export type KnowledgeCheckData = z.output<typeof KnowledgeCheckSchema>;

/** The detail of the `hop:check-answered` event the check dispatches on `document`. */
export type CheckAnsweredDetail = {
  /** The check's `id` prop. */
  id: string;
  /** 1-based question number, the same as the question's `data-question` attribute. */
  question: number;
  /** 0-based index of the chosen option. */
  option: number;
  correct: boolean;
};
