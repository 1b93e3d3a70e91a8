import { z } from 'astro/zod';

/** Props of <Callout>. The body is the slot, so only the frame is validated here. */
export const CalloutSchema = z.strictObject({
  type: z
    .enum(['note', 'tip', 'warning', 'correction'])
    .default('note')
    .describe('one of "note", "tip", "warning", "correction"'),
  title: z.string().min(1).optional().describe('a short heading; leave it out to use the type\'s default'),
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "dns"'),
});

export type CalloutProps = z.input<typeof CalloutSchema>;

/**
 * Default headings. "correction" exists because the course's source notes repeat some popular
 * half-truths; a correction names the claim and then says what is actually so.
 */
export const calloutDefaults = {
  note: 'Note',
  tip: 'Tip',
  warning: 'Watch out',
  correction: 'A common claim, corrected',
} as const;
