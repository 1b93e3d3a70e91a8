import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FirewallRulesSchema } from '../../../src/components/lesson/firewall-rules-schema.ts';
import { LbSimulatorSchema } from '../../../src/components/lesson/lb-simulator-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// The components of modules 6 and 7 (load balancing, firewalls): their props and the markup they
// render before any script runs, which is all a reader without JavaScript gets.
const dir = '/src/components/lesson';
const lbLesson = '/lessons/load-balancing-in-practice/';
const fwLesson = '/lessons/firewalls/';
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

/** Visible text of some markup, with tags dropped and whitespace collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
/** The text of every cell with this class, in document order. */
const cells = (html: string, cls: string) =>
  [...html.matchAll(new RegExp(`<td class="${cls}[^"]*"[^>]*>([\\s\\S]*?)</td>`, 'g'))].map((m) => text(m[1]!));
const decodeAttr = (value: string) => value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const lbProps = (props: unknown) =>
  validateProps(LbSimulatorSchema, props, {
    component: 'LbSimulator',
    docs: 'src/components/lesson/lb-simulator-schema.ts',
    pathname: lbLesson,
  });

const webRules = [
  { action: 'allow', dir: 'any', state: 'established', note: 'replies' },
  { action: 'deny', src: '203.0.113.0/24', note: 'blocklist' },
  { action: 'allow', proto: 'tcp', port: 443, note: 'HTTPS' },
];
const webPackets = [
  { dir: 'in', proto: 'tcp', src: '198.51.100.7:51514', dst: '10.0.1.10:443', note: 'a browser connects' },
  { dir: 'out', proto: 'tcp', src: '10.0.1.10:443', dst: '198.51.100.7:51514', note: 'the reply' },
  { dir: 'in', proto: 'tcp', src: '203.0.113.77:40000', dst: '10.0.1.10:443', note: 'blocklisted' },
  { dir: 'in', proto: 'tcp', src: '198.51.100.9:50022', dst: '10.0.1.10:22', note: 'SSH' },
];

