/**
 * The packet filter behind <FirewallRules>, with no DOM: an ordered rule list checked top to
 * bottom where the first matching rule decides (as in an iptables or nftables chain, or a cloud
 * network ACL), a default policy for packets no rule matches, and optional connection tracking.
 *
 * With tracking on, every packet that a rule allows while it is NEW opens a flow; later packets of
 * that flow, in either direction, are ESTABLISHED once the other side has answered (as Linux
 * conntrack labels them), so a rule such as `ct state established accept` can let replies through.
 * With tracking off the filter is stateless: it cannot tell a reply from a new packet, and rules
 * that ask for a state never match.
 */

export type Action = 'allow' | 'deny';
export type Proto = 'tcp' | 'udp' | 'icmp';
export type Direction = 'in' | 'out';
export type ConnState = 'new' | 'established';

export interface Rule {
  action: Action;
  /** Which packets the rule looks at; defaults to 'in'. */
  dir?: Direction | 'any';
  /** Defaults to 'any'. */
  proto?: Proto | 'any';
  /** Source CIDR; defaults to 0.0.0.0/0. A bare address means /32. */
  src?: string;
  /** Destination CIDR; defaults to 0.0.0.0/0. */
  dst?: string;
  /** Destination port or range ("1024-65535"); only with tcp or udp. */
  port?: number | string;
  /** Only packets in this connection-tracking state; needs tracking on. */
  state?: ConnState;
  /** What the rule is for, shown beside it. */
  note?: string;
}

export interface Packet {
  dir: Direction;
  proto: Proto;
  /** "198.51.100.7:51514", or just an address for ICMP. */
  src: string;
  dst: string;
  /** What the packet is, in words. */
  note?: string;
}

export interface Options {
  stateful: boolean;
  /** What happens to a packet no rule matches; defaults to 'deny'. */
  defaultPolicy?: Action;
}

export interface RuleCheck {
  /** 1-based rule number. */
  rule: number;
  /** match: this rule decided; miss: checked, did not match; unreached: an earlier rule decided. */
  result: 'match' | 'miss' | 'unreached';
  why: string;
}

export interface Verdict {
  /** 1-based packet number. */
  packet: number;
  /** Connection-tracking state; 'untracked' when the filter is stateless. */
  state: ConnState | 'untracked';
  verdict: Action;
  /** 1-based number of the rule that decided, or null for the default policy. */
  rule: number | null;
  checks: RuleCheck[];
  /** A one-line summary: "allowed by rule 3", "denied by the default policy". */
  summary: string;
  /** True when this packet opened a new tracked flow. */
  opened: boolean;
}

// --- addresses ----------------------------------------------------------------------------------

/** "10.0.1.10" → 167772426, or null when it is not a dotted-quad IPv4 address. */
export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

export interface Cidr {
  base: number;
  prefix: number;
  text: string;
}

/** "10.0.0.0/16" → network and prefix; a bare address is a /32. Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return null;
  const ip = parseIPv4(addr);
  if (ip === null) return null;
  if (len !== undefined && !/^\d{1,2}$/.test(len)) return null;
  const prefix = len === undefined ? 32 : Number(len);
  if (prefix > 32) return null;
  return { base: ip, prefix, text: len === undefined ? `${addr}/32` : text.trim() };
}

/** Whether an address is inside a block. /0 holds every address; /32 only itself. */
export function inCidr(ip: number, cidr: Cidr): boolean {
  if (cidr.prefix === 0) return true;
  // Compare the top `prefix` bits; dividing keeps this in safe integers (no 32-bit sign trouble).
  const size = 2 ** (32 - cidr.prefix);
  return Math.floor(ip / size) === Math.floor(cidr.base / size);
}

export interface Endpoint {
  ip: number;
  addr: string;
  port?: number;
}

/** "198.51.100.7:51514" or "198.51.100.7" → address and optional port; null when malformed. */
export function parseEndpoint(text: string): Endpoint | null {
  const m = /^([\d.]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) return null;
  const ip = parseIPv4(m[1]!);
  if (ip === null) return null;
  if (m[2] === undefined) return { ip, addr: m[1]! };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { ip, addr: m[1]!, port };
}

