/**
 * A small model of a home router's NAT (strictly NAPT: many private sockets share one public
 * address and are told apart by port). Pure and deterministic: the clock is injected, so tests
 * and the <NatTable> component can replay a scenario and get the same table every time.
 *
 * What it models, and what it leaves out on purpose:
 * - One row per connection (protocol, private socket, remote socket), like Linux conntrack.
 * - Outbound packets get their source rewritten to the public address and a public port. The
 *   private port is kept when it is free (as Linux MASQUERADE tries to); otherwise the lowest free
 *   port in the range is used. Every dynamic row gets a public port no other row or forward uses,
 *   which is stricter than Linux (it only needs the whole tuple to be unique) but easier to read.
 * - Inbound packets are let in only when they match a row exactly (the remote must be the one the
 *   row was made for) or a port-forward rule. Everything else is dropped.
 * - Rows expire after an idle time per protocol. TCP states (SYN_SENT, FIN_WAIT…) are not modelled.
 * - Hairpinning (NAT loopback): a private host reaching a forwarded service through the public
 *   address is translated both ways, so replies come back through the router.
 */

export type Proto = 'tcp' | 'udp';
export type Endpoint = { ip: string; port: number };
export type Packet = { proto: Proto; src: Endpoint; dst: Endpoint };

/** "Traffic to publicIp:publicPort goes to `to`" (DNAT). */
export type PortForward = { proto: Proto; publicPort: number; to: Endpoint };

export type NatOptions = {
  /** The router's one public address, e.g. "203.0.113.7". */
  publicIp: string;
  /** The private network behind the router, as CIDR, e.g. "192.168.1.0/24". */
  lan: string;
  /** Public ports the router may hand out. Default 1024–65535. */
  ports?: { first: number; last: number };
  /** Keep the private source port when it is free. Default true. */
  preservePorts?: boolean;
  /** Idle seconds before a row is removed. Defaults: TCP 7440 (2 h 4 min, RFC 5382), UDP 120 (RFC 4787). */
  timeouts?: Partial<Record<Proto, number>>;
  forwards?: PortForward[];
  /** Translate private → public address → private connections both ways. Default true. */
  hairpin?: boolean;
  /** The clock, in seconds. */
  now: () => number;
};

export type Mapping = {
  id: number;
  proto: Proto;
  /** The private socket: the host behind the router. */
  inside: Endpoint;
  /** The public socket the router uses on the inside host's behalf. */
  outside: Endpoint;
  /** The far end as the inside host sees it. */
  remote: Endpoint;
  /** For hairpin rows only: the private server the connection really reaches. */
  target?: Endpoint;
  origin: 'outbound' | 'forward' | 'hairpin';
  created: number;
  lastSeen: number;
};

export type DropReason =
  /** Inbound, no row and no forward matches. */
  | 'unsolicited'
  /** Inbound, it would have matched a row that has already expired. */
  | 'expired'
  /** Not from the LAN and not addressed to the public IP, e.g. straight to 192.168.1.10. */
  | 'not-for-us'
  /** Both ends are on the LAN: the switch delivers it; the router never translates it. */
  | 'local'
  /** Every public port in the range is taken. */
  | 'no-free-port'
  /** A private host addressed the public IP and hairpinning is off, or no forward matches. */
  | 'no-hairpin';

export type Verdict =
  | { action: 'snat'; packet: Packet; mapping: Mapping; created: boolean }
  | { action: 'unnat'; packet: Packet; mapping: Mapping }
  | { action: 'dnat'; packet: Packet; mapping: Mapping; created: boolean; rule: PortForward }
  | { action: 'hairpin'; packet: Packet; mapping: Mapping; created: boolean }
  | { action: 'drop'; reason: DropReason; mapping?: Mapping };

export type Nat = {
  /** Passes one packet through the router. Idle rows are expired first. */
  handle(packet: Packet): { verdict: Verdict; expired: Mapping[] };
  /** Removes rows idle for at least their protocol's timeout and returns them. */
  expire(): Mapping[];
  /** The live rows, oldest first (copies). */
  table(): Mapping[];
  /** When a row will expire if nothing else uses it. */
  expiresAt(m: Mapping): number;
};

