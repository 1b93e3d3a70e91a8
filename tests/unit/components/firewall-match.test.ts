import { describe, expect, test } from 'vitest';
import {
  describePacket,
  describeRule,
  evaluate,
  inCidr,
  matchRule,
  packetProblems,
  parseCidr,
  parseEndpoint,
  parseIPv4,
  parsePorts,
  ruleProblems,
  type Packet,
  type Rule,
} from '../../../src/components/lesson/firewall-match.ts';

const ip = (text: string) => parseIPv4(text)!;
const cidr = (text: string) => parseCidr(text)!;

/** A web server's host firewall: replies, a blocklist, HTTPS, SSH from the bastion, DNS and HTTPS out. */
const rules: Rule[] = [
  { action: 'allow', dir: 'any', state: 'established', note: 'replies' },
  { action: 'deny', src: '203.0.113.0/24', note: 'blocklist' },
  { action: 'allow', proto: 'tcp', port: 443, note: 'HTTPS' },
  { action: 'allow', proto: 'tcp', src: '10.0.0.5/32', port: 22, note: 'SSH from the bastion' },
  { action: 'allow', dir: 'out', proto: 'udp', dst: '10.0.0.2', port: 53, note: 'DNS' },
];

const https: Packet = { dir: 'in', proto: 'tcp', src: '198.51.100.7:51514', dst: '10.0.1.10:443' };
const httpsReply: Packet = { dir: 'out', proto: 'tcp', src: '10.0.1.10:443', dst: '198.51.100.7:51514' };
const dnsQuery: Packet = { dir: 'out', proto: 'udp', src: '10.0.1.10:40112', dst: '10.0.0.2:53' };
const dnsAnswer: Packet = { dir: 'in', proto: 'udp', src: '10.0.0.2:53', dst: '10.0.1.10:40112' };

describe('addresses and ports', () => {
  test('parses dotted quads and rejects octets over 255 or missing parts', () => {
    expect(parseIPv4('10.0.1.10')).toBe(10 * 2 ** 24 + 1 * 2 ** 8 + 10);
    expect(parseIPv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(parseIPv4('10.0.1.256')).toBeNull();
    expect(parseIPv4('10.0.1')).toBeNull();
  });

  test('matches every address against /0', () => {
    for (const a of ['0.0.0.0', '10.0.0.1', '203.0.113.9', '255.255.255.255']) expect(inCidr(ip(a), cidr('0.0.0.0/0'))).toBe(true);
  });

  test('matches only the address itself against /32, and treats a bare address as /32', () => {
    expect(inCidr(ip('10.0.0.5'), cidr('10.0.0.5/32'))).toBe(true);
    expect(inCidr(ip('10.0.0.6'), cidr('10.0.0.5/32'))).toBe(false);
    expect(parseCidr('10.0.0.5')).toMatchObject({ prefix: 32, text: '10.0.0.5/32' });
  });

  test('finds the edges of a block, high addresses included', () => {
    expect(inCidr(ip('203.0.113.0'), cidr('203.0.113.0/24'))).toBe(true);
    expect(inCidr(ip('203.0.113.255'), cidr('203.0.113.0/24'))).toBe(true);
    expect(inCidr(ip('203.0.114.0'), cidr('203.0.113.0/24'))).toBe(false);
    expect(inCidr(ip('172.31.255.255'), cidr('172.16.0.0/12'))).toBe(true);
    expect(inCidr(ip('172.32.0.0'), cidr('172.16.0.0/12'))).toBe(false);
    expect(inCidr(ip('200.1.2.3'), cidr('128.0.0.0/1'))).toBe(true);
    expect(inCidr(ip('127.255.255.255'), cidr('128.0.0.0/1'))).toBe(false);
  });

  test('rejects malformed blocks, endpoints and port ranges', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/8/8')).toBeNull();
    expect(parseEndpoint('10.0.0.1:0')).toBeNull();
    expect(parseEndpoint('10.0.0.1:65536')).toBeNull();
    expect(parseEndpoint('10.0.0.1')).toEqual({ ip: ip('10.0.0.1'), addr: '10.0.0.1' });
    expect(parsePorts('1024-65535')).toEqual([1024, 65535]);
    expect(parsePorts(443)).toEqual([443, 443]);
    expect(parsePorts('90-80')).toBeNull();
  });
});

