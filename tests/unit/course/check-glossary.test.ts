import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkContent } from '../../../src/lib/course/check-content.ts';
import { errorOf } from './error-of.ts';

// The glossary's links are checked with the rest of the content, before Astro builds anything:
// every message names the file, the field and the fix, and is pinned here word for word.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hop-glossary-'));
  mkdirSync(join(root, 'content/lessons'), { recursive: true });
  writeFileSync(join(root, 'content/course.json'), readFileSync('content/course.json'));
  addLesson('dns', 1, '## Caching and TTL\n\nA TTL.\n\n### Negative caching\n\nNXDOMAIN.\n');
  addLesson('nat', 2, '## How one address is shared\n\nNAT.\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function addLesson(slug: string, order: number, body: string, extra = ''): void {
  mkdirSync(join(root, 'content/lessons', slug), { recursive: true });
  const frontmatter = `title: Lesson ${slug}\nsummary: A summary that is long enough to pass the schema check.\nmodule: 1\norder: ${order}\nobjectives: [Explain one thing, Explain another thing]\nminutes: 10\n${extra}`;
  writeFileSync(join(root, 'content/lessons', slug, 'index.mdx'), `---\n${frontmatter}\n---\n\n${body}`);
}

const ttl = `ttl:
  term: TTL (DNS)
  expansion: time to live
  definition: How long a resolver may keep a record in its cache, in seconds.
  taught:
    - { lesson: dns, anchor: caching-and-ttl }
`;
const nat = `nat:
  term: NAT
  aliases: [NAPT]
  definition: Rewriting addresses and ports so many private hosts share one public address.
  taught:
    - { lesson: nat, anchor: how-one-address-is-shared }
  seeAlso: [ttl]
`;

function glossary(yaml: string): void {
  writeFileSync(join(root, 'content/glossary.yaml'), yaml);
}