/** 443 or "1024-65535" → [low, high]; null when malformed or out of 1–65535. */
export function parsePorts(value: number | string): [number, number] | null {
  const text = String(value).trim();
  const m = /^(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || lo > hi) return null;
  return [lo, hi];
}

export const formatPorts = ([lo, hi]: [number, number]) => (lo === hi ? String(lo) : `${lo}–${hi}`);

export interface Problem {
  /** The field at fault. */
  field: 'src' | 'dst' | 'port';
  /** What is wrong, as a phrase that follows the field's value in a schema error. */
  message: string;
}

/** Problems with a rule, one per faulty field; empty when it is fine. */
export function ruleProblems(rule: Rule): Problem[] {
  const out: Problem[] = [];
  for (const field of ['src', 'dst'] as const) {
    const v = rule[field];
    if (v !== undefined && !parseCidr(v)) out.push({ field, message: 'not an IPv4 address or CIDR block like "10.0.0.0/16"' });
  }
  if (rule.port !== undefined) {
    if (!parsePorts(rule.port)) out.push({ field: 'port', message: 'not a port (1–65535) or a range like "1024-65535"' });
    else if (rule.proto !== 'tcp' && rule.proto !== 'udp') {
      out.push({ field: 'port', message: 'a port only means something with proto "tcp" or "udp"' });
    }
  }
  return out;
}

/** Problems with a packet, one per faulty field; empty when it is fine. */
export function packetProblems(packet: Packet): Problem[] {
  const out: Problem[] = [];
  for (const field of ['src', 'dst'] as const) {
    const e = parseEndpoint(packet[field]);
    if (!e) out.push({ field, message: 'not an address like "198.51.100.7:51514"' });
    else if (packet.proto === 'icmp' && e.port !== undefined) out.push({ field, message: 'ICMP has no ports; write just the address' });
    else if (packet.proto !== 'icmp' && e.port === undefined) {
      out.push({ field, message: `a ${packet.proto.toUpperCase()} packet needs a port, e.g. "${e.addr}:443"` });
    }
  }
  return out;
}

// --- matching -----------------------------------------------------------------------------------

const ANY = parseCidr('0.0.0.0/0')!;

function flowKey(proto: Proto, a: Endpoint, b: Endpoint): string {
  return `${proto} ${a.addr}:${a.port ?? ''} ${b.addr}:${b.port ?? ''}`;
}

/** Whether one rule matches one packet, and why (not). */
export function matchRule(
  rule: Rule,
  packet: Packet,
  state: ConnState | 'untracked',
): { match: boolean; why: string } {
  const src = parseEndpoint(packet.src);
  const dst = parseEndpoint(packet.dst);
  if (!src || !dst) return { match: false, why: 'the packet’s addresses cannot be read' };
  const dir = rule.dir ?? 'in';
  if (dir !== 'any' && dir !== packet.dir) {
    return { match: false, why: `the rule is for ${dir === 'in' ? 'incoming' : 'outgoing'} packets` };
  }
  if (rule.state !== undefined) {
    if (state === 'untracked') return { match: false, why: 'it needs connection tracking, and this filter is stateless' };
    if (state !== rule.state) return { match: false, why: `the packet is ${state.toUpperCase()}, the rule wants ${rule.state.toUpperCase()}` };
  }
  const proto = rule.proto ?? 'any';
  if (proto !== 'any' && proto !== packet.proto) {
    return { match: false, why: `the packet is ${packet.proto.toUpperCase()}, the rule wants ${proto.toUpperCase()}` };
  }
  const srcBlock = rule.src ? parseCidr(rule.src) : ANY;
  if (!srcBlock || !inCidr(src.ip, srcBlock)) {
    return { match: false, why: `source ${src.addr} is outside ${srcBlock?.text ?? rule.src}` };
  }
  const dstBlock = rule.dst ? parseCidr(rule.dst) : ANY;
  if (!dstBlock || !inCidr(dst.ip, dstBlock)) {
    return { match: false, why: `destination ${dst.addr} is outside ${dstBlock?.text ?? rule.dst}` };
  }
  if (rule.port !== undefined) {
    const range = parsePorts(rule.port);
    if (!range || dst.port === undefined || dst.port < range[0] || dst.port > range[1]) {
      const wanted = range ? formatPorts(range) : String(rule.port);
      return { match: false, why: `destination port ${dst.port ?? 'none'} is not ${range && range[0] !== range[1] ? `in ${wanted}` : wanted}` };
    }
  }
  const parts: string[] = [];
  if (rule.state) parts.push(rule.state.toUpperCase());
  if (proto !== 'any') parts.push(proto.toUpperCase());
  if (rule.src) parts.push(`from ${srcBlock.text}`);
  if (rule.dst) parts.push(`to ${dstBlock.text}`);
  if (rule.port !== undefined) parts.push(`port ${dst.port}`);
  return { match: true, why: parts.length > 0 ? `matches: ${parts.join(', ')}` : 'matches every packet in this direction' };
}

