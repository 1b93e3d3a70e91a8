import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  EncapsulationExplorerSchema,
  receiveStages,
  sendStages,
} from '../../../src/components/lesson/encapsulation-explorer-schema.ts';
import { SubnetCalculatorSchema } from '../../../src/components/lesson/subnet-calculator-schema.ts';
import { validateProps } from '../../../src/components/lesson/validate-props.ts';
import { startRenderer, type Renderer } from './astro-renderer.ts';

// The components of module 2 (hosts, addresses and layers): their props, their arithmetic and
// the markup they render before any script runs.
const dir = '/src/components/lesson';
const osi = '/lessons/hosts-networks-and-the-osi-model/';
const subnets = '/lessons/ip-addresses-ports-and-subnets/';
let r: Renderer;
beforeAll(async () => {
  r = await startRenderer();
}, 60_000);
afterAll(() => r?.close());

/** Visible text of some markup, with tags dropped and whitespace collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const encap = (props: unknown) =>
  validateProps(EncapsulationExplorerSchema, props, {
    component: 'EncapsulationExplorer',
    docs: 'src/components/lesson/encapsulation-explorer-schema.ts',
    pathname: osi,
  });

const subnet = (props: unknown) =>
  validateProps(SubnetCalculatorSchema, props, {
    component: 'SubnetCalculator',
    docs: 'src/components/lesson/subnet-calculator-schema.ts',
    pathname: subnets,
  });

describe('EncapsulationExplorer props', () => {
  test('defaults to a 400-byte HTTP request with minimal headers, sending first', () => {
    expect(encap({ title: 'One request' })).toEqual({
      title: 'One request',
      payloadLabel: 'HTTP request',
      payloadBytes: 400,
      tls: false,
      tcpHeaderBytes: 20,
      ipHeaderBytes: 20,
      start: 'send',
    });
  });

  test('rejects a message that would not fit in one 1500-byte packet, saying how much fits', () => {
    expect(() => encap({ title: 'Too big', payloadBytes: 1461 })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/hosts-networks-and-the-osi-model/index.mdx: the use of <EncapsulationExplorer> is not valid.
        • "payloadBytes" is 1461: with these headers the IP packet would be 1501 bytes, more than a 1500-byte Ethernet MTU; use at most 1460 (TCP would split a bigger message into several segments). It should be the size of the application message in bytes, e.g. 400; it must fit in one 1500-byte packet.
      Fix: Edit content/lessons/hosts-networks-and-the-osi-model/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/encapsulation-explorer-schema.ts.]
    `);
  });

  test('rejects a TCP header size that is not a whole number of 32-bit words', () => {
    expect(() => encap({ title: 'Odd header', tcpHeaderBytes: 22 })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/hosts-networks-and-the-osi-model/index.mdx: the use of <EncapsulationExplorer> is not valid.
        • "tcpHeaderBytes": Invalid number: must be a multiple of 4. It should be the TCP header size in bytes: 20 without options, up to 60, in steps of 4.
      Fix: Edit content/lessons/hosts-networks-and-the-osi-model/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/encapsulation-explorer-schema.ts.]
    `);
  });

  test('rejects an unknown direction and lists the two it knows', () => {
    expect(() => encap({ title: 'Sideways', start: 'forward' })).toThrow(/"start" is "forward"; it must be one of "send", "receive"/);
  });
});

describe('sendStages', () => {
  test('adds 20 + 20 + 18 bytes of headers and trailer, then preamble and gap on the wire', () => {
    const stages = sendStages(encap({ title: 'One request' }));
    expect(stages.map((s) => [s.layer, s.unit, s.total, s.overhead])).toEqual([
      ['app', 'message', 400, 0],
      ['tcp', 'segment', 420, 20],
      ['ip', 'packet', 440, 40],
      ['eth', 'frame', 458, 58],
      ['phy', 'bits', 478, 78],
    ]);
    expect(stages[3]!.blocks.map((b) => `${b.label} ${b.bytes}`)).toEqual([
      'Ethernet header 14',
      'IPv4 header 20',
      'TCP header 20',
      'HTTP request 400',
      'FCS 4',
    ]);
  });

  test('inserts a 22-byte TLS record layer between the application and TCP when tls is on', () => {
    const stages = sendStages(encap({ title: 'One request', tls: true }));
    expect(stages.map((s) => [s.layer, s.total])).toEqual([
      ['app', 400],
      ['tls', 422],
      ['tcp', 442],
      ['ip', 462],
      ['eth', 480],
      ['phy', 500],
    ]);
    expect(stages[2]!.fields).toContain('destination port (443)');
  });

  test('pads a tiny packet so the Ethernet frame reaches its 64-byte minimum', () => {
    const frame = sendStages(encap({ title: 'One request', payloadBytes: 1 })).find((s) => s.layer === 'eth')!;
    expect(frame.total).toBe(64);
    expect(frame.blocks.map((b) => b.label)).toEqual(['Ethernet header', 'IPv4 header', 'TCP header', 'HTTP request', 'Padding', 'FCS']);
  });

  test('counts header options into the sizes', () => {
    const stages = sendStages(encap({ title: 'One request', tcpHeaderBytes: 32 }));
    expect(stages.find((s) => s.layer === 'tcp')).toMatchObject({ total: 432, fields: expect.stringContaining('12 bytes of options') });
  });
});

describe('receiveStages', () => {
  test('walks the layers bottom up and marks what each one removes', () => {
    const stages = receiveStages(encap({ title: 'One request', tls: true }));
    expect(stages.map((s) => s.layer)).toEqual(['phy', 'eth', 'ip', 'tcp', 'tls', 'app']);
    expect(stages.map((s) => s.changed)).toEqual([
      ['Preamble + SFD', 'Idle gap'],
      ['Ethernet header', 'FCS'],
      ['IPv4 header'],
      ['TCP header'],
      ['TLS record header', 'Type + AEAD tag'],
      [],
    ]);
  });
});

describe('EncapsulationExplorer render', () => {
  const props = { title: 'Wrapping one HTTP request', payloadBytes: 400 };

  test('shows every sending step as an ordered list and keeps the stepper controls hidden until the script runs', async () => {
    const html = await r.render(`${dir}/EncapsulationExplorer.astro`, props, { path: osi });
    expect(html).toMatch(/<div class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    const send = html.slice(html.indexOf('data-direction="send"'), html.indexOf('data-receive-details'));
    expect(send.match(/data-stage="\d"/g)).toHaveLength(5);
    expect(text(send)).toContain('Layer 4 · Transport segment · 420 bytes');
    expect(text(send)).toContain('458 bytes, of which 58 (13%) are headers and trailers.');
  });

  test('puts the receiving steps in a disclosure, so the page without JavaScript stays short', async () => {
    const html = await r.render(`${dir}/EncapsulationExplorer.astro`, props, { path: osi });
    expect(html).toMatch(/<details class="receive"[^>]*data-receive-details/);
    const receive = html.slice(html.indexOf('data-receive-details'));
    expect(receive.match(/data-stage="\d"/g)).toHaveLength(5);
    expect(text(receive)).toContain('And back again: what the receiver does');
  });

  test('names every block with its size and labels what each step adds in words, not only colour', async () => {
    const html = await r.render(`${dir}/EncapsulationExplorer.astro`, props, { path: osi });
    expect(text(html)).toContain('IPv4 header 20 B added');
    expect(text(html)).toContain('IPv4 header 20 B removed next');
    expect(html).toMatch(/<ul class="blocks"[^>]*aria-label="The frame, first byte first"/);
  });

  test('gives the radios one name and labels, and the buttons text', async () => {
    const html = await r.render(`${dir}/EncapsulationExplorer.astro`, props, { path: osi });
    const names = [...html.matchAll(/<input type="radio" name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['encap-wrapping-one-http-request-dir', 'encap-wrapping-one-http-request-dir']);
    expect(text(html)).toContain('Previous step');
    expect(text(html)).toContain('Next step');
  });

  test('fails the render naming the lesson from the page URL when the message is too big', async () => {
    await expect(r.render(`${dir}/EncapsulationExplorer.astro`, { ...props, payloadBytes: 9000 }, { path: osi })).rejects.toThrow(
      /content\/lessons\/hosts-networks-and-the-osi-model\/index\.mdx: the use of <EncapsulationExplorer> is not valid[\s\S]*"payloadBytes" is 9000/,
    );
  });
});

describe('SubnetCalculator props', () => {
  test('defaults to the worked example 10.20.55.0/23 with no extra examples', () => {
    expect(subnet({})).toEqual({ title: 'Subnet calculator', cidr: '10.20.55.0/23', examples: [] });
  });

  test('rejects a block the calculator would reject, with the calculator’s own message', () => {
    expect(() => subnet({ cidr: '10.0.0.0/33' })).toThrowErrorMatchingInlineSnapshot(`
      [HopError: [InvalidAuthoredFile] content/lessons/ip-addresses-ports-and-subnets/index.mdx: the use of <SubnetCalculator> is not valid.
        • "cidr" is "10.0.0.0/33": The prefix length /33 is too long: an IPv4 address has 32 bits, so the prefix is 0 to 32. It should be the IPv4 block shown first, in CIDR notation, e.g. "10.20.55.0/23"; a host address inside the block is fine.
      Fix: Edit content/lessons/ip-addresses-ports-and-subnets/index.mdx and correct the field(s) above. Each field is explained in src/components/lesson/subnet-calculator-schema.ts.]
    `);
  });

  test('rejects a bad example and says which one', () => {
    expect(() => subnet({ examples: ['192.168.1.0/24', '300.1.1.1/24'] })).toThrow(
      /"examples\[1\]" is "300\.1\.1\.1\/24": The first number in "300\.1\.1\.1" is 300/,
    );
  });

  test('rejects more than six examples', () => {
    expect(() => subnet({ examples: Array(7).fill('10.0.0.0/8') })).toThrow(/"examples"/);
  });
});

describe('SubnetCalculator render', () => {
  test('shows a complete worked example for the default block without JavaScript', async () => {
    const html = await r.render(`${dir}/SubnetCalculator.astro`, {}, { path: subnets });
    const t = text(html);
    expect(t).toContain('Worked example for 10.20.55.0/23 , calculated when this page was built.');
    for (const fact of [
      'Block (CIDR) 10.20.54.0/23',
      'Network address 10.20.54.0',
      'Broadcast address 10.20.55.255',
      'First usable host 10.20.54.1',
      'Last usable host 10.20.55.254',
      'Usable hosts 510',
      'Addresses in the block 512',
      'Netmask 255.255.254.0',
      'Address type Private (RFC 1918)',
    ]) {
      expect(t).toContain(fact);
    }
    expect(t).toContain('10.20.55.0 is a host inside the block, not its network address');
  });

  test('splits the binary view where the prefix ends', async () => {
    const html = await r.render(`${dir}/SubnetCalculator.astro`, {}, { path: subnets });
    expect(html).toMatch(
      /<span class="net"[^>]*data-net[^>]*>11111111\.11111111\.1111111<\/span><span class="host"[^>]*data-host[^>]*>0\.00000000<\/span>/,
    );
    expect(text(html)).toContain('the first 23 bits are the network part');
  });

  test('keeps the input hidden until the script runs, and labels it', async () => {
    const html = await r.render(`${dir}/SubnetCalculator.astro`, { title: 'Try a block' }, { path: subnets });
    expect(html).toMatch(/<form class="controls[^"]*"[^>]*data-controls[^>]*hidden/);
    expect(html).toMatch(/<label for="subnet-try-a-block-input"/);
    expect(html).toMatch(/<input id="subnet-try-a-block-input"[^>]*aria-describedby="subnet-try-a-block-error"/);
    expect(html).toMatch(/aria-live="polite"/);
  });

  test('renders examples as buttons and a /31 with no broadcast address', async () => {
    const html = await r.render(
      `${dir}/SubnetCalculator.astro`,
      { cidr: '10.0.0.6/31', examples: ['192.168.1.0/24', '0.0.0.0/0'] },
      { path: subnets },
    );
    expect([...html.matchAll(/data-example="([^"]+)"/g)].map((m) => m[1])).toEqual(['192.168.1.0/24', '0.0.0.0/0']);
    expect(text(html)).toContain('Broadcast address none');
    expect(text(html)).toContain('Usable hosts 2');
    expect(text(html)).toContain('RFC 3021');
    expect(text(html)).toContain('the first 31 bits are the network part ( bold ), the last 1 bit the host part');
  });

  test('fails the render naming the lesson and the block', async () => {
    await expect(r.render(`${dir}/SubnetCalculator.astro`, { cidr: '10.0.0' }, { path: subnets })).rejects.toThrow(
      /content\/lessons\/ip-addresses-ports-and-subnets\/index\.mdx: the use of <SubnetCalculator cidr="10\.0\.0"> is not valid[\s\S]*"10\.0\.0" has 3 numbers/,
    );
  });
});
