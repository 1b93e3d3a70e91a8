import dnsPacket from 'dns-packet';
import { randomBytes, randomInt, randomWord } from '../kit/index.ts';
import type { Type } from './support.ts';

// A simulated DNS: a tree of zones, each served by a few name servers with random names and
// addresses, reached only through `world.transport` — the function the learner's resolver gets
// instead of a UDP socket. Servers answer like real ones: referrals with glue from parents,
// authoritative answers (following CNAMEs inside their own zone), NXDOMAIN and NODATA with the
// zone's SOA. Every test builds its own random world, so no answer can be known in advance.

export type Behaviour = 'ok' | 'silent' | 'servfail' | 'refused' | 'garbage' | 'spoofer' | 'upward';
export type SimRecord = { name: string; type: Type; ttl: number; data: any };
export type Server = { name: string; ip: string; behaviour: Behaviour };
export type Zone = {
  origin: string;
  parent?: Zone;
  servers: Server[];
  records: SimRecord[];
  children: Zone[];
  /** TTL of the zone's NS records and glue, as its parent hands them out in referrals. */
  nsTtl: number;
  soa: SimRecord;
};
/** One query as the transport saw it. */
export type Sent = { server: string; name: string; type: string; rd: boolean; id: number };

const lower = (n: string) => n.toLowerCase().replace(/\.$/, '') || '.';
const within = (name: string, zone: string) => zone === '.' || lower(name) === zone || lower(name).endsWith(`.${zone}`);
const child = (label: string, origin: string) => (origin === '.' ? label : `${label}.${origin}`);

export class World {
  readonly root: Zone;
  /** Every query the transport carried, in order, decoded by dns-packet. */
  readonly sent: Sent[] = [];
  /** Things the learner's resolver did that no test expects (queries that do not parse, unknown servers). */
  readonly problems: string[] = [];
  /** Records a server slips into every answer it gives: bait for a resolver that trusts too much. */
  readonly extra = new Map<string, SimRecord[]>();
  private zones = new Map<string, Zone>();
  private used = new Set<string>();

  constructor(rootServers = randomInt(2, 4)) {
    this.root = this.makeZone('.', undefined, rootServers, (i) => `${String.fromCharCode(97 + i)}.root-servers.test`);
  }

  /** The root servers' addresses: the resolver's root hints. */
  get rootHints(): string[] {
    return this.root.servers.map((s) => s.ip);
  }

  /** A label no other name in this world uses. */
  label(parts = 2): string {
    for (;;) {
      const l = randomInt(0, 3) === 0 ? `${randomWord(parts)}${randomInt(1, 99)}` : randomWord(parts);
      if (!this.used.has(l)) return this.used.add(l), l;
    }
  }

  /** A fresh name in a zone, e.g. "vora.kalo.mite". */
  name(zone: Zone): string {
    return child(this.label(), zone.origin);
  }

  /**
   * Delegates a new zone below `parent`. Its servers are named inside it ("ns1.<zone>"), so the
   * parent's referral carries glue; with `nsIn`, they are named in that other zone instead, and
   * whoever follows the referral must look their addresses up first.
   */
  zone(parent: Zone, opts: { servers?: number; nsIn?: Zone; label?: string } = {}): Zone {
    const origin = child(opts.label ?? this.label(), parent.origin);
    const host = opts.nsIn;
    const zone = this.makeZone(origin, parent, opts.servers ?? randomInt(1, 3), (i) => (host ? `${this.label()}.${host.origin}` : `ns${i + 1}.${origin}`));
    parent.children.push(zone);
    for (const s of zone.servers) this.add(host ?? zone, s.name, 'A', s.ip, zone.nsTtl);
    return zone;
  }

  /** Adds a record to a zone's authoritative data. */
  add(zone: Zone, name: string, type: Type, data: any, ttl = randomInt(60, 86_400)): SimRecord {
    const record = { name, type, ttl, data };
    zone.records.push(record);
    return record;
  }

  /** A zone by its origin. */
  get(origin: string): Zone | undefined {
    return this.zones.get(lower(origin));
  }