/** Runs the packets through the rules in order, tracking connections when `stateful` is on. */
export function evaluate(rules: readonly Rule[], packets: readonly Packet[], options: Options): Verdict[] {
  const policy = options.defaultPolicy ?? 'deny';
  // Flows by their original direction; `replied` once a packet came back the other way.
  const flows = new Map<string, { replied: boolean }>();

  return packets.map((packet, pi) => {
    const src = parseEndpoint(packet.src);
    const dst = parseEndpoint(packet.dst);
    let state: ConnState | 'untracked' = 'untracked';
    let flow: { replied: boolean } | undefined;
    let isReply = false;
    if (options.stateful && src && dst) {
      const forward = flows.get(flowKey(packet.proto, src, dst));
      const backward = flows.get(flowKey(packet.proto, dst, src));
      flow = forward ?? backward;
      isReply = !forward && backward !== undefined;
      // conntrack: a reply makes the flow ESTABLISHED; more packets the original way before any
      // reply (a retransmitted SYN) are still NEW.
      state = flow && (isReply || flow.replied) ? 'established' : 'new';
    }

    const checks: RuleCheck[] = [];
    let decided: number | null = null;
    rules.forEach((rule, ri) => {
      if (decided !== null) {
        checks.push({ rule: ri + 1, result: 'unreached', why: `not checked: rule ${decided} already decided` });
        return;
      }
      const m = matchRule(rule, packet, state);
      checks.push({ rule: ri + 1, result: m.match ? 'match' : 'miss', why: m.why });
      if (m.match) decided = ri + 1;
    });

    const verdict: Action = decided === null ? policy : rules[decided - 1]!.action;
    let opened = false;
    if (options.stateful && src && dst && verdict === 'allow') {
      if (flow && isReply) flow.replied = true;
      if (!flow) {
        flows.set(flowKey(packet.proto, src, dst), { replied: false });
        opened = true;
      }
    }
    const verb = verdict === 'allow' ? 'allowed' : 'denied';
    return {
      packet: pi + 1,
      state,
      verdict,
      rule: decided,
      checks,
      summary: decided === null ? `${verb} by the default policy` : `${verb} by rule ${decided}`,
      opened,
    };
  });
}

/** A rule in one line, for tables and screen readers: "allow in TCP from any to any port 443". */
export function describeRule(rule: Rule): string {
  const parts: string[] = [rule.action, rule.dir ?? 'in'];
  if (rule.state) parts.push(rule.state.toUpperCase());
  parts.push(rule.proto && rule.proto !== 'any' ? rule.proto.toUpperCase() : 'any protocol');
  parts.push(`from ${rule.src ?? 'any'}`, `to ${rule.dst ?? 'any'}`);
  if (rule.port !== undefined) {
    const r = parsePorts(rule.port);
    parts.push(`port ${r ? formatPorts(r) : rule.port}`);
  }
  return parts.join(' ');
}

/** A packet in one line: "TCP 198.51.100.7:51514 → 10.0.1.10:443". */
export function describePacket(packet: Packet): string {
  return `${packet.proto.toUpperCase()} ${packet.src} → ${packet.dst}`;
}
