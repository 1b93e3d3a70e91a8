import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// Renders the real components through Astro's container API and checks the markup contract
// that the no-JS behaviour, the e2e tests and the progress feature depend on.
const dir = '/src/components/lesson';
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

const check = {
  id: 'ports',
  questions: [
    {
      prompt: 'Which port does `dig` query by default?',
      options: [
        { text: '53', correct: true, explain: 'DNS servers listen on port 53.' },
        { text: '853', explain: 'That is DNS over TLS, which dig only uses with +tls.' },
      ],
    },
    {
      prompt: 'Which transport carries large answers?',
      options: [
        { text: 'UDP', explain: 'Large answers are truncated over UDP.' },
        { text: 'TCP', correct: true, explain: 'The client retries over TCP after TC.' },
      ],
    },
  ],
};

describe('KnowledgeCheck', () => {
  test('renders a root, one fieldset per question and a label for every radio', async () => {
    const html = await r.render(`${dir}/KnowledgeCheck.astro`, check);
    expect(html).toMatch(/<section[^>]*data-knowledge-check="ports"/);
    expect(html.match(/data-question="\d"/g)).toEqual(['data-question="1"', 'data-question="2"']);
    const ids = [...html.matchAll(/<input type="radio" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['kc-ports-q1-o1', 'kc-ports-q1-o2', 'kc-ports-q2-o1', 'kc-ports-q2-o2']);
    for (const id of ids) expect(html).toContain(`<label for="${id}"`);
  });

  test('groups each question’s radios under one name so arrow keys move within a question', async () => {
    const html = await r.render(`${dir}/KnowledgeCheck.astro`, check);
    const names = [...html.matchAll(/<input type="radio"[^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['kc-ports-q1', 'kc-ports-q1', 'kc-ports-q2', 'kc-ports-q2']);
  });

  test('puts each option’s feedback right after its label, saying Correct or Not quite', async () => {
    const html = await r.render(`${dir}/KnowledgeCheck.astro`, check);
    const feedback = [...html.matchAll(/<p class="feedback[^"]*"[^>]*data-feedback[^>]*>([\s\S]*?)<\/p>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim(),
    );
    expect(feedback).toEqual([
      'Correct. DNS servers listen on port 53.',
      'Not quite. That is DNS over TLS, which dig only uses with +tls.',
      'Not quite. Large answers are truncated over UDP.',
      'Correct. The client retries over TCP after TC.',
    ]);
    expect(html).toMatch(/<\/label>\s*<p class="feedback/);
  });

  test('renders backticks in a prompt as code and includes an aria-live region', async () => {
    const html = await r.render(`${dir}/KnowledgeCheck.astro`, check);
    expect(html).toMatch(/<code[^>]*>dig<\/code>/);
    expect(html).toMatch(/aria-live="polite"[^>]*data-live/);
  });

  test('fails the render naming the lesson from the page URL when a question has two correct options', async () => {
    const bad = structuredClone(check);
    bad.questions[1]!.options[0]!.correct = true;
    await expect(r.render(`${dir}/KnowledgeCheck.astro`, bad, { path: '/lessons/dns/' })).rejects
      .toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/dns/index.mdx: the use of <KnowledgeCheck id="ports"> is not valid.
        • "questions[1]" is {"prompt":"Which transport carries large answers?","optio...: exactly one option needs correct: true, and this question has 2.
      Fix: Edit content/lessons/dns/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/knowledge-check-schema.ts.]
    `);
  });
});

describe('Callout', () => {
  test('writes the kind out as text, not only as colour', async () => {
    const html = await r.render(`${dir}/Callout.astro`, { type: 'correction', title: 'Not 13 servers' }, { slot: 'Body' });
    expect(html).toMatch(/data-callout="correction"/);
    expect(html.replace(/<[^>]+>/g, '')).toContain('Correction:Not 13 servers');
    expect(html).toContain('Body');
  });

  test('fails the render naming the lesson and the allowed types', async () => {
    await expect(r.render(`${dir}/Callout.astro`, { type: 'danger' }, { path: '/lessons/tls/' })).rejects
      .toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/tls/index.mdx: the use of <Callout> is not valid.
        • "type" is "danger"; it must be one of "note", "tip", "warning", "correction".
      Fix: Edit content/lessons/tls/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/callout-schema.ts.]
    `);
  });
});

describe('SequenceDiagram', () => {
  test('renders an SVG image with a title, a description of every step and a text list', async () => {
    const html = await r.render(`${dir}/SequenceDiagram.astro`, {
      title: 'TCP handshake',
      actors: [{ id: 'c', label: 'Client' }, { id: 's', label: 'Server' }],
      messages: [
        { from: 'c', to: 's', label: 'SYN' },
        { from: 's', to: 'c', label: 'SYN-ACK', kind: 'response' },
      ],
    });
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="seq-tcp-handshake-title"[^>]*aria-describedby="seq-tcp-handshake-desc"/);
    expect(html).toMatch(/<title id="seq-tcp-handshake-title">TCP handshake<\/title>/);
    expect(html).toMatch(/<desc[^>]*>1\. Client → Server: SYN 2\. Server → Client: SYN-ACK<\/desc>/);
    expect(html).toMatch(/<li[^>]*>Client → Server: SYN<\/li>/);
  });

  test('draws a self-arrow on the rightmost actor to the left, with its text anchored at the end', async () => {
    const html = await r.render(`${dir}/SequenceDiagram.astro`, {
      title: 'Server thinks',
      actors: [{ id: 'c', label: 'Client' }, { id: 's', label: 'Server' }],
      messages: [
        { from: 'c', to: 's', label: 'GET /' },
        { from: 's', to: 's', label: 'render the page', note: 'templates, database, cache' },
      ],
    });
    const self = html.match(/<g class="msg request"[^>]*>(?:(?!<\/g>)[\s\S])*cache<\/text>/g)?.at(-1) ?? '';
    expect(self).toMatch(/<path d="M\S+ \S+ h-28 v16 h20"/);
    expect(self.match(/text-anchor="end"/g)).toHaveLength(2);
  });
});

describe('JourneyTimeline', () => {
  test('prints every step and the total without JavaScript, and hides the controls until the script runs', async () => {
    const html = await r.render(`${dir}/JourneyTimeline.astro`, {
      title: 'A request',
      rttMs: 40,
      steps: [
        { name: 'TCP', rtt: 1, warm: 0, detail: 'SYN, SYN-ACK, ACK.' },
        { name: 'HTTP', rtt: 1, detail: 'Request and response.' },
      ],
    });
    expect(html).toMatch(/data-controls hidden/);
    expect(html.match(/data-step/g)).toHaveLength(2);
    expect(html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')).toContain('First byte of the response after 2 round trips ≈ 80 ms at 40 ms');
  });
});

describe('mdxComponents', () => {
  test('registers every lesson component under its file name, and no helper files', async () => {
    const { mdxComponents } = await r.load('/src/components/mdx.ts');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('src/components/lesson').filter((f) => /^[A-Z].*\.astro$/.test(f)).map((f) => f.replace('.astro', ''));
    expect(files).toEqual(expect.arrayContaining(['Callout', 'JourneyTimeline', 'KnowledgeCheck', 'SequenceDiagram']));
    expect(Object.keys(mdxComponents as object).sort()).toEqual(files.sort());
  });
});
