import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CwndChartSchema, simulateWindows } from '../../../src/components/lesson/cwnd-chart-schema.ts';
import { LossDiagramSchema, describeLoss, layoutLoss } from '../../../src/components/lesson/loss-diagram-schema.ts';
import { NatTableSchema, natFrames } from '../../../src/components/lesson/nat-table-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// The components written for lessons 4 (NAT and port forwarding) and 5 (TCP vs UDP): their
// prop validation (a wrong prop must name the lesson file and the field) and the markup that the
// no-JavaScript reading and the step-through script depend on.
const dir = '/src/components/lesson';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

const nat = {
  title: 'A small NAT',
  publicIp: '203.0.113.7',
  lan: '192.168.1.0/24',
  timeouts: { udp: 30 },
  names: [{ ip: '192.168.1.10', label: 'Laptop' }],
  forwards: [{ proto: 'tcp', publicPort: 8080, to: '192.168.1.20:80' }],
  steps: [
    { at: 0, from: '192.168.1.10:51000', to: '198.51.100.20:443', label: 'SYN' },
    { at: 0.03, replyTo: 1, label: 'SYN-ACK' },
    { at: 1, proto: 'udp', from: '192.168.1.11:53000', to: '198.51.100.53:53' },
    { at: 5, from: '192.0.2.99:41234', to: '203.0.113.7:22' },
    { at: 60, replyTo: 3 },
  ],
};

const parseNat = (props: unknown) =>
  validateProps(NatTableSchema, props, {
    component: 'NatTable',
    docs: 'src/components/lesson/nat-table-schema.ts',
    pathname: '/lessons/nat-and-port-forwarding/',
  });

describe('NatTableSchema', () => {
  test('defaults forwards, names, hairpinning and port preservation', () => {
    const data = parseNat({ ...nat, forwards: undefined, names: undefined });
    expect(data.forwards).toEqual([]);
    expect(data.names).toEqual([]);
    expect(data.hairpin).toBe(true);
    expect(data.preservePorts).toBe(true);
  });

  test('rejects a socket without a port, naming the lesson file and the step', () => {
    const bad = structuredClone(nat);
    bad.steps[0]!.to = '198.51.100.20';
    expect(() => parseNat(bad)).toThrow(
      /content\/lessons\/nat-and-port-forwarding\/index\.mdx: the use of <NatTable> is not valid\.[\s\S]*"steps\[0\]\.to" is "198\.51\.100\.20": use an IPv4 address and a port 1–65535/,
    );
  });

  test('rejects a step that is both a new packet and a reply', () => {
    const bad: Record<string, unknown> & { steps: Record<string, unknown>[] } = structuredClone(nat);
    bad.steps[1] = { at: 0.03, replyTo: 1, from: '192.168.1.10:1', to: '198.51.100.20:443' };
    expect(() => parseNat(bad)).toThrow(/"steps\[1\]".*has both `from`\/`to` and `replyTo`/);
  });

  test('rejects a reply to a packet the router dropped, explaining why', () => {
    const bad = structuredClone(nat);
    bad.steps.push({ at: 61, replyTo: 4 });
    expect(() => parseNat(bad)).toThrow(/"steps\[5\]".*step 6 replies to step 4, but the router dropped that packet/);
  });

  test('rejects a public address inside the private network', () => {
    expect(() => parseNat({ ...nat, publicIp: '192.168.1.1' })).toThrow(/"publicIp" is "192\.168\.1\.1": lies inside the private network/);
  });

  test('rejects a port forward to a host outside the private network', () => {
    expect(() => parseNat({ ...nat, forwards: [{ publicPort: 8080, to: '10.0.0.5:80' }] })).toThrow(/"forwards\[0\]\.to" is "10\.0\.0\.5:80": is not inside 192\.168\.1\.0\/24/);
  });

  test('rejects a misspelt prop and suggests the real one', () => {
    expect(() => parseNat({ ...nat, forward: [] })).toThrow(/"forward" is not a known field\. Did you mean "forwards"\?/);
  });

  test('replays the scenario into one frame per step', () => {
    const frames = natFrames(parseNat(nat));
    expect(frames.map((f) => f.verdict.action)).toEqual(['snat', 'unnat', 'snat', 'drop', 'drop']);
    expect(frames[4]!.verdict).toMatchObject({ reason: 'expired' });
  });
});

