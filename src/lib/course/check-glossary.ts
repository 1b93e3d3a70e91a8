import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { hopError } from '../../errors/catalogue.ts';
import { GlossarySchema, type GlossaryTerm } from '../../schemas/glossary.ts';
import { nearest, parseWithFriendlyErrors } from '../../schemas/parse-with-friendly-errors.ts';
import { lessonHeadings } from './lesson-headings.ts';

export const GLOSSARY_FILE = 'content/glossary.yaml';

/** A glossary term with its id (its key in the file, and its anchor on /glossary/). */
export type GlossaryEntry = GlossaryTerm & { id: string };

/**
 * Reads content/glossary.yaml and checks that every link it makes will work on the built site:
 * each "taught" place names a published lesson and one of that lesson's heading ids, each lab
 * exists, each seeAlso names another term, and no name belongs to two terms. A course without the
 * file has an empty glossary. `lessons` are the lessons checkContent found, drafts included.
 */
export function checkGlossary(
  root: string,
  lessons: { slug: string; draft: boolean; file: string }[],
  labs: string[],
): GlossaryEntry[] {
  const file = GLOSSARY_FILE;
  if (!existsSync(join(root, file))) return [];
  const glossary = parseWithFriendlyErrors(GlossarySchema, readGlossary(root), {
    file,
    kind: 'glossary',
    docs: 'src/schemas/glossary.ts',
  });
  const entries = Object.entries(glossary).map(([id, term]) => ({ id, ...term }));

  const owners = new Map<string, string>();
  for (const e of entries) {
    for (const name of new Set([e.term, ...(e.aliases ?? [])].map((n) => n.toLowerCase()))) {
      const other = owners.get(name);
      if (other) throw hopError('DuplicateGlossaryTerm', { file, name, ids: [other, e.id] });
      owners.set(name, e.id);
    }
  }

  const published = lessons.filter((l) => !l.draft);
  const headingIds = new Map<string, string[]>();
  const idsOf = (slug: string): string[] => {
    let ids = headingIds.get(slug);
    if (!ids) {
      const lesson = published.find((l) => l.slug === slug)!;
      ids = lessonHeadings(readFileSync(join(root, lesson.file), 'utf8')).map((h) => h.id);
      headingIds.set(slug, ids);
    }
    return ids;
  };
  const slugs = published.map((l) => l.slug);
  const termIds = entries.map((e) => e.id);

  for (const e of entries) {
    e.taught.forEach(({ lesson, anchor }, i) => {
      const field = (key: string) => `"${e.id}.taught[${i}].${key}"`;
      if (!slugs.includes(lesson)) {
        throw hopError('UnknownGlossaryLesson', { file, field: field('lesson'), lesson, known: slugs, near: nearest(lesson, slugs) });
      }
      const ids = idsOf(lesson);
      if (!ids.includes(anchor)) {
        throw hopError('UnknownGlossaryAnchor', { file, field: field('anchor'), anchor, lesson, known: ids, near: nearest(anchor, ids) });
      }
    });
    if (e.lab && !labs.includes(e.lab)) throw hopError('UnknownLab', { file: `${file} (term "${e.id}")`, lab: e.lab, known: labs });
    e.seeAlso?.forEach((ref, i) => {
      if (ref === e.id) throw hopError('UnknownGlossarySeeAlso', { file, field: `"${e.id}.seeAlso[${i}]"`, ref, self: true });
      if (termIds.includes(ref)) return;
      const near = nearest(ref, termIds.filter((id) => id !== e.id));
      throw hopError('UnknownGlossarySeeAlso', { file, field: `"${e.id}.seeAlso[${i}]"`, ref, self: false, near });
    });
  }
  return entries;
}

function readGlossary(root: string): unknown {
  const text = readFileSync(join(root, GLOSSARY_FILE), 'utf8');
  try {
    return yaml.load(text) ?? {};
  } catch (err) {
    const { reason, mark } = err as yaml.YAMLException;
    // YAML itself refuses a repeated key. At the top level the key is a term's id: name it, since
    // that is what the author must change (a repeated field inside one term reads fine as it is).
    const line = mark ? (text.split(/\r?\n/)[mark.line] ?? '') : '';
    if (reason === 'duplicated mapping key' && /^[^\s#]/.test(line)) {
      const id = line.split(':')[0]!.trim();
      throw hopError('DuplicateGlossaryId', { file: GLOSSARY_FILE, id, line: mark.line + 1 });
    }
    const first = (err as Error).message.split('\n')[0] ?? 'invalid YAML';
    throw hopError('UnreadableAuthoredFile', { file: GLOSSARY_FILE, kind: 'glossary', reason: first });
  }
}
