import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_RESOURCES, HttpWaterfallSchema } from '../../../src/components/lesson/http-waterfall-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { barSegments, compareVersions, timeTicks } from '../../../src/components/lesson/waterfall-model.ts';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// The components of module 5 (the web's protocols): <HttpWaterfall>'s props and the markup it
// renders before any script runs. Its timing model has its own tests in waterfall-model.test.ts.
const dir = '/src/components/lesson';
const http = '/lessons/http-1-0-to-2/';
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

/** Visible text of some markup, with tags dropped and whitespace collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const waterfall = (props: unknown) =>
  validateProps(HttpWaterfallSchema, props, {
    component: 'HttpWaterfall',
    docs: 'src/components/lesson/http-waterfall-schema.ts',
    pathname: http,
  });

/** The markup of one version's panel. */
const panel = (html: string, version: string) => {
  const start = html.indexOf(`data-panel="${version}"`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
};

describe('HttpWaterfall props', () => {
  test('defaults to the built-in page of HTML and 12 assets at 50 ms over HTTPS, HTTP/1.1 first', () => {
    const props = waterfall({});
    expect(props).toMatchObject({
      title: 'One page over HTTP/1.0, HTTP/1.1 and HTTP/2',
      rttMs: 50,
      tls: true,
      slowOn: false,
      slowMs: 600,
      version: 'http1.1',
      versions: ['http1.0', 'http1.1', 'http1.1-pipelined', 'http2'],
    });
    expect(props.resources).toEqual(DEFAULT_RESOURCES);
    expect(props.resources).toHaveLength(13);
    expect(props.resources.filter((x) => x.slow).map((x) => x.name)).toEqual(['hero.jpg']);
  });

  test('gives a resource without serverMs 10 ms of server time', () => {
    expect(waterfall({ resources: [{ name: 'index.html' }, { name: 'a.js' }] }).resources).toEqual([
      { name: 'index.html', serverMs: 10 },
      { name: 'a.js', serverMs: 10 },
    ]);
  });

  test('rejects a round-trip time the slider cannot show, naming its range', () => {
    expect(() => waterfall({ rttMs: 45 })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/http-1-0-to-2/index.mdx: the use of <HttpWaterfall> is not valid.
        • "rttMs": Invalid number: must be a multiple of 10. It should be the round-trip time shown first, in milliseconds: 10 to 300 in steps of 10 (the slider’s range).
      Fix: Edit content/lessons/http-1-0-to-2/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/http-waterfall-schema.ts.]
    `);
    expect(() => waterfall({ rttMs: 500 })).toThrow(/"rttMs"/);
  });

  test('rejects marking the HTML document slow, and says why', () => {
    expect(() => waterfall({ resources: [{ name: 'index.html', slow: true }, { name: 'a.js' }] })).toThrow(
      /"resources\[0\]\.slow" is true: the first resource is the HTML document, and slowing it delays every version alike; mark an asset instead/,
    );
  });

  test('rejects more than one slow asset and repeated names', () => {
    const two = [{ name: 'index.html' }, { name: 'a.js', slow: true }, { name: 'b.js', slow: true }];
    expect(() => waterfall({ resources: two })).toThrow(/mark at most one resource slow: true, not 2/);
    const same = [{ name: 'index.html' }, { name: 'a.js' }, { name: 'a.js' }];
    expect(() => waterfall({ resources: same })).toThrow(/"resources\[2\]\.name" is "a\.js": "a\.js" is already used/);
  });

  test('rejects a first version that is not among the versions offered', () => {
    expect(() => waterfall({ versions: ['http1.0', 'http2'], version: 'http1.1' })).toThrow(
      /"version" is "http1\.1": "http1\.1" is not in versions; pick one of "http1\.0", "http2"/,
    );
  });

  test('rejects an unknown version and suggests the nearest real prop for a misspelt one', () => {
    expect(() => waterfall({ version: 'http3' })).toThrow(/"version" is "http3"; it must be one of "http1\.0", "http1\.1", "http1\.1-pipelined", "http2"/);
    expect(() => waterfall({ rtt: 50 })).toThrow(/"rtt" is not a known field\. Did you mean "rttMs"\?/);
  });
});

describe('HttpWaterfall render', () => {
  test('draws every version’s waterfall at build time, one row per resource, with none hidden', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, {}, { path: http });
    const panels = [...html.matchAll(/<section class="panel"[^>]*data-panel="([^"]+)"[^>]*>/g)];
    expect(panels.map((m) => m[1])).toEqual(['http1.0', 'http1.1', 'http1.1-pipelined', 'http2']);
    for (const m of panels) expect(m[0]).not.toMatch(/\shidden/);
    for (const v of ['http1.0', 'http1.1', 'http1.1-pipelined', 'http2']) {
      expect(panel(html, v).match(/data-row="\d+"/g)).toHaveLength(13);
    }
    expect(text(panel(html, 'http2'))).toContain('HTTP/2: page loaded after 250 ms, 1 connection opened');
    expect(text(panel(html, 'http1.0'))).toContain('HTTP/1.0: page loaded after 510 ms, 13 connections opened');
  });

  test('prints the load times of every version, with and without the slow response, in a table', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, {}, { path: http });
    const rows = [...html.matchAll(/<tr[^>]*data-total-row="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [m[1], text(m[2]!)]);
    expect(rows).toEqual([
      ['http1.0', 'HTTP/1.0 13 510 ms 660 ms 950 ms'],
      ['http1.1', 'HTTP/1.1 6 405 ms 460 ms 850 ms'],
      ['http1.1-pipelined', 'HTTP/1.1 + pipelining 6 350 ms 850 ms 850 ms'],
      ['http2', 'HTTP/2 1 250 ms 250 ms 850 ms'],
    ]);
    expect(text(html)).toContain('With hero.jpg slow: the rest done');
  });

  test('describes every row in words for screen readers and places its bars from the model', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, {}, { path: http });
    const h11 = panel(html, 'http1.1');
    expect(text(h11)).toContain('photo-3.jpg: connection 2, waited 155 ms for a connection, sent at 345 ms, done at 405 ms');
    // The axis is shared by all versions: it runs to 600 ms, past HTTP/1.0's 510.
    const { end } = timeTicks(510);
    const bar = compareVersions({ rttMs: 50, resources: DEFAULT_RESOURCES, tls: true }).http2.bars[3]!;
    const seg = barSegments(bar, end);
    const row = panel(html, 'http2').split('data-row="3"')[1]!;
    expect(row).toContain(`data-seg="request" style="--s:${seg.request[0]}%;--w:${seg.request[1]}%"`);
    expect(row).toMatch(/<span class="track"[^>]*aria-hidden="true"/);
  });

  test('keeps the controls hidden until the script runs, with one radio group and labelled inputs', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, { title: 'Four ways' }, { path: http });
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    expect(html).toMatch(/<fieldset[^>]*>\s*<legend[^>]*>Protocol<\/legend>/);
    const radios = [...html.matchAll(/<input type="radio" name="([^"]+)" value="([^"]+)"([^>]*)>/g)];
    expect(radios.map((m) => m[1])).toEqual(Array(4).fill('wf-four-ways-version'));
    expect(radios.map((m) => m[2])).toEqual(['http1.0', 'http1.1', 'http1.1-pipelined', 'http2']);
    expect(radios.filter((m) => /checked/.test(m[3]!)).map((m) => m[2])).toEqual(['http1.1']);
    expect(html).toMatch(/<label[^>]*>\s*Round-trip time\s*<input type="range" min="10" max="300" step="10" value="50"/);
    expect(text(html)).toContain('Slow response: hero.jpg takes 600 ms longer');
    expect(text(html)).toContain('HTTPS: TLS 1.3 adds a round trip to every new connection');
    expect(html).toMatch(/aria-live="polite"[^>]*data-live/);
  });

  test('says which settings the static waterfall was calculated with', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, { rttMs: 100, tls: false }, { path: http });
    expect(text(html)).toContain(
      'Calculated when this page was built: a round trip of 100 ms, plain HTTP (TCP handshakes only), no slow response, at most 6 connections per host for HTTP/1.x.',
    );
  });

  test('marks the slow row in text, not only colour, when the slow response starts switched on', async () => {
    const html = await r.render(`${dir}/HttpWaterfall.astro`, { slowOn: true }, { path: http });
    const rows = [...panel(html, 'http1.1-pipelined').matchAll(/<li class="([^"]*)"[^>]*data-row="(\d+)"[^>]*>([\s\S]*?)<\/li>/g)];
    expect(rows.filter((m) => m[1]!.split(' ').includes('slow')).map((m) => m[2])).toEqual(['1']);
    expect(text(rows[1]![3]!)).toContain('hero.jpg (slow)');
    // Other rows carry the tag too, hidden, so the script can move it without building markup.
    expect(rows[2]![3]).toMatch(/<span class="slow-tag" data-slow-tag hidden/);
    expect(text(panel(html, 'http1.1-pipelined'))).toContain('held 600 ms behind an earlier response');
  });

  test('leaves out the slow toggle and its columns when no asset is marked slow', async () => {
    const resources = [{ name: 'index.html' }, { name: 'a.js' }, { name: 'b.css' }];
    const html = await r.render(`${dir}/HttpWaterfall.astro`, { resources, versions: ['http1.1', 'http2'] }, { path: http });
    expect(html).not.toContain('data-slow-input');
    expect(text(html)).not.toContain('the rest done');
    expect(html.match(/data-panel="/g)).toHaveLength(2);
    expect(html.match(/type="radio"/g)).toHaveLength(2);
    expect(text(html)).not.toContain('ready, held behind an earlier response');
  });

  test('fails the render naming the lesson from the page URL when a prop is wrong', async () => {
    await expect(r.render(`${dir}/HttpWaterfall.astro`, { rttMs: 0 }, { path: http })).rejects.toThrow(
      /content\/lessons\/http-1-0-to-2\/index\.mdx: the use of <HttpWaterfall> is not valid[\s\S]*"rttMs" is 0/,
    );
  });
});