describe('checkContent on the glossary', () => {
  test('returns every term with its id when every link resolves', () => {
    glossary(ttl + nat);
    const { glossary: terms } = checkContent(root);
    expect(terms.map((t) => [t.id, t.term, t.taught[0]!.anchor])).toEqual([
      ['ttl', 'TTL (DNS)', 'caching-and-ttl'],
      ['nat', 'NAT', 'how-one-address-is-shared'],
    ]);
  });

  test('gives a course without content/glossary.yaml an empty glossary', () => {
    expect(checkContent(root).glossary).toEqual([]);
  });

  test('names a lesson that does not exist, suggesting the nearest slug', () => {
    glossary(ttl.replace('lesson: dns', 'lesson: dsn'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownGlossaryLesson] content/glossary.yaml: "ttl.taught[0].lesson" is "dsn", but no published lesson has that slug, so the term's "Taught in" link would lead nowhere.
      Fix: Did you mean "dns"? Use the folder name of a lesson under content/lessons/ (dns, nat). Drafts do not count: they are not on the built site."
    `);
  });

  test('treats a draft lesson as missing, because it is not on the built site', () => {
    addLesson('draft-lesson', 3, '## Caching and TTL\n', 'draft: true');
    glossary(ttl.replace('lesson: dns', 'lesson: draft-lesson'));
    expect(errorOf(() => checkContent(root))).toContain('"ttl.taught[0].lesson" is "draft-lesson", but no published lesson has that slug');
  });

  test('names a heading id the lesson does not have, and lists the ones it has', () => {
    glossary(ttl.replace('anchor: caching-and-ttl', 'anchor: caching-and-ttls'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownGlossaryAnchor] content/glossary.yaml: "ttl.taught[0].anchor" is "caching-and-ttls", but content/lessons/dns/index.mdx has no heading with that id, so the link would land at the top of the lesson.
      Fix: Did you mean "caching-and-ttl"? Use the id of one of its headings: caching-and-ttl, negative-caching. A heading's id is its text in lowercase, with spaces as hyphens and punctuation left out ("## Caching and TTL" is caching-and-ttl)."
    `);
  });

  test('checks every place a term is taught, not only the first', () => {
    glossary(ttl.replace('anchor: caching-and-ttl }', 'anchor: caching-and-ttl }\n    - { lesson: nat, anchor: negative-caching }'));
    expect(errorOf(() => checkContent(root))).toContain('"ttl.taught[1].anchor" is "negative-caching", but content/lessons/nat/index.mdx has no heading');
  });

  test('names an id used for two terms and the line of the second', () => {
    glossary(ttl + nat + nat.replace('term: NAT', 'term: NAT gateway').replace('[NAPT]', '[NAT gateways]'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[DuplicateGlossaryId] content/glossary.yaml:14 uses the id "nat" for a second term; ids are the keys of the file, so each may appear once.
      Fix: Give this term an id of its own, or merge the two entries into one. Keep the id that is already published: pages link to /glossary/#nat."
    `);
  });

  test('names a term or alias that two entries share', () => {
    glossary(ttl + nat + `napt:\n  term: napt\n  definition: Network address and port translation, the usual kind of NAT.\n  taught:\n    - { lesson: nat, anchor: how-one-address-is-shared }\n`);
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[DuplicateGlossaryTerm] content/glossary.yaml: the name "napt" belongs to two terms, "nat" and "napt" (as a "term" or one of its "aliases"), so a learner looking it up would find both.
      Fix: Merge them into one entry and list the other names under "aliases", or tell them apart in the name, e.g. "TTL (DNS)" and "TTL (IP)"."
    `);
  });

  test('names a seeAlso that is no term, suggesting the nearest id', () => {
    glossary(ttl + nat.replace('seeAlso: [ttl]', 'seeAlso: [tll]'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownGlossarySeeAlso] content/glossary.yaml: "nat.seeAlso[0]" is "tll", but no term has that id, so the link would lead nowhere.
      Fix: Did you mean "ttl"? Use the id of another term (the key before its colon in content/glossary.yaml), or remove the entry from seeAlso."
    `);
  });

  test('refuses a seeAlso that points at the term itself', () => {
    glossary(ttl + nat.replace('seeAlso: [ttl]', 'seeAlso: [ttl, nat]'));
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownGlossarySeeAlso] content/glossary.yaml: "nat.seeAlso[1]" is "nat", the term itself, so the link would point back at the same entry.
      Fix: Use the id of another term (the key before its colon in content/glossary.yaml), or remove the entry from seeAlso."
    `);
  });

  test('names a lab that does not exist', () => {
    glossary(ttl + '  lab: dns-resolvr\n');
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[UnknownLab] content/glossary.yaml (term "ttl") links to the lab "dns-resolvr", but there is no labs/dns-resolvr/lab.json.
      Fix: Use one of the existing labs (none yet) or remove the "lab" field."
    `);
  });

  test('explains misspelt and missing fields in words, with what each should be', () => {
    glossary(`Round Trip:\n  term: RTT\n  definiton: The time a packet takes there and back again.\n  taught:\n    - { lesson: dns, anchor: "#caching-and-ttl" }\n`);
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] content/glossary.yaml: the glossary is not valid.
        • "Round Trip" is not a valid key: use lowercase letters, digits and single hyphens. It should be an id of lowercase letters, digits and single hyphens, e.g. "round-trip-time".
      Fix: Edit content/glossary.yaml and correct the field(s) above. Each field is explained in src/schemas/glossary.ts."
    `);
    glossary(`round-trip:\n  term: RTT\n  definiton: The time a packet takes there and back again.\n  taught:\n    - { lesson: dns, anchor: "#caching-and-ttl" }\n`);
    expect(errorOf(() => checkContent(root))).toMatchInlineSnapshot(`
      "[InvalidAuthoredFile] content/glossary.yaml: the glossary is not valid.
        • "round-trip.definition" is missing. It should be one to three sentences (40–480 characters) in your own words.
        • "round-trip.taught[0].anchor" is "#caching-and-ttl": write the heading id without "#" and without spaces. It should be the id of a heading in that lesson, e.g. "caching-and-ttl" for "## Caching and TTL".
        • "round-trip.definiton" is not a known field. Did you mean "definition"?
      Fix: Edit content/glossary.yaml and correct the field(s) above. Each field is explained in src/schemas/glossary.ts."
    `);
  });

  test('reports broken YAML with the file and the parser reason', () => {
    glossary('ttl:\n  term: [unclosed\n');
    expect(errorOf(() => checkContent(root))).toMatch(/^\[UnreadableAuthoredFile\] content\/glossary\.yaml could not be read as a glossary: /);
  });
});