describe('NatTable', () => {
  test('renders every row ever created and every step as text, without JavaScript', async () => {
    const html = await r.render(`${dir}/NatTable.astro`, nat, { path: '/lessons/nat-and-port-forwarding/' });
    expect(html.match(/<tr data-row="\d+"/g)).toEqual(['<tr data-row="1"', '<tr data-row="2"']);
    expect(html.match(/<li data-step="\d+"/g)).toHaveLength(5);
    const t = text(html);
    expect(t).toContain('TCP SYN from Laptop 192.168.1.10:51000 to 198.51.100.20:443. The router rewrites the source to 203.0.113.7:51000 and adds a row to its table.');
    expect(t).toContain('expired before step 5');
    expect(t).toContain('Dropped: no row in the table matches it and no port forward covers that port');
  });

  test('hides the controls and the stage until the script runs, and labels them', async () => {
    const html = await r.render(`${dir}/NatTable.astro`, nat);
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    expect(html).toMatch(/<div class="stage"[^>]*data-stage[^>]*hidden/);
    expect(html).toMatch(/<button type="button" data-prev[^>]*aria-keyshortcuts="ArrowLeft"/);
    expect(html).toMatch(/<button type="button" data-next[^>]*aria-keyshortcuts="ArrowRight"/);
    expect(html).toMatch(/aria-live="polite"/);
    expect(html).toMatch(/<figure class="nat[^"]*"[^>]*aria-labelledby="nat-a-small-nat-title"/);
    expect(html).toMatch(/<caption id="nat-a-small-nat-caption"/);
  });

  test('embeds one precomputed frame per step for the script', async () => {
    const html = await r.render(`${dir}/NatTable.astro`, nat);
    const raw = /data-frames="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'");
    const frames = JSON.parse(raw) as { n: number; action: string; rows: [number, string][]; changed: boolean[] }[];
    expect(frames.map((f) => f.action)).toEqual(['snat', 'unnat', 'snat', 'drop', 'drop']);
    expect(frames[0]!.changed).toEqual([true, false]);
    expect(frames[1]!.changed).toEqual([false, true]);
    expect(frames[4]!.rows.map(([id]) => id)).toEqual([1]);
  });

  test('fails the render naming the lesson when a step goes back in time', async () => {
    const bad = structuredClone(nat);
    bad.steps[1]!.at = -1;
    await expect(r.render(`${dir}/NatTable.astro`, bad, { path: '/lessons/nat-and-port-forwarding/' })).rejects.toThrow(
      /content\/lessons\/nat-and-port-forwarding\/index\.mdx: the use of <NatTable> is not valid\.[\s\S]*"steps\[1\]\.at" is -1/,
    );
  });
});

const loss = {
  title: 'A lost SYN',
  actors: [
    { id: 'client', label: 'Client' },
    { id: 'server', label: 'Server' },
  ],
  events: [
    { from: 'client', label: 'SYN', kind: 'control', lost: true },
    { from: 'client', wait: 'the 1 s timer runs out' },
    { from: 'client', label: 'SYN', kind: 'control' },
    { from: 'server', label: 'SYN-ACK', kind: 'control' },
  ],
};

const parseLoss = (props: unknown) =>
  validateProps(LossDiagramSchema, props, {
    component: 'LossDiagram',
    docs: 'src/components/lesson/loss-diagram-schema.ts',
    pathname: '/lessons/tcp-vs-udp/',
  });

describe('LossDiagramSchema', () => {
  test('stops a lost packet part of the way across and lets the others reach the far side', () => {
    const layout = layoutLoss(parseLoss(loss));
    const packets = layout.rows.filter((row) => row.type === 'packet');
    expect(packets.map((p) => p.x2)).toEqual([expect.any(Number), layout.right, layout.left]);
    expect(packets[0]!.x2).toBeGreaterThan(layout.left);
    expect(packets[0]!.x2).toBeLessThan(layout.right);
  });

  test('describes every event in words, saying which packet was lost', () => {
    expect(describeLoss(parseLoss(loss))).toEqual([
      'Client → Server: SYN (lost on the way, never arrives)',
      'Client waits: the 1 s timer runs out',
      'Client → Server: SYN',
      'Server → Client: SYN-ACK',
    ]);
  });

  test('rejects an event that is neither a packet nor a pause', () => {
    expect(() => parseLoss({ ...loss, events: [{ from: 'client' }] })).toThrow(/"events\[0\]".*needs either a `label` \(a packet\) or a `wait` \(a pause\)/);
  });

  test('rejects an unknown sender, listing the actor ids', () => {
    expect(() => parseLoss({ ...loss, events: [{ from: 'browser', label: 'SYN' }] })).toThrow(/"events\[0\]\.from" is "browser": no actor has this id; use one of "client", "server"/);
  });

  test('rejects a third actor', () => {
    expect(() => parseLoss({ ...loss, actors: [...loss.actors, { id: 'proxy', label: 'Proxy' }] })).toThrow(/"actors"/);
  });
});