  private makeZone(origin: string, parent: Zone | undefined, count: number, nsName: (i: number) => string): Zone {
    const servers = Array.from({ length: count }, (_, i) => ({ name: nsName(i), ip: this.ip(), behaviour: 'ok' as Behaviour }));
    const soaTtl = randomInt(60, 7200);
    const soa: SimRecord = {
      name: origin, type: 'SOA', ttl: soaTtl,
      data: { mname: servers[0]!.name, rname: child('hostmaster', origin), serial: randomInt(1, 2 ** 31), refresh: 7200, retry: 900, expire: 1_209_600, minimum: randomInt(30, 7200) },
    };
    const zone: Zone = { origin, parent, servers, records: [], children: [], nsTtl: randomInt(3600, 172_800), soa };
    for (const s of servers) zone.records.push({ name: origin, type: 'NS', ttl: zone.nsTtl, data: s.name });
    this.zones.set(origin, zone);
    return zone;
  }

  private ips = new Set<string>();
  /** A server address no other server in this world has. */
  ip(): string {
    for (;;) {
      const ip = `${['192.0.2', '198.51.100', '203.0.113'][randomInt(0, 2)]}.${randomInt(1, 254)}`;
      if (!this.ips.has(ip)) return this.ips.add(ip), ip;
    }
  }

  private serverAt(ip: string): { zone: Zone; server: Server } | undefined {
    for (const zone of this.zones.values()) {
      const server = zone.servers.find((s) => s.ip === ip);
      if (server) return { zone, server };
    }
    return undefined;
  }

