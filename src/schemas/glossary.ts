import { z } from 'astro/zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/** Where a term is taught: a lesson and one of its headings. */
export const GlossaryPlaceSchema = z.strictObject({
  /** The lesson's folder name under content/lessons/, which is also its URL. */
  lesson: slug.describe('the folder name of a lesson under content/lessons/, e.g. "dns"'),
  /**
   * The id Astro gives one of the lesson's `##` or `###` headings: its text in lowercase, spaces
   * as hyphens, punctuation dropped. Checked against the lesson when the site builds.
   */
  anchor: z
    .string()
    .regex(/^[^#\s]+$/, 'write the heading id without "#" and without spaces')
    .describe('the id of a heading in that lesson, e.g. "caching-and-ttl" for "## Caching and TTL"'),
});

/**
 * One entry of `content/glossary.yaml`. The entry's key is its id: the anchor on the glossary page
 * (`/glossary/#<id>`) that other pages link to, so it must never change once published.
 */
export const GlossaryTermSchema = z.strictObject({
  /** The name as the lessons write it. Two terms that share a name add a qualifier: "TTL (DNS)". */
  term: z.string().min(1).max(60).describe('the term as the lessons write it, e.g. "Recursive resolver" or "NAT"'),
  /** What an abbreviation stands for; shown after the term and searched by the filter. */
  expansion: z
    .string()
    .min(3)
    .max(90)
    .optional()
    .describe('what the abbreviation stands for, e.g. "network address translation"'),
  /** Other names and spellings the lessons use for the same thing. Each may name only one term. */
  aliases: z
    .array(z.string().min(1).max(60))
    .min(1)
    .optional()
    .describe('a list of other names for the same thing, e.g. ["NAPT", "masquerading"]'),
  /** A short definition in the course's own words, checked for facts against the RFCs. */
  definition: z
    .string()
    .min(40)
    .max(480)
    .describe('one to three sentences (40–480 characters) in your own words'),
  /** Where the term is taught: the first place is the main one, further places are listed after it. */
  taught: z
    .array(GlossaryPlaceSchema)
    .min(1)
    .describe('a list of { "lesson", "anchor" } objects, the main place first'),
  /** A lab where the learner builds or uses the thing, if there is one. */
  lab: slug.optional().describe('the folder name of a lab under labs/, e.g. "dns-resolver"'),
  /** Ids of related terms, linked from this one on the glossary page. */
  seeAlso: z
    .array(slug.describe('the id of another term in content/glossary.yaml'))
    .min(1)
    .optional()
    .describe('a list of ids of other terms in content/glossary.yaml, e.g. ["nat", "cgnat"]'),
});

/** `content/glossary.yaml`: a map from each term's id to the term. */
export const GlossarySchema = z.record(
  slug.describe('an id of lowercase letters, digits and single hyphens, e.g. "round-trip-time"'),
  GlossaryTermSchema,
);

export type GlossaryPlace = z.infer<typeof GlossaryPlaceSchema>;
export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;
export type Glossary = z.infer<typeof GlossarySchema>;
