import type { z } from 'astro/zod';
import { parseWithFriendlyErrors } from '../../schemas/parse-with-friendly-errors.ts';

/**
 * Where a component is being used. Authors write components straight into MDX, so a bad prop
 * must fail the build with the lesson file's name — not the component's, which they never opened.
 */
export type PropsSite = {
  /** The component as an author writes it, e.g. "KnowledgeCheck". */
  component: string;
  /** The schema file that documents every prop, shown in the "Fix:" line. */
  docs: string;
  /** `Astro.url.pathname` of the page rendering the component. */
  pathname?: string;
  /** An explicit lesson slug or file, for pages whose URL does not say which lesson it is. */
  lesson?: unknown;
  /** A short tag that tells two uses apart in one file, e.g. the check's id. */
  label?: string;
};

/** "/lessons/dns/" → "content/lessons/dns/index.mdx"; anything else is shown as "the page /x/". */
export function lessonFile(site: Pick<PropsSite, 'pathname' | 'lesson'>): string {
  if (typeof site.lesson === 'string' && site.lesson.length > 0) {
    return site.lesson.includes('/') ? site.lesson : `content/lessons/${site.lesson}/index.mdx`;
  }
  const match = /^\/lessons\/([a-z0-9-]+)\/?(?:index\.html)?$/.exec(site.pathname ?? '');
  if (match) return `content/lessons/${match[1]}/index.mdx`;
  return site.pathname ? `the page ${site.pathname}` : 'an unknown page';
}

/** Parses a component's props, throwing the catalogue's InvalidAuthoredFile error if they are wrong. */
export function validateProps<S extends z.ZodType>(schema: S, props: unknown, site: PropsSite): z.output<S> {
  const tag = site.label ? `<${site.component} ${site.label}>` : `<${site.component}>`;
  return parseWithFriendlyErrors(schema, props, {
    file: lessonFile(site),
    kind: `use of ${tag}`,
    docs: site.docs,
  });
}

/**
 * Splits text on backticks so props written as plain strings can still show `code`.
 * Odd-numbered pieces are code. An unmatched backtick is kept as a literal character.
 */
export function inlineCode(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [{ code: false, text }];
  return parts.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((p) => p.text !== '');
}