describe('LossDiagram', () => {
  test('renders a labelled SVG with the word “lost”, a timer and the steps as text', async () => {
    const html = await r.render(`${dir}/LossDiagram.astro`, loss, { path: '/lessons/tcp-vs-udp/' });
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="loss-a-lost-syn-title"[^>]*aria-describedby="loss-a-lost-syn-desc"/);
    expect(html).toMatch(/class="lost-label"[^>]*>lost<\/text>/);
    expect(html).toMatch(/class="timer"/);
    expect(html).toMatch(/<li[^>]*>Client → Server: SYN \(lost on the way, never arrives\)<\/li>/);
  });

  test('fails the render naming the lesson when a pause is marked lost', async () => {
    const bad: Record<string, unknown> & { events: Record<string, unknown>[] } = structuredClone(loss);
    bad.events[1] = { from: 'client', wait: 'timer', lost: true };
    await expect(r.render(`${dir}/LossDiagram.astro`, bad, { path: '/lessons/tcp-vs-udp/' })).rejects.toThrow(
      /content\/lessons\/tcp-vs-udp\/index\.mdx: the use of <LossDiagram> is not valid\.[\s\S]*is a pause, so it cannot be `lost`/,
    );
  });
});

const chart = {
  title: 'Windows',
  rounds: 10,
  rwnd: 90,
  events: [
    { round: 4, type: 'loss' },
    { round: 6, type: 'rwnd', value: 20 },
    { round: 8, type: 'timeout' },
  ],
};

const parseChart = (props: unknown) =>
  validateProps(CwndChartSchema, props, {
    component: 'CwndChart',
    docs: 'src/components/lesson/cwnd-chart-schema.ts',
    pathname: '/lessons/tcp-vs-udp/',
  });

describe('simulateWindows', () => {
  test('doubles cwnd each round in slow start, halves it on loss, then grows by one segment', () => {
    const rounds = simulateWindows(parseChart({ ...chart, events: [{ round: 4, type: 'loss' }] }));
    expect(rounds.map((x) => x.cwnd)).toEqual([10, 20, 40, 80, 40, 41, 42, 43, 44, 45]);
    expect(rounds[4]!.ssthresh).toBe(40);
    expect(rounds[5]!.phase).toBe('congestion avoidance');
  });

  test('lets the smaller window limit what is in flight and does not grow cwnd while the receiver limits it', () => {
    const rounds = simulateWindows(parseChart(chart));
    expect(rounds[6]).toMatchObject({ cwnd: 42, rwnd: 20, window: 20, limitedBy: 'receiver (rwnd)' });
    expect(rounds[7]!.cwnd).toBe(42);
  });

  test('restarts at one segment after a timeout, with ssthresh at half the window in flight', () => {
    const rounds = simulateWindows(parseChart(chart));
    expect(rounds[8]).toMatchObject({ cwnd: 1, ssthresh: 21, phase: 'slow start' });
    expect(rounds[9]!.cwnd).toBe(2);
  });

  test('never lets slow start overshoot ssthresh', () => {
    const rounds = simulateWindows(parseChart({ ...chart, ssthresh: 30, events: [] }));
    expect(rounds.slice(0, 4).map((x) => x.cwnd)).toEqual([10, 20, 30, 31]);
  });
});

describe('CwndChart', () => {
  test('rejects an rwnd event without a value and an event past the last round', () => {
    expect(() => parseChart({ ...chart, events: [{ round: 3, type: 'rwnd' }, { round: 12, type: 'loss' }] })).toThrow(
      /"events\[0\]\.value" is missing: is needed for an "rwnd" event[\s\S]*"events\[1\]\.round" is 12: is past the last round \(9\)/,
    );
  });

  test('renders the chart with a legend, the events in words and the numbers as a table', async () => {
    const html = await r.render(`${dir}/CwndChart.astro`, chart, { path: '/lessons/tcp-vs-udp/' });
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="cwnd-windows-title"/);
    const t = text(html);
    expect(t).toContain('Round 4: three duplicate ACKs. ssthresh becomes 40, cwnd drops to 40.');
    expect(t).toContain('Round 8: retransmission timeout. ssthresh becomes 21, cwnd restarts at 1.');
    expect(html.match(/<th scope="row"/g)).toHaveLength(10);
  });
});