describe('first match wins', () => {
  test('stops at the first matching rule and marks the later rules as not reached', () => {
    const [v] = evaluate(rules, [https], { stateful: true });
    expect(v).toMatchObject({ verdict: 'allow', rule: 3, state: 'new', summary: 'allowed by rule 3' });
    expect(v!.checks.map((c) => c.result)).toEqual(['miss', 'miss', 'match', 'unreached', 'unreached']);
  });

  test('lets an earlier deny win over a later allow that would also match', () => {
    const blocked: Packet = { dir: 'in', proto: 'tcp', src: '203.0.113.77:40000', dst: '10.0.1.10:443' };
    const [v] = evaluate(rules, [blocked], { stateful: true });
    expect(v).toMatchObject({ verdict: 'deny', rule: 2 });
    // The same rules in the other order let it in: order is part of the policy.
    const swapped = [rules[0]!, rules[2]!, rules[1]!, rules[3]!, rules[4]!];
    expect(evaluate(swapped, [blocked], { stateful: true })[0]).toMatchObject({ verdict: 'allow', rule: 2 });
  });

  test('says why each rule that was checked did not match', () => {
    const ssh: Packet = { dir: 'in', proto: 'tcp', src: '198.51.100.9:50022', dst: '10.0.1.10:22' };
    const [v] = evaluate(rules, [ssh], { stateful: true });
    expect(v!.checks.map((c) => c.why)).toEqual([
      'the packet is NEW, the rule wants ESTABLISHED',
      'source 198.51.100.9 is outside 203.0.113.0/24',
      'destination port 22 is not 443',
      'source 198.51.100.9 is outside 10.0.0.5/32',
      'the rule is for outgoing packets',
    ]);
  });
});

describe('default policy', () => {
  test('denies a packet no rule matches when the policy is deny, which is the default', () => {
    const ssh: Packet = { dir: 'in', proto: 'tcp', src: '198.51.100.9:50022', dst: '10.0.1.10:22' };
    expect(evaluate(rules, [ssh], { stateful: true })[0]).toMatchObject({
      verdict: 'deny',
      rule: null,
      summary: 'denied by the default policy',
    });
  });

  test('allows it when the policy is allow, and an empty rule list leaves everything to the policy', () => {
    const ping: Packet = { dir: 'in', proto: 'icmp', src: '198.51.100.9', dst: '10.0.1.10' };
    expect(evaluate(rules, [ping], { stateful: false, defaultPolicy: 'allow' })[0]).toMatchObject({ verdict: 'allow', rule: null });
    expect(evaluate([], [ping], { stateful: false })[0]).toMatchObject({ verdict: 'deny', rule: null, checks: [] });
  });
});

