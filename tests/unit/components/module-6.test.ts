import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ciphertext,
  modes,
  requestFields,
  verdict,
  view,
  visibility,
  type ExampleRequest,
  type FieldId,
} from '../../../src/components/lesson/balancer-visibility.ts';
import {
  BalancerVisibilitySchema,
  exampleRequest,
  startKey,
} from '../../../src/components/lesson/balancer-visibility-schema.ts';
import { ProxyTopologySchema } from '../../../src/components/lesson/proxy-topology-schema.ts';
import {
  FOCI,
  WIDTH,
  bottomY,
  edgeX,
  facts,
  itemYs,
  topY,
  topology,
} from '../../../src/components/lesson/proxy-topology.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// The components of module 6 (proxies and load balancers): their props, the visibility rules and
// topology data behind them, and the markup they render before any script runs.
const dir = '/src/components/lesson';
const l4l7 = '/lessons/layer-4-vs-layer-7/';
const proxies = '/lessons/forward-and-reverse-proxies/';
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

/** Visible text of some markup, with tags dropped and whitespace collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const bv = (props: unknown) =>
  validateProps(BalancerVisibilitySchema, props, {
    component: 'BalancerVisibility',
    docs: 'src/components/lesson/balancer-visibility-schema.ts',
    pathname: l4l7,
  });

const topo = (props: unknown) =>
  validateProps(ProxyTopologySchema, props, {
    component: 'ProxyTopology',
    docs: 'src/components/lesson/proxy-topology-schema.ts',
    pathname: proxies,
  });

const https: ExampleRequest = exampleRequest(bv({}));
const http: ExampleRequest = exampleRequest(bv({ scheme: 'http' }));
const states = (req: ExampleRequest, key: string) => {
  const mode = modes(req.scheme).find((m) => m.key === key)!;
  return Object.fromEntries(view(req, mode).rows.map((row) => [row.id, row.state]));
};

describe('BalancerVisibility props', () => {
  test('defaults to an HTTPS POST /api/cart seen by a layer 4 balancer passing TLS through', () => {
    const p = bv({});
    expect(p).toMatchObject({ scheme: 'https', method: 'POST', path: '/api/cart', host: 'shop.example.com', layer: 'l4' });
    expect(startKey(p)).toBe('l4-passthrough');
    expect(exampleRequest(p)).toMatchObject({ balancerPort: 443, clientPort: 51234 });
  });

  test('uses port 80 for plain HTTP and starts on the plain view', () => {
    const p = bv({ scheme: 'http', layer: 'l7' });
    expect(exampleRequest(p).balancerPort).toBe(80);
    expect(startKey(p)).toBe('l7-plain');
  });

  test('rejects a TLS choice on plain HTTP, naming the lesson and the prop', () => {
    expect(() => bv({ scheme: 'http', tls: 'terminate' })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/layer-4-vs-layer-7/index.mdx: the use of <BalancerVisibility> is not valid.
        • "tls" is "terminate": only applies when scheme is "https"; plain HTTP has no TLS to pass through or terminate, so leave it out. It should be with https only: which TLS handling the toggles start on, "passthrough" (the default) or "terminate".
      Fix: Edit content/lessons/layer-4-vs-layer-7/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/balancer-visibility-schema.ts.]
    `);
  });

  test('rejects an address that is not dotted IPv4 and a path without a leading slash', () => {
    expect(() => bv({ clientIp: '300.1.2.3' })).toThrow(/"clientIp" is "300.1.2.3": use a dotted IPv4 address/);
    expect(() => bv({ path: 'api/cart' })).toThrow(/"path" is "api\/cart": start with "\/"/);
  });

  test('rejects an unknown layer and lists the two it knows', () => {
    expect(() => bv({ layer: 'l3' })).toThrow(/"layer" is "l3"; it must be one of "l4", "l7"/);
  });
});

describe('visibility rules', () => {
  test('lists the fields outermost first, with SNI only for HTTPS and no body row for an empty body', () => {
    expect(requestFields(https).map((f) => f.id)).toEqual(['ip', 'port', 'sni', 'request-line', 'host', 'cookie', 'body']);
    expect(requestFields(http).map((f) => f.id)).toEqual(['ip', 'port', 'request-line', 'host', 'cookie', 'body']);
    expect(requestFields({ ...https, body: '' }).map((f) => f.id)).not.toContain('body');
  });

  test('shows addresses and ports to a layer 4 balancer passing TLS through, SNI only if it peeks, and the request as ciphertext', () => {
    expect(states(https, 'l4-passthrough')).toEqual({
      ip: 'readable',
      port: 'readable',
      sni: 'peek',
      'request-line': 'opaque',
      host: 'opaque',
      cookie: 'opaque',
      body: 'opaque',
    });
  });

  test('lets a terminating layer 4 balancer read SNI but pass the decrypted request through unparsed', () => {
    expect(states(https, 'l4-terminate')).toMatchObject({ sni: 'readable', 'request-line': 'unparsed', host: 'unparsed', cookie: 'unparsed' });
  });

  test('lets a terminating layer 7 balancer read every field', () => {
    expect(new Set(Object.values(states(https, 'l7-terminate')))).toEqual(new Set(['readable']));
  });

  test('leaves a layer 7 balancer without the keys exactly where a layer 4 one is', () => {
    expect(states(https, 'l7-passthrough')).toEqual(states(https, 'l4-passthrough'));
    expect(verdict({ layer: 'l7', tls: 'passthrough' }).routeBy).toEqual(verdict({ layer: 'l4', tls: 'passthrough' }).routeBy);
  });

  test('marks plain HTTP as unparsed at layer 4 and readable at layer 7', () => {
    expect(states(http, 'l4-plain')).toMatchObject({ host: 'unparsed', cookie: 'unparsed' });
    expect(states(http, 'l7-plain')).toMatchObject({ host: 'readable', cookie: 'readable' });
  });

  test('routes by path and cookie only at layer 7, and says what layer 4 cannot use', () => {
    const l7 = verdict({ layer: 'l7', tls: 'terminate' });
    const l4 = verdict({ layer: 'l4', tls: 'terminate' });
    expect(l7.routeBy.join(' ')).toMatch(/path/);
    expect(l7.routeBy.join(' ')).toMatch(/cookie/);
    expect(l7.cannot).toEqual([]);
    expect(l4.routeBy.join(' ')).not.toMatch(/path|cookie/);
    expect(l4.cannot).toEqual(['Host header', 'path', 'method', 'cookies']);
  });

  test('gives every field a reason in every mode', () => {
    const ids: FieldId[] = ['ip', 'port', 'sni', 'request-line', 'host', 'cookie', 'body'];
    for (const mode of [...modes('https'), ...modes('http')]) {
      for (const id of ids) expect(visibility(id, mode).note.length).toBeGreaterThan(20);
    }
  });

  test('offers four HTTPS set-ups, one of them marked unrealistic, and two for plain HTTP', () => {
    expect(modes('https').map((m) => `${m.key}:${m.realistic}`)).toEqual([
      'l4-passthrough:true',
      'l4-terminate:true',
      'l7-terminate:true',
      'l7-passthrough:false',
    ]);
    expect(modes('http').map((m) => m.key)).toEqual(['l4-plain', 'l7-plain']);
  });

  test('draws deterministic hex ciphertext that never contains the value', () => {
    expect(ciphertext('session=7f3a9c')).toBe(ciphertext('session=7f3a9c'));
    expect(ciphertext('session=7f3a9c')).not.toBe(ciphertext('session=7f3a9d'));
    expect(ciphertext('session=7f3a9c')).toMatch(/^([0-9a-f]{2} ){8}…$/);
  });
});

describe('BalancerVisibility render', () => {
  test('renders every view but shows only the starting one, and keeps the controls hidden until the script runs', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, {}, { path: l4l7 });
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    const views = [...html.matchAll(/<section[^>]*data-view="([a-z0-9-]+)"[^>]*>/g)];
    expect(views.map((m) => m[1])).toEqual(['l4-passthrough', 'l4-terminate', 'l7-terminate', 'l7-passthrough']);
    expect(views.filter((m) => !/\shidden/.test(m[0])).map((m) => m[1])).toEqual(['l4-passthrough']);
  });

  test('labels every radio and groups them by what they choose', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, { layer: 'l7', tls: 'terminate' }, { path: l4l7 });
    expect(text(html)).toContain('Balancer Layer 4 Layer 7');
    expect(text(html)).toContain('TLS Passed through to the backends Terminated at the balancer');
    expect(html).toMatch(/<input type="radio"[^>]*value="l7"[^>]*checked/);
    expect(html).toMatch(/<input type="radio"[^>]*value="terminate"[^>]*checked/);
  });

  test('writes each field’s state as text and hides ciphertext from screen readers', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, {}, { path: l4l7 });
    const start = html.slice(html.indexOf('data-view="l4-passthrough"'), html.indexOf('data-view="l4-terminate"'));
    expect(text(start)).toContain('Server name (SNI) shop.example.com ◐ visible if it peeks');
    expect(start).toMatch(/<code class="value cipher"[^>]*><span aria-hidden="true"[^>]*>([0-9a-f]{2} ){8}…<\/span><span class="visually-hidden"[^>]*>unreadable bytes/);
    expect(text(start)).toContain('Cannot use: Host header, path, method, cookies.');
  });

  test('says on the TLS envelope whether the balancer decrypts, parses or only copies the request', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, {}, { path: l4l7 });
    const envelope = (key: string) => {
      const from = html.indexOf(`data-view="${key}"`);
      const part = html.slice(from, html.indexOf('</p>', html.indexOf('envelope-title', from)));
      return text(part);
    };
    expect(envelope('l4-passthrough')).toContain('TLS records carrying the HTTP request · ciphertext without the keys');
    expect(envelope('l4-terminate')).toContain('· decrypted, then copied on as bytes');
    expect(envelope('l7-terminate')).toContain('· decrypted and parsed by the balancer');
  });

  test('compares the three real set-ups in an open table for readers without JavaScript', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, {}, { path: l4l7 });
    expect(html).toMatch(/<details class="compare"[^>]*open/);
    const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
    expect([...table.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual([
      'Field',
      'Layer 4, TLS passed through',
      'Layer 4, TLS terminated at the balancer',
      'Layer 7, TLS terminated at the balancer',
    ]);
    expect(text(table)).toContain('Decides once per connection connection request');
    expect(text(html)).toContain('Layer 7 with TLS passed through is left out');
  });

  test('leaves out the TLS choice and the SNI row for plain HTTP', async () => {
    const html = await r.render(`${dir}/BalancerVisibility.astro`, { scheme: 'http' }, { path: l4l7 });
    expect(html).not.toContain('data-tls');
    expect(html).not.toContain('data-field="sni"');
    expect(text(html)).toContain('The request: HTTP POST /api/cart to shop.example.com');
  });

  test('fails the render naming the lesson when a prop is misspelt', async () => {
    await expect(r.render(`${dir}/BalancerVisibility.astro`, { layr: 'l7' }, { path: l4l7 })).rejects.toThrow(
      /content\/lessons\/layer-4-vs-layer-7\/index\.mdx: the use of <BalancerVisibility> is not valid[\s\S]*"layr" is not a known field\. Did you mean "layer"\?/,
    );
  });
});

describe('ProxyTopology data', () => {
  const t = topology({ site: 'shop.example.com', forwardProxy: 'Squid :3128', reverseProxy: 'nginx :443' });

  test('joins only nodes that exist, left to right', () => {
    for (const p of t.panels) {
      const ids = p.nodes.map((n) => n.id);
      for (const a of [...p.arrows, ...p.config]) {
        expect(ids).toContain(a.from);
        expect(ids).toContain(a.to);
      }
      for (const a of p.arrows) {
        const from = p.nodes.find((n) => n.id === a.from)!;
        const to = p.nodes.find((n) => n.id === a.to)!;
        expect(edgeX(from, 'right')).toBeLessThan(edgeX(to, 'left'));
      }
    }
  });

  test('puts the forward proxy inside the clients’ network and the reverse proxy inside the servers’', () => {
    const inside = (p: (typeof t.panels)[number], id: string) => {
      const n = p.nodes.find((x) => x.id === id)!;
      return n.x > p.boundary.x && n.x < p.boundary.x + p.boundary.w;
    };
    const [forward, reverse] = t.panels;
    expect([inside(forward!, 'f-clients'), inside(forward!, 'f-proxy'), inside(forward!, 'f-servers')]).toEqual([true, true, false]);
    expect([inside(reverse!, 'r-clients'), inside(reverse!, 'r-proxy'), inside(reverse!, 'r-servers')]).toEqual([false, true, true]);
  });

  test('keeps every node inside its panel and the drawing inside the view box', () => {
    for (const p of t.panels) {
      for (const n of p.nodes) {
        expect(topY(n)).toBeGreaterThan(p.top + 30);
        expect(bottomY(n)).toBeLessThan(p.top + p.height);
        expect(edgeX(n, 'left')).toBeGreaterThanOrEqual(0);
        expect(edgeX(n, 'right')).toBeLessThanOrEqual(WIDTH);
      }
      for (const n of p.nodes.filter((x) => x.items)) expect(itemYs(n)).toHaveLength(n.items!.length);
    }
    expect(t.height).toBe(t.panels[1]!.top + t.panels[1]!.height);
  });

  test('annotates every aspect a reader can highlight in both panels', () => {
    const aspects = FOCI.map((f) => f.key).filter((k) => k !== 'all');
    for (const p of t.panels) expect(new Set(p.annotations.map((a) => a.aspect))).toEqual(new Set(aspects));
  });

  test('says in the facts that Squid’s X-Forwarded-For reaches the server unless stripped', () => {
    const seen = facts({ site: 'shop.example.com', forwardProxy: 'Squid :3128', reverseProxy: 'nginx :443' }).find(
      (f) => f.question === 'The server sees',
    )!;
    expect(seen.forward).toMatch(/X-Forwarded-For .* unless the proxy strips them/);
  });
});

describe('ProxyTopology render', () => {
  test('renders an SVG image with a title and a description, and a table of the same facts', async () => {
    const html = await r.render(`${dir}/ProxyTopology.astro`, {}, { path: proxies });
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="topo-forward-and-reverse-proxy-who-works-for-whom-title"/);
    expect(html).toMatch(/<desc[^>]*>Top: clients inside a company network send every request to a forward proxy \(Squid :3128\)/);
    const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
    expect([...table.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual([
      'Works for',
      'Who is configured to use it',
      'The client knows',
      'The server sees',
      'Typical jobs',
      'Examples',
    ]);
  });

  test('starts on the chosen focus and keeps the highlight controls hidden until the script runs', async () => {
    const html = await r.render(`${dir}/ProxyTopology.astro`, { focus: 'config' }, { path: proxies });
    expect(html).toMatch(/<figure[^>]*data-focus="config"/);
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    expect(html).toMatch(/<input type="radio"[^>]*value="config"[^>]*checked/);
    expect(text(html)).toContain('Highlight Everything Who is configured to use whom Who sees whose address Whom the proxy works for');
  });

  test('puts the site name into the picture and the table', async () => {
    const html = await r.render(`${dir}/ProxyTopology.astro`, { site: 'api.example.org' }, { path: proxies });
    expect(html).toContain('sends api.example.org to the proxy');
    expect(text(html)).toContain('only api.example.org; it usually cannot tell a proxy is there');
  });

  test('rejects an unknown focus and a site name in capitals', () => {
    expect(() => topo({ focus: 'traffic' })).toThrow(/"focus" is "traffic"; it must be one of "all", "config", "addresses", "shield"/);
    expect(() => topo({ site: 'Shop.Example.com' })).toThrow(/"site" is "Shop.Example.com": use a lowercase host name/);
  });
});