  /** The transport the learner's resolver is given: one query in, one response out (or a rejection). */
  transport = async (server: string, query: Uint8Array): Promise<Buffer> => {
    let q: dnsPacket.DecodedPacket;
    try {
      q = dnsPacket.decode(Buffer.from(query));
    } catch (err) {
      this.sent.push({ server, name: '(unreadable)', type: '(unreadable)', rd: false, id: -1 });
      this.problems.push(`a query to ${server} that dns-packet cannot decode (${(err as Error).message})`);
      throw new Error(`the query sent to ${server} is not a valid DNS message`);
    }
    const question = q.questions?.[0];
    this.sent.push({ server, name: question?.name ?? '(none)', type: String(question?.type ?? '(none)'), rd: Boolean(q.flag_rd), id: q.id ?? 0 });
    await new Promise((r) => setImmediate(r)); // a response arrives later, never in the same tick
    const at = this.serverAt(server);
    if (!at) {
      this.problems.push(`a query to ${server}, which is not a server in this hierarchy`);
      throw new Error(`no route to ${server}`);
    }
    if (!question || q.questions!.length !== 1) throw new Error(`${server} ignores a query without exactly one question`);
    const reply = (r: Answer) => {
      const flags = (q.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | (r.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (r.rcode ?? 0);
      return dnsPacket.encode({ id: q.id, type: 'response', flags, questions: q.questions, answers: r.answers ?? [], authorities: r.authorities ?? [], additionals: r.additionals ?? [] } as dnsPacket.Packet);
    };
    switch (at.server.behaviour) {
      case 'silent': throw new Error(`timed out waiting for ${server}`);
      case 'servfail': return reply({ rcode: 2 });
      case 'refused': return reply({ rcode: 5 });
      case 'garbage': return Buffer.concat([reply({}).subarray(0, 4), randomBytes(randomInt(2, 20))]);
      case 'spoofer': {
        const bogus = { name: question.name, type: question.type, class: 'IN', ttl: 86_400, data: question.type === 'AAAA' ? '2001:db8::bad' : '192.0.2.255' };
        return dnsPacket.encode({ id: (q.id! + randomInt(1, 65_535)) % 65_536, type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: q.questions, answers: [bogus] } as dnsPacket.Packet);
      }
      case 'upward': {
        const up = at.zone.parent ?? at.zone;
        return reply({ authorities: up.servers.map((s) => ns(up.origin, up.nsTtl, s.name)), additionals: up.servers.map((s) => a(s.name, up.nsTtl, s.ip)) });
      }
    }
    const answer = this.answer(at.zone, question.name, question.type as Type);
    answer.answers = [...(answer.answers ?? []), ...(this.extra.get(server) ?? []).map(toPacket)];
    return reply(answer);
  };

  /** What a server of `zone` says about name/type: a referral or an authoritative answer. */
  answer(zone: Zone, name: string, type: Type): Answer {
    if (!within(name, zone.origin)) return { rcode: 5 }; // not our zone: refuse
    const cut = zone.children.find((c) => within(name, c.origin));
    if (cut) {
      // A referral: not authoritative, the child's servers in the authority section, and an
      // address (glue) for each of them that lies inside the child zone.
      return {
        authorities: cut.servers.map((s) => ns(cut.origin, cut.nsTtl, s.name)),
        additionals: cut.servers.filter((s) => within(s.name, cut.origin)).map((s) => a(s.name, cut.nsTtl, s.ip)),
      };
    }
    const answers: any[] = [];
    let current = lower(name);
    const seen = new Set([current]);
    for (;;) {
      const here = zone.records.filter((r) => lower(r.name) === current);
      const match = here.filter((r) => r.type === type);
      if (match.length > 0) return { aa: true, answers: [...answers, ...match.map(toPacket)] };
      const alias = type === 'CNAME' ? undefined : here.find((r) => r.type === 'CNAME');
      if (alias) {
        answers.push(toPacket(alias));
        const target = lower(alias.data);
        // Chase the alias only while it stays in this zone, above any cut, and does not loop.
        if (seen.has(target) || !within(target, zone.origin) || zone.children.some((c) => within(target, c.origin))) return { aa: true, answers };
        seen.add(target);
        current = target;
        continue;
      }
      const exists = here.length > 0 || zone.records.some((r) => lower(r.name).endsWith(`.${current}`)) || zone.children.some((c) => c.origin.endsWith(`.${current}`));
      return { aa: true, answers, authorities: [toPacket(zone.soa)], rcode: exists ? 0 : 3 };
    }
  }
}

type Answer = { aa?: boolean; rcode?: number; answers?: any[]; authorities?: any[]; additionals?: any[] };

/** The root and `depth` zones, each delegated from the one before: [root, tld, domain, …]. */
export function zonePath(world: World, depth: number): Zone[] {
  const zones = [world.root];
  for (let i = 0; i < depth; i++) zones.push(world.zone(zones[zones.length - 1]!));
  return zones;
}

/** A fresh name in `zone` with 1–3 A records sharing one TTL, like a real RRset. */
export function addHost(world: World, zone: Zone, ttl = randomInt(60, 86_400)) {
  const name = world.name(zone);
  const ips = new Set<string>();
  const count = randomInt(1, 3);
  while (ips.size < count) ips.add(`${['192.0.2', '198.51.100', '203.0.113'][randomInt(0, 2)]}.${randomInt(1, 254)}`);
  return { name, records: [...ips].map((ip) => world.add(zone, name, 'A', ip, ttl)) };
}

function ns(zone: string, ttl: number, server: string) {
  return { name: zone, type: 'NS', class: 'IN', ttl, data: server };
}

function a(name: string, ttl: number, ip: string) {
  return { name, type: 'A', class: 'IN', ttl, data: ip };
}

/** dns-packet's shape; copies arrays, because dns-packet rewrites TXT data in place. */
export function toPacket(r: SimRecord) {
  return { name: r.name, type: r.type, class: 'IN', ttl: r.ttl, data: Array.isArray(r.data) ? [...r.data] : r.data };
}

/** Where an IP belongs, for messages: "a root server", "a server of kalo", … */
export function whose(world: World, ip: string): string {
  for (const origin of [...new Set(['.', ...worldOrigins(world)])]) {
    const zone = world.get(origin);
    const s = zone?.servers.find((x) => x.ip === ip);
    if (s) return origin === '.' ? `root server ${ip}` : `${s.name} (${ip}), a server of ${origin}`;
  }
  return `${ip} (not a server in this hierarchy)`;
}

function worldOrigins(world: World): string[] {
  const out: string[] = [];
  const walk = (z: Zone) => { out.push(z.origin); z.children.forEach(walk); };
  walk(world.root);
  return out;
}