describe('stateful and stateless filtering', () => {
  test('allows the reply to an allowed connection as ESTABLISHED when tracking is on', () => {
    const v = evaluate(rules, [https, httpsReply, dnsQuery, dnsAnswer], { stateful: true });
    expect(v.map((x) => [x.state, x.verdict, x.rule])).toEqual([
      ['new', 'allow', 3],
      ['established', 'allow', 1],
      ['new', 'allow', 5],
      ['established', 'allow', 1],
    ]);
    expect(v.map((x) => x.opened)).toEqual([true, false, true, false]);
  });

  test('drops the same replies when the filter is stateless, because nothing allows them by port', () => {
    const v = evaluate(rules, [https, httpsReply, dnsQuery, dnsAnswer], { stateful: false });
    expect(v.map((x) => [x.state, x.verdict, x.rule])).toEqual([
      ['untracked', 'allow', 3],
      ['untracked', 'deny', null],
      ['untracked', 'allow', 5],
      ['untracked', 'deny', null],
    ]);
    expect(v[1]!.checks[0]!.why).toBe('it needs connection tracking, and this filter is stateless');
  });

  test('lets stateless replies through only with a port rule, which also admits packets nobody asked for', () => {
    const stateless: Rule[] = [...rules.slice(1), { action: 'allow', dir: 'in', proto: 'udp', port: '1024-65535' }];
    const forged: Packet = { dir: 'in', proto: 'udp', src: '198.51.100.66:53', dst: '10.0.1.10:40112' };
    const v = evaluate(stateless, [dnsQuery, dnsAnswer, forged], { stateful: false });
    expect(v.map((x) => x.verdict)).toEqual(['allow', 'allow', 'allow']);
    // With tracking, the forged "answer" belongs to no flow, so it is NEW and the ESTABLISHED rule ignores it.
    const tracked = evaluate(rules, [dnsQuery, dnsAnswer, forged], { stateful: true });
    expect(tracked.map((x) => [x.state, x.verdict])).toEqual([
      ['new', 'allow'],
      ['established', 'allow'],
      ['new', 'deny'],
    ]);
  });

  test('does not track a packet it denied, so a "reply" to it stays NEW', () => {
    const ssh: Packet = { dir: 'in', proto: 'tcp', src: '198.51.100.9:50022', dst: '10.0.1.10:22' };
    const back: Packet = { dir: 'out', proto: 'tcp', src: '10.0.1.10:22', dst: '198.51.100.9:50022' };
    const v = evaluate(rules, [ssh, back], { stateful: true });
    expect(v.map((x) => [x.state, x.verdict])).toEqual([
      ['new', 'deny'],
      ['new', 'deny'],
    ]);
  });

  test('keeps a second packet in the original direction NEW until the other side answers, as conntrack does', () => {
    const v = evaluate(rules, [https, https, httpsReply, https], { stateful: true });
    expect(v.map((x) => x.state)).toEqual(['new', 'new', 'established', 'established']);
  });
});

describe('rules and packets as text', () => {
  test('describes a rule and a packet in one line', () => {
    expect(describeRule(rules[3]!)).toBe('allow in TCP from 10.0.0.5/32 to any port 22');
    expect(describeRule({ action: 'allow', dir: 'in', proto: 'tcp', port: '1024-65535' })).toBe('allow in TCP from any to any port 1024–65535');
    expect(describePacket(https)).toBe('TCP 198.51.100.7:51514 → 10.0.1.10:443');
  });

  test('names the field that is wrong in a rule or a packet', () => {
    expect(ruleProblems({ action: 'allow', port: 22 })).toEqual([
      { field: 'port', message: 'a port only means something with proto "tcp" or "udp"' },
    ]);
    expect(ruleProblems({ action: 'deny', src: '10.0.0.0/40' })).toEqual([
      { field: 'src', message: 'not an IPv4 address or CIDR block like "10.0.0.0/16"' },
    ]);
    expect(ruleProblems({ action: 'allow', proto: 'udp', dst: '10.0.0.2', port: '1-70000' })).toEqual([
      { field: 'port', message: 'not a port (1–65535) or a range like "1024-65535"' },
    ]);
    expect(packetProblems({ dir: 'in', proto: 'icmp', src: '1.2.3.4:9', dst: '10.0.1.10' })).toEqual([
      { field: 'src', message: 'ICMP has no ports; write just the address' },
    ]);
    expect(packetProblems({ dir: 'in', proto: 'tcp', src: '1.2.3.4', dst: '10.0.1.10:443' })[0]!.message).toMatch(/needs a port/);
  });

  test('matches a rule without conditions against any packet in its direction', () => {
    expect(matchRule({ action: 'deny', dir: 'any' }, https, 'untracked')).toEqual({
      match: true,
      why: 'matches every packet in this direction',
    });
  });
});
