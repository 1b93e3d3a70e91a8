import { describe, expect, test } from 'vitest';
import { lessonHeadings, sectionText } from '../../../src/lib/course/lesson-headings.ts';

const lesson = `---
title: A lesson
## a YAML comment, not a heading
---

## Why this matters

Intro.

## The TLS 1.2 handshake with ECDHE

### Docker's \`-p\` is port forwarding

\`\`\`sh
# Layer 4: a shell comment, not a heading
curl -v https://example.com/
\`\`\`

### Closing: the four-way teardown and TIME_WAIT

Text with **bold** and [a link](/lessons/dns/).

## In practice

### Watch every stage with curl -v

### Curl

## Summary

### Curl
`;

describe('lessonHeadings', () => {
  test('gives each heading the id Astro gives it: lowercase, spaces as hyphens, punctuation dropped', () => {
    expect(lessonHeadings(lesson).map((h) => [h.depth, h.id])).toEqual([
      [2, 'why-this-matters'],
      [2, 'the-tls-12-handshake-with-ecdhe'],
      [3, 'dockers--p-is-port-forwarding'],
      [3, 'closing-the-four-way-teardown-and-time_wait'],
      [2, 'in-practice'],
      [3, 'watch-every-stage-with-curl--v'],
      [3, 'curl'],
      [2, 'summary'],
      [3, 'curl-1'],
    ]);
  });

  test('keeps the text of inline code and drops the markup', () => {
    expect(lessonHeadings(lesson)[2]!.text).toBe("Docker's -p is port forwarding");
  });

  test('ignores # lines inside fenced code and inside the frontmatter', () => {
    expect(lessonHeadings(lesson).map((h) => h.text)).not.toContain('Layer 4: a shell comment, not a heading');
    expect(lessonHeadings(lesson).some((h) => h.text.includes('YAML comment'))).toBe(false);
  });
});

describe('sectionText', () => {
  test('runs from the heading to the next heading of the same level, subsections included', () => {
    const text = sectionText(lesson, 'the-tls-12-handshake-with-ecdhe')!;
    expect(text.startsWith('## The TLS 1.2 handshake with ECDHE')).toBe(true);
    expect(text).toContain('Text with **bold**');
    expect(text).not.toContain('## In practice');
  });

  test('ends a subsection at the next heading of its own level', () => {
    expect(sectionText(lesson, 'dockers--p-is-port-forwarding')).not.toContain('Text with');
  });

  test('is undefined for an id the lesson does not have', () => {
    expect(sectionText(lesson, 'no-such-heading')).toBeUndefined();
  });
});