describe('LbSimulator props', () => {
  test('defaults to weights 5, 1, 1, smooth weighted round robin and seven requests', () => {
    expect(lbProps({})).toMatchObject({
      title: 'Load-balancing simulator',
      backends: [
        { name: 'a', weight: 5 },
        { name: 'b', weight: 1 },
        { name: 'c', weight: 1 },
      ],
      algorithm: 'weighted',
      requests: 7,
      long: [],
      clients: ['ana', 'ben', 'cai'],
      outages: [],
      cookieName: 'SERVERID',
    });
  });

  test('rejects two backends with the same name, naming the lesson and the field', () => {
    expect(() => lbProps({ backends: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/load-balancing-in-practice/index.mdx: the use of <LbSimulator> is not valid.
        • "backends[2].name" is "a": "a" is used twice; every backend needs its own name. It should be a short name shown on the backend and in the log, e.g. "a" or "web-1".
      Fix: Edit content/lessons/load-balancing-in-practice/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/lb-simulator-schema.ts.]
    `);
  });

  test('rejects an outage for a backend that does not exist and lists the names it knows', () => {
    expect(() => lbProps({ outages: [{ backend: 'd', from: 2 }] })).toThrow(
      /"outages\[0\]\.backend" is "d": no backend has this name; use one of "a", "b", "c"/,
    );
  });

  test('rejects a long-running request number beyond the worked example', () => {
    expect(() => lbProps({ requests: 4, long: [2, 6] })).toThrow(/"long\[1\]" is 6: the worked example only has 4 requests/);
  });

  test('rejects an unknown algorithm and lists the four it knows', () => {
    expect(() => lbProps({ algorithm: 'random' })).toThrow(
      /"algorithm" is "random"; it must be one of "round-robin", "weighted", "least-connections", "sticky"/,
    );
  });

  test('rejects fewer than three backends', () => {
    expect(() => lbProps({ backends: [{ name: 'a' }, { name: 'b' }] })).toThrow(/"backends"/);
  });
});

describe('LbSimulator', () => {
  test('prints the worked example as a table at build time: nginx’s a a b a c a a for 5, 1, 1', async () => {
    const html = await r.render(`${dir}/LbSimulator.astro`, { title: 'Smooth weights' }, { path: lbLesson });
    expect(cells(html, 'to')).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
    expect(html.match(/<li class="chip[^"]*"[^>]*>/g)).toHaveLength(7);
    expect(text(html)).toContain('scores plus weights: a 5, b 1, c 1; a is highest and pays back 7');
    expect(text(html)).toContain('Worked example: weighted round robin (smooth, as in nginx), 7 requests one tick apart.');
  });

  test('shows every backend’s weight, health, in-flight count and share', async () => {
    const html = await r.render(`${dir}/LbSimulator.astro`, { title: 'Shares' }, { path: lbLesson });
    expect(html.match(/data-backend="\d"/g)).toEqual(['data-backend="0"', 'data-backend="1"', 'data-backend="2"']);
    const first = text(html.slice(html.indexOf('data-backend="0"'), html.indexOf('data-backend="1"')));
    expect(first).toMatch(/a weight 5 Up 1 in flight 5 served \( 71% \)/);
  });

  test('hides the controls and the up/down buttons until the script runs', async () => {
    const html = await r.render(`${dir}/LbSimulator.astro`, { title: 'No script' }, { path: lbLesson });
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    expect(html.match(/<button[^>]*data-toggle[^>]*>/g)!.every((b) => /\shidden/.test(b))).toBe(true);
  });

  test('labels every control: one radio group for the algorithm, with the chosen one checked', async () => {
    const html = await r.render(`${dir}/LbSimulator.astro`, { title: 'Labels', algorithm: 'least-connections' }, { path: lbLesson });
    const radios = [...html.matchAll(/<label[^>]*>\s*<input type="radio" name="([^"]+)" value="([^"]+)"([^>]*)>/g)];
    expect(radios.map((m) => m[2])).toEqual(['round-robin', 'weighted', 'least-connections', 'sticky']);
    expect(new Set(radios.map((m) => m[1]))).toEqual(new Set(['lbsim-labels-algo']));
    expect(radios.filter((m) => /checked/.test(m[3]!)).map((m) => m[2])).toEqual(['least-connections']);
    expect(html).toMatch(/<fieldset class="algos[^"]*"[^>]*>\s*<legend[^>]*>Algorithm<\/legend>/);
    expect(html).toMatch(/<label[^>]*>\s*Request length\s*<select[^>]*data-length/);
    expect(html).toMatch(/aria-live="polite"[^>]*data-live/);
  });

  test('hands the script the same worked example as JSON', async () => {
    const html = await r.render(
      `${dir}/LbSimulator.astro`,
      { title: 'Config', algorithm: 'sticky', requests: 4, outages: [{ backend: 'b', from: 3 }] },
      { path: lbLesson },
    );
    const config = JSON.parse(decodeAttr(/data-config="([^"]*)"/.exec(html)![1]!));
    expect(config).toMatchObject({ algorithm: 'sticky', requests: 4, outages: [{ backend: 'b', from: 3 }], cookieName: 'SERVERID' });
  });

  test('shows sticky cookies being set, and a client moved with a new cookie when its backend fails', async () => {
    const html = await r.render(
      `${dir}/LbSimulator.astro`,
      { title: 'Sticky', backends: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], algorithm: 'sticky', requests: 6, outages: [{ backend: 'b', from: 5 }] },
      { path: lbLesson },
    );
    expect(cells(html, 'to')).toEqual(['a', 'b', 'c', 'a', 'a', 'c']);
    expect(html.match(/<code[^>]*>Set-Cookie: SERVERID=[0-9a-z]+<\/code>/g)).toHaveLength(4);
    expect(text(html)).toContain('its cookie names b, which is down');
    expect(html).toMatch(/<li class="backend down"/);
  });

  test('fails the render naming the lesson from the page URL when a prop is wrong', async () => {
    await expect(r.render(`${dir}/LbSimulator.astro`, { title: 'Bad', requests: 0 }, { path: lbLesson })).rejects.toThrow(
      /content\/lessons\/load-balancing-in-practice\/index\.mdx: the use of <LbSimulator title="Bad"> is not valid[\s\S]*"requests" is 0/,
    );
  });
});

describe('FirewallRules props', () => {
  const fw = (props: unknown) =>
    validateProps(FirewallRulesSchema, props, {
      component: 'FirewallRules',
      docs: 'src/components/lesson/firewall-rules-schema.ts',
      pathname: fwLesson,
    });

  test('fills in the defaults: inbound, any protocol, default deny, stateful, first packet selected', () => {
    const props = fw({ rules: [{ action: 'allow', proto: 'tcp', port: 443 }], packets: [webPackets[0]] });
    expect(props).toMatchObject({
      title: 'Firewall rules, first match wins',
      defaultPolicy: 'deny',
      stateful: true,
      selected: 1,
      rules: [{ action: 'allow', dir: 'in', proto: 'tcp', port: 443 }],
    });
  });

  test('rejects a port on a rule without TCP or UDP, naming the lesson and the rule', () => {
    expect(() => fw({ rules: [{ action: 'allow', port: 22 }], packets: [webPackets[0]] })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/firewalls/index.mdx: the use of <FirewallRules> is not valid.
        • "rules[0].port" is 22: a port only means something with proto "tcp" or "udp". It should be a destination port or range, e.g. 443 or "1024-65535"; only with proto "tcp" or "udp".
      Fix: Edit content/lessons/firewalls/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/firewall-rules-schema.ts.]
    `);
  });

  test('rejects a malformed CIDR block and a TCP packet without a port', () => {
    expect(() => fw({ rules: [{ action: 'deny', src: '10.0.0.0/33' }], packets: [webPackets[0]] })).toThrow(
      /"rules\[0\]\.src" is "10\.0\.0\.0\/33": not an IPv4 address or CIDR block/,
    );
    expect(() => fw({ rules: webRules, packets: [{ dir: 'in', proto: 'tcp', src: '198.51.100.7', dst: '10.0.1.10:443' }] })).toThrow(
      /"packets\[0\]\.src" is "198\.51\.100\.7": a TCP packet needs a port, e\.g\. "198\.51\.100\.7:443"/,
    );
  });

  test('rejects a selected packet that does not exist', () => {
    expect(() => fw({ rules: webRules, packets: webPackets, selected: 9 })).toThrow(/"selected" is 9: there are only 4 packets/);
  });
});

describe('FirewallRules', () => {
  test('prints every packet’s verdict and deciding rule at build time, with connection tracking on', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { rules: webRules, packets: webPackets }, { path: fwLesson });
    expect(cells(html, 'verdict')).toEqual(['ALLOW', 'ALLOW', 'DENY', 'DENY']);
    const decided = [...html.matchAll(/<td[^>]*data-decided[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(decided).toEqual(['rule 3', 'rule 1', 'rule 2', 'default policy']);
    const states = [...html.matchAll(/<td[^>]*data-state[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(states).toEqual(['NEW', 'ESTABLISHED', 'NEW', 'NEW']);
  });

  test('denies the reply when it starts stateless, because no rule allows it by port', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { rules: webRules, packets: webPackets, stateful: false }, { path: fwLesson });
    expect(cells(html, 'verdict')).toEqual(['ALLOW', 'DENY', 'DENY', 'DENY']);
    expect(text(html)).toContain('Connection tracking is off');
    expect(html).not.toMatch(/<input type="checkbox"[^>]*checked/);
  });

  test('lists the rules in order with the default policy last, marking the first match for the selected packet', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { rules: webRules, packets: webPackets, selected: 3 }, { path: fwLesson });
    const results = [...html.matchAll(/<tr[^>]*data-rule="(\d)"[^>]*data-result="([a-z]+)"/g)].map((m) => [m[1], m[2]]);
    expect(results).toEqual([
      ['0', 'miss'],
      ['1', 'match'],
      ['2', 'unreached'],
    ]);
    expect(html).toMatch(/<tr class="policy"[^>]*data-result="unreached"/);
    expect(text(html)).toContain('Packet 3: TCP 203.0.113.77:40000 → 10.0.1.10:443');
    expect(text(html)).toContain('Denied by rule 2; the rules below it were never checked.');
  });

  test('explains a default-policy verdict rule by rule, and every packet in a disclosure', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { rules: webRules, packets: webPackets, selected: 4 }, { path: fwLesson });
    const trace = html.slice(html.indexOf('data-trace-list'), html.indexOf('data-trace-outcome'));
    expect(text(trace)).toContain('Rule 3: destination port 22 is not 443');
    expect(text(html)).toContain('Denied by the default policy: no rule matched.');
    expect(html).toMatch(/<tr class="policy"[^>]*data-result="match"/);
    expect(html).toMatch(/<details class="all"/);
    expect(text(html.slice(html.indexOf('<details')))).toMatch(/allowed by rule 3[\s\S]*allowed by rule 1[\s\S]*denied by rule 2[\s\S]*denied by the default policy/);
  });

  test('hides the switch and the packet buttons until the script runs, and keeps the numbers as text', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { rules: webRules, packets: webPackets }, { path: fwLesson });
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    const picks = html.match(/<button[^>]*data-pick=[^>]*>/g)!;
    expect(picks).toHaveLength(4);
    expect(picks.every((b) => /\shidden/.test(b) && /aria-label="Show the checks for packet \d"/.test(b))).toBe(true);
    expect(html.match(/<span[^>]*data-pick-label[^>]*>\d<\/span>/g)).toHaveLength(4);
    expect(html).toMatch(/<label class="switch"[^>]*>\s*<input type="checkbox"[^>]*data-stateful-input[^>]*>\s*Stateful: track connections/);
  });

  test('captions both tables and gives scrolling regions a name', async () => {
    const html = await r.render(`${dir}/FirewallRules.astro`, { title: 'Host rules', rules: webRules, packets: webPackets }, { path: fwLesson });
    expect(html.match(/<caption/g)).toHaveLength(2);
    expect(html).toMatch(/role="region" aria-labelledby="fw-host-rules-rules"/);
    expect(html).toMatch(/role="region" aria-labelledby="fw-host-rules-packets"/);
  });

  test('fails the render naming the lesson when a packet is malformed', async () => {
    await expect(
      r.render(
        `${dir}/FirewallRules.astro`,
        { rules: webRules, packets: [{ dir: 'in', proto: 'icmp', src: '198.51.100.7:9', dst: '10.0.1.10' }] },
        { path: fwLesson },
      ),
    ).rejects.toThrow(/content\/lessons\/firewalls\/index\.mdx: the use of <FirewallRules> is not valid[\s\S]*ICMP has no ports/);
  });
});
