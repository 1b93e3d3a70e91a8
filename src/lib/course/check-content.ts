import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { hopError } from '../../errors/catalogue.ts';
import { CourseSchema, type Course } from '../../schemas/course.ts';
import { LessonSchema } from '../../schemas/lesson.ts';
import { parseWithFriendlyErrors } from '../../schemas/parse-with-friendly-errors.ts';
import { checkGlossary, type GlossaryEntry } from './check-glossary.ts';
import type { LessonRef } from './navigation.ts';

/**
 * Validates everything instructors write for the course before Astro starts building, so a
 * mistake fails `astro build`/`astro dev` with our message (file, field, fix) rather than a
 * generic schema dump later. Node-only: runs from the content-check integration and tests.
 */
export function checkContent(root: string): { course: Course; lessons: LessonRef[]; glossary: GlossaryEntry[] } {
  const course = readCourse(root);
  const lessonsDir = join(root, 'content/lessons');
  const slugs = existsSync(lessonsDir)
    ? readdirSync(lessonsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(lessonsDir, d.name, 'index.mdx')))
        .map((d) => d.name)
        .sort()
    : [];
  const lessons = slugs.map((slug) => {
    const file = join(lessonsDir, slug, 'index.mdx');
    const rel = relative(root, file);
    const data = parseWithFriendlyErrors(LessonSchema, readFrontmatter(file, rel), {
      file: rel,
      kind: 'lesson frontmatter',
      docs: 'src/schemas/lesson.ts',
    });
    return { slug, data, file: rel };
  });

  const known = course.modules.map((m) => m.number);
  const labs = listLabs(root);
  const seen = new Map<string, string>();
  for (const l of lessons) {
    if (!known.includes(l.data.module)) throw hopError('UnknownModule', { file: l.file, module: l.data.module, known });
    if (l.data.lab && !labs.includes(l.data.lab)) throw hopError('UnknownLab', { file: l.file, lab: l.data.lab, known: labs });
    if (l.data.draft) continue;
    const key = `${l.data.module}/${l.data.order}`;
    const other = seen.get(key);
    if (other) throw hopError('DuplicateLessonOrder', { files: [other, l.file], module: l.data.module, order: l.data.order });
    seen.set(key, l.file);
  }
  for (const lab of labs) checkLabLesson(root, lab, slugs);
  const glossary = checkGlossary(root, lessons.map((l) => ({ slug: l.slug, draft: l.data.draft, file: l.file })), labs);
  return { course, lessons: lessons.map(({ slug, data }) => ({ slug, data })), glossary };
}

/**
 * A lab's `lesson` must name a lesson: the lab page links to it and the lesson page lists the lab.
 * Only that field is read here; the rest of lab.json is checked with its schema when the lab loads.
 */
function checkLabLesson(root: string, lab: string, lessons: string[]): void {
  const file = `labs/${lab}/lab.json`;
  let lesson: unknown;
  try {
    lesson = (JSON.parse(readFileSync(join(root, file), 'utf8')) as { lesson?: unknown }).lesson;
  } catch {
    return; // unreadable JSON is reported with the file and the fix when the lab loads
  }
  if (typeof lesson === 'string' && !lessons.includes(lesson)) throw hopError('UnknownLessonInLab', { file, lesson, known: lessons });
}

function readCourse(root: string): Course {
  const rel = 'content/course.json';
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(root, rel), 'utf8'));
  } catch (err) {
    throw hopError('UnreadableAuthoredFile', { file: rel, kind: 'course file', reason: (err as Error).message });
  }
  return parseWithFriendlyErrors(CourseSchema, raw, { file: rel, kind: 'course file', docs: 'src/schemas/course.ts' });
}

/** The YAML between the opening and closing `---` lines; a missing or broken block is an error. */
export function readFrontmatter(file: string, rel: string): unknown {
  const text = readFileSync(file, 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match) {
    throw hopError('UnreadableAuthoredFile', { file: rel, kind: 'lesson', reason: 'it does not start with a --- frontmatter block' });
  }
  try {
    return yaml.load(match[1]!) ?? {};
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? 'invalid YAML';
    throw hopError('UnreadableAuthoredFile', { file: rel, kind: 'lesson frontmatter', reason });
  }
}

function listLabs(root: string): string[] {
  const dir = join(root, 'labs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'lab.json')))
    .map((d) => d.name)
    .sort();
}