const DEFAULT_TIMEOUTS: Record<Proto, number> = { tcp: 7440, udp: 120 };

export function parseEndpoint(text: string): Endpoint {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text.trim());
  if (!m || !isIpv4(m[1]!)) throw new Error(`"${text}" is not an IPv4 address and port like 192.168.1.10:51000`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new Error(`"${text}" has a port outside 1–65535`);
  return { ip: m[1]!, port };
}

export const formatEndpoint = (e: Endpoint): string => `${e.ip}:${e.port}`;

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && String(Number(p)) === p);
}

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** Whether `ip` lies inside `cidr` ("192.168.1.0/24"). */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || !isIpv4(base) || !isIpv4(ip) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  // Bitwise operators would go negative above 2^31, so compare the network parts arithmetically.
  const size = 2 ** (32 - bits);
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

/** The RFC 1918 private ranges and RFC 6598 shared (CGNAT) space, with the matching one for an address. */
export const SPECIAL_RANGES = [
  { cidr: '10.0.0.0/8', name: 'private (RFC 1918)' },
  { cidr: '172.16.0.0/12', name: 'private (RFC 1918)' },
  { cidr: '192.168.0.0/16', name: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', name: 'shared CGNAT space (RFC 6598)' },
] as const;

export function classify(ip: string): string {
  return SPECIAL_RANGES.find((r) => inCidr(ip, r.cidr))?.name ?? 'public';
}

const same = (a: Endpoint, b: Endpoint) => a.ip === b.ip && a.port === b.port;

export function createNat(options: NatOptions): Nat {
  const { publicIp, lan, now } = options;
  const range = options.ports ?? { first: 1024, last: 65535 };
  const preserve = options.preservePorts ?? true;
  const hairpin = options.hairpin ?? true;
  const forwards = options.forwards ?? [];
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let rows: Mapping[] = [];
  /** Rows that expired, newest last, so a late reply can be told apart from a stranger's packet. */
  const gone: Mapping[] = [];
  let nextId = 1;

  const expiresAt = (m: Mapping) => m.lastSeen + timeouts[m.proto];

  function expire(): Mapping[] {
    const t = now();
    const dead = rows.filter((m) => t >= expiresAt(m));
    if (dead.length > 0) {
      rows = rows.filter((m) => !dead.includes(m));
      gone.push(...dead);
    }
    return dead.map((m) => ({ ...m }));
  }

  function portTaken(proto: Proto, port: number): boolean {
    return (
      rows.some((m) => m.proto === proto && m.outside.port === port) ||
      forwards.some((f) => f.proto === proto && f.publicPort === port)
    );
  }

  function allocate(proto: Proto, wanted: number): number | undefined {
    if (preserve && wanted >= range.first && wanted <= range.last && !portTaken(proto, wanted)) return wanted;
    for (let p = range.first; p <= range.last; p++) if (!portTaken(proto, p)) return p;
    return undefined;
  }

  function add(m: Omit<Mapping, 'id' | 'created' | 'lastSeen'>): Mapping {
    const t = now();
    const row: Mapping = { ...m, id: nextId++, created: t, lastSeen: t };
    rows.push(row);
    return row;
  }

  const touch = (m: Mapping) => {
    m.lastSeen = now();
    return { ...m };
  };

  function outbound(p: Packet): Verdict {
    if (inCidr(p.dst.ip, lan)) return { action: 'drop', reason: 'local' };
    // A reply from a private server that is part of a hairpinned connection.
    const back = rows.find(
      (m) => m.origin === 'hairpin' && m.proto === p.proto && same(m.target!, p.src) && same(m.outside, p.dst),
    );
    if (back) {
      return { action: 'hairpin', created: false, packet: { proto: p.proto, src: back.remote, dst: back.inside }, mapping: touch(back) };
    }
    const row = rows.find((m) => m.proto === p.proto && same(m.inside, p.src) && same(m.remote, p.dst));
    if (row?.target) {
      return { action: 'hairpin', created: false, packet: { proto: p.proto, src: row.outside, dst: row.target }, mapping: touch(row) };
    }
    if (row) return { action: 'snat', created: false, packet: { ...p, src: row.outside }, mapping: touch(row) };
    if (p.dst.ip === publicIp) {
      const rule = forwards.find((f) => f.proto === p.proto && f.publicPort === p.dst.port);
      if (!hairpin || !rule) return { action: 'drop', reason: 'no-hairpin' };
      const port = allocate(p.proto, p.src.port);
      if (port === undefined) return { action: 'drop', reason: 'no-free-port' };
      const m = add({ proto: p.proto, inside: p.src, outside: { ip: publicIp, port }, remote: p.dst, target: rule.to, origin: 'hairpin' });
      return { action: 'hairpin', created: true, packet: { proto: p.proto, src: m.outside, dst: rule.to }, mapping: { ...m } };
    }
    const port = allocate(p.proto, p.src.port);
    if (port === undefined) return { action: 'drop', reason: 'no-free-port' };
    const m = add({ proto: p.proto, inside: p.src, outside: { ip: publicIp, port }, remote: p.dst, origin: 'outbound' });
    return { action: 'snat', created: true, packet: { ...p, src: m.outside }, mapping: { ...m } };
  }

  function inbound(p: Packet): Verdict {
    if (p.dst.ip !== publicIp) return { action: 'drop', reason: 'not-for-us' };
    const row = rows.find((m) => m.proto === p.proto && m.origin !== 'hairpin' && same(m.outside, p.dst) && same(m.remote, p.src));
    if (row) return { action: 'unnat', packet: { ...p, dst: row.inside }, mapping: touch(row) };
    const rule = forwards.find((f) => f.proto === p.proto && f.publicPort === p.dst.port);
    if (rule) {
      const m = add({ proto: p.proto, inside: rule.to, outside: p.dst, remote: p.src, origin: 'forward' });
      return { action: 'dnat', created: true, rule, packet: { ...p, dst: rule.to }, mapping: { ...m } };
    }
    const old = [...gone].reverse().find((m) => m.proto === p.proto && same(m.outside, p.dst) && same(m.remote, p.src));
    return old ? { action: 'drop', reason: 'expired', mapping: { ...old } } : { action: 'drop', reason: 'unsolicited' };
  }

  return {
    handle(packet) {
      const expired = expire();
      const verdict = inCidr(packet.src.ip, lan) ? outbound(packet) : inbound(packet);
      return { verdict, expired };
    },
    expire,
    table: () => rows.map((m) => ({ ...m })),
    expiresAt,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Scenarios: what <NatTable> replays. A step is either a new packet or a reply to an earlier   */
/* step, written the way the receiver would send it (swap the source and destination it saw).   */
/* ------------------------------------------------------------------------------------------ */

export type ScenarioStep =
  | { at: number; proto?: Proto; from: string; to: string; label?: string }
  | { at: number; replyTo: number; label?: string };

export type Frame = {
  /** 1-based step number. */
  n: number;
  at: number;
  label?: string;
  /** Who sent it: a private host ("out") or something on the internet ("in"). */
  direction: 'out' | 'in';
  before: Packet;
  verdict: Verdict;
  /** Rows that timed out just before this packet arrived. */
  expired: Mapping[];
  /** The table after this packet. */
  table: Mapping[];
  /** When each live row will expire, by id. */
  expires: Record<number, number>;
  /** The step in one or two sentences. */
  text: string;
};

export type ScenarioOptions = Omit<NatOptions, 'now'> & {
  /** Friendly names for addresses, e.g. { '192.168.1.10': 'Laptop' }. */
  names?: Record<string, string>;
};

export class ScenarioError extends Error {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

/** Replays the steps in order on a simulated clock and returns one frame per step. */
export function runScenario(options: ScenarioOptions, steps: ScenarioStep[]): Frame[] {
  let clock = 0;
  const nat = createNat({ ...options, now: () => clock });
  const frames: Frame[] = [];
  steps.forEach((step, i) => {
    const n = i + 1;
    if (step.at < clock) throw new ScenarioError(n, `step ${n} happens at ${step.at} s, before step ${n - 1} (${clock} s)`);
    clock = step.at;
    let before: Packet;
    if ('replyTo' in step) {
      const earlier = frames[step.replyTo - 1];
      if (!earlier || step.replyTo >= n) throw new ScenarioError(n, `step ${n} replies to step ${step.replyTo}, which is not an earlier step`);
      if (earlier.verdict.action === 'drop') {
        throw new ScenarioError(n, `step ${n} replies to step ${step.replyTo}, but the router dropped that packet, so nobody received it`);
      }
      const got = earlier.verdict.packet;
      before = { proto: got.proto, src: got.dst, dst: got.src };
    } else {
      before = { proto: step.proto ?? 'tcp', src: parseEndpoint(step.from), dst: parseEndpoint(step.to) };
    }
    if (inCidr(before.src.ip, options.lan) && inCidr(before.dst.ip, options.lan)) {
      throw new ScenarioError(n, `step ${n} goes from one private host to another, so it never passes through the NAT`);
    }
    const { verdict, expired } = nat.handle(before);
    const table = nat.table();
    const direction = inCidr(before.src.ip, options.lan) ? 'out' : 'in';
    frames.push({
      n,
      at: step.at,
      label: step.label,
      direction,
      before,
      verdict,
      expired,
      table,
      expires: Object.fromEntries(table.map((m) => [m.id, nat.expiresAt(m)])),
      text: describeFrame({ before, verdict, expired, label: step.label }, options),
    });
  });
  return frames;
}

/** "Laptop 192.168.1.10:51000" when the address has a name, else just the socket. */
export function nameOf(e: Endpoint, names: Record<string, string> = {}): string {
  const name = names[e.ip];
  return name ? `${name} ${formatEndpoint(e)}` : formatEndpoint(e);
}

const PROTO = { tcp: 'TCP', udp: 'UDP' } as const;

export function describeFrame(
  f: Pick<Frame, 'before' | 'verdict' | 'expired' | 'label'>,
  options: Pick<ScenarioOptions, 'names' | 'timeouts'>,
): string {
  const names = options.names ?? {};
  const n = (e: Endpoint) => nameOf(e, names);
  const what = `${PROTO[f.before.proto]}${f.label ? ` ${f.label}` : ''}`;
  const head = `${what} from ${n(f.before.src)} to ${n(f.before.dst)}.`;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const expiredText = f.expired.length
    ? ` Before it arrives, ${f.expired
        .map((m) => `row ${m.id} (${n(m.inside)}) expires after ${timeouts[m.proto]} s without traffic`)
        .join(', and ')}.`
    : '';
  const v = f.verdict;
  let body: string;
  switch (v.action) {
    case 'snat':
      body = v.created
        ? ` The router rewrites the source to ${formatEndpoint(v.packet.src)} and adds a row to its table.`
        : ` It matches row ${v.mapping.id}, so the router rewrites the source to ${formatEndpoint(v.packet.src)}.`;
      break;
    case 'unnat':
      body = ` It matches row ${v.mapping.id}, so the router rewrites the destination to ${n(v.packet.dst)} and delivers it.`;
      break;
    case 'dnat':
      body = ` No row matches, but a port forward does: the router rewrites the destination to ${n(v.packet.dst)} and adds a row so the replies go out through ${formatEndpoint(v.mapping.outside)}.`;
      break;
    case 'hairpin':
      body = v.created
        ? ` A private host is using the public address. The router forwards it to ${n(v.packet.dst)} and also rewrites the source to ${formatEndpoint(v.packet.src)}, so the reply comes back through the router (hairpinning).`
        : ` It belongs to a hairpinned connection: the router rewrites it to ${n(v.packet.src)} → ${n(v.packet.dst)}.`;
      break;
    case 'drop':
      body = ` Dropped: ${DROP_TEXT[v.reason]}`;
      break;
  }
  return `${head}${expiredText}${body}`;
}

const DROP_TEXT: Record<DropReason, string> = {
  unsolicited: 'no row in the table matches it and no port forward covers that port, so the router has nowhere to send it.',
  expired: 'its row has already expired, so the router no longer knows which private host it belongs to.',
  'not-for-us': 'it is addressed to a private address, which the internet does not route to this router.',
  local: 'both ends are on the private network, so the switch delivers it directly and the router never sees it.',
  'no-free-port': 'every public port in the range is in use, so the router cannot open another mapping.',
  'no-hairpin': 'the router does not loop traffic for its own public address back inside.',
};
