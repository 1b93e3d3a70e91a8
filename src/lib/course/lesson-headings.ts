import Slugger from 'github-slugger';

/** A heading of a lesson body, with the id Astro gives it on the page (`/lessons/<slug>/#<id>`). */
export type LessonHeading = { depth: number; text: string; id: string; line: number };

/**
 * The headings of an MDX lesson and their ids, computed from the source so the content check can
 * run before Astro builds anything. Astro's MDX processor gives every h1–h6 of the body an id with
 * one github-slugger per page, in document order, from the heading's text content; this does the
 * same with the same library, so a repeated heading gets `-1`, `-2` just as on the page. The
 * glossary's e2e test compares every id it links to with the built HTML, in case the two drift.
 */
export function lessonHeadings(mdx: string): LessonHeading[] {
  const slugger = new Slugger();
  return headingLines(mdx).map(({ depth, raw, line }) => {
    const text = plainText(raw);
    return { depth, text, id: slugger.slug(text), line };
  });
}

/**
 * The source of one section: the heading with `id` and everything up to the next heading of the
 * same or a higher level, subsections included. Undefined when the lesson has no such heading.
 */
export function sectionText(mdx: string, id: string): string | undefined {
  const headings = lessonHeadings(mdx);
  const at = headings.findIndex((h) => h.id === id);
  if (at === -1) return undefined;
  const start = headings[at]!;
  const end = headings.slice(at + 1).find((h) => h.depth <= start.depth);
  const lines = bodyLines(mdx);
  return lines.slice(start.line - 1, end ? end.line - 1 : lines.length).join('\n');
}

/** The body without its frontmatter; frontmatter lines are blanked so line numbers still match the file. */
function bodyLines(mdx: string): string[] {
  const lines = mdx.split(/\r?\n/);
  if (lines[0] === '---') {
    const close = lines.indexOf('---', 1);
    for (let i = 0; i <= close; i++) lines[i] = '';
  }
  return lines;
}

/** ATX headings (`## Title`) outside fenced code blocks, whose `#` lines are shell comments. */
function headingLines(mdx: string): { depth: number; raw: string; line: number }[] {
  const out: { depth: number; raw: string; line: number }[] = [];
  let fence: string | undefined;
  bodyLines(mdx).forEach((text, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    const heading = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(text);
    if (heading) out.push({ depth: heading[1]!.length, raw: heading[2]!, line: i + 1 });
  });
  return out;
}

/** A heading's text content as the page shows it: code, links and emphasis keep only their text. */
function plainText(markdown: string): string {
  return markdown
    .replace(/`+([^`]*?)`+/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}])/gu, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)
    .trim();
}
