// An iterative resolver: it starts at the root and follows referrals down the tree, asking one
// server at a time, until an authoritative server answers. The network is injected, so the same
// code runs against real servers over UDP or, in the tests, against a simulated internet.

import { randomInt } from 'node:crypto';
import { Cache } from './cache.ts';
import { decodeMessage, encodeQuery, RCODE, type Message, type RecordType, type ResourceRecord } from './message.ts';

/** Sends one query to the server at `server` (an IP address) and resolves with its response. */
export type Transport = (server: string, query: Buffer) => Promise<Uint8Array>;

export interface ResolverOptions {
  /** Addresses of the root servers: where every walk down the tree starts. */
  rootHints: string[];
  transport: Transport;
  /** The clock for TTLs, in ms like Date.now (the default). */
  now?: () => number;
}

/** One query the resolver sent, in order. */
export interface TraceStep {
  server: string;
  name: string;
  type: RecordType;
}

export interface Resolution {
  /** RCODE.NOERROR or RCODE.NXDOMAIN. */
  rcode: number;
  /** CNAMEs from the name asked to the last alias, then the records of the type asked. */
  answers: ResourceRecord[];
  /** For a negative answer (NXDOMAIN, or NOERROR without records), the zone's SOA. */
  authorities: ResourceRecord[];
  trace: TraceStep[];
}

export interface Resolver {
  resolve(name: string, type: RecordType): Promise<Resolution>;
}

export const MAX_CNAMES = 8;
/** Every query of one resolve() counts, side lookups included: a broken hierarchy cannot keep us busy. */
const MAX_QUERIES = 60;
/** How deep side lookups of name server addresses may nest (to find ns1.a, first find ns1.b, …). */
const MAX_NS_DEPTH = 4;

/** What one zone's servers said about a name: the records, an alias, or a negative answer. */
type Step =
  | { kind: 'records'; records: ResourceRecord[] }
  | { kind: 'alias'; cname: Extract<ResourceRecord, { type: 'CNAME' }> }
  | { kind: 'negative'; rcode: number; soa?: ResourceRecord };

type Run = { trace: TraceStep[] };

const lower = (n: string) => n.toLowerCase().replace(/\.$/, '') || '.';
/** Is `name` equal to `zone` or below it? ("a.b.test" is in "b.test" and in "."). */
const inZone = (name: string, zone: string) => zone === '.' || lower(name) === zone || lower(name).endsWith(`.${zone}`);

export function createResolver(options: ResolverOptions): Resolver {
  const cache = new Cache(options.now ?? Date.now);

  /** Asks one server; null when it failed, timed out, or sent something that is not our answer. */
  async function ask(server: string, name: string, type: RecordType, run: Run): Promise<Message | null> {
    if (run.trace.length >= MAX_QUERIES) throw new Error(`Gave up on ${name}/${type} after ${MAX_QUERIES} queries.`);
    // A fresh random ID per query: a spoofed answer has to guess it (RFC 5452).
    const id = randomInt(0, 0x10000);
    run.trace.push({ server, name, type });
    try {
      const reply = decodeMessage(await options.transport(server, encodeQuery({ id, name, type, rd: false })));
      const q = reply.questions[0];
      // Not the answer to our question: treat it like no answer at all.
      if (reply.header.id !== id || !reply.header.qr || !q || lower(q.name) !== lower(name) || q.type !== type) return null;
      // A server that cannot or will not answer is "lame"; another server of the zone may do better.
      if (reply.header.rcode !== RCODE.NOERROR && reply.header.rcode !== RCODE.NXDOMAIN) return null;
      return reply;
    } catch {
      return null; // silent, unreachable, or unreadable: try the next server
    }
  }

  /** Where a walk stands: a zone, the names of its servers, and the addresses the referral gave (glue). */
  type Cut = { zone: string; servers: string[]; glue: Map<string, string[]> };

  /** The deepest zone we know servers for: a cached delegation, or else the root. */
  function closestZone(name: string): Cut {
    const labels = lower(name) === '.' ? [] : lower(name).split('.');
    for (let i = 0; i < labels.length; i++) {
      const zone = labels.slice(i).join('.');
      const ns = cache.get(zone, 'NS');
      if (ns) return { zone, servers: ns.map((r) => r.data as string), glue: new Map() };
    }
    return { zone: '.', servers: [], glue: new Map() };
  }

  /** Addresses to try for a zone, glued or cached ones first; glueless ones are looked up only if those fail. */
  async function* addresses({ zone, servers, glue }: Cut, run: Run, depth: number): AsyncGenerator<string> {
    if (zone === '.' && servers.length === 0) return yield* options.rootHints;
    const known = servers.map((ns) => glue.get(lower(ns)) ?? cache.get(ns, 'A')?.map((r) => r.data as string) ?? []);
    for (const ips of known) yield* ips;
    for (const [i, ns] of servers.entries()) {
      // Without glue, a server inside the zone it serves can never be found: skip it.
      if (known[i]!.length > 0 || inZone(ns, zone) || depth >= MAX_NS_DEPTH) continue;
      try {
        const found = await lookup(ns, 'A', run, depth + 1);
        yield* found.answers.filter((r) => r.type === 'A').map((r) => r.data as string);
      } catch {
        // That name server cannot be found; perhaps another one can.
      }
    }
  }

  /** Walks down from the closest known zone until a server answers for `name` itself. */
  async function walk(name: string, type: RecordType, run: Run, depth: number): Promise<Step> {
    let cut = closestZone(name);
    for (;;) {
      const zone = cut.zone;
      let next: Cut | null = null;
      let step: Step | null = null;
      for await (const ip of addresses(cut, run, depth)) {
        const reply = await ask(ip, name, type, run);
        if (!reply) continue;
        // Bailiwick: a server speaks only for its own zone. Anything about other names is
        // ignored, or one bad server could plant answers for any name (cache poisoning).
        const mine = (r: ResourceRecord) => inZone(r.name, zone);
        const answers = reply.answers.filter(mine);
        const down = reply.authorities.find((r) => r.type === 'NS' && mine(r) && lower(r.name) !== zone && inZone(name, lower(r.name)));
        if (answers.length === 0 && reply.header.rcode === RCODE.NOERROR && !reply.header.aa && down) {
          // A referral to a zone closer to the name: its servers, and the addresses given for them.
          const child = lower(down.name);
          const ns = reply.authorities.filter((r) => r.type === 'NS' && lower(r.name) === child);
          const names = new Set(ns.map((r) => lower(r.data as string)));
          const glue = reply.additionals.filter((r) => r.type === 'A' && names.has(lower(r.name)) && mine(r));
          cache.put([...ns, ...glue]); // so the next name in this zone skips the walk (stage 5)
          const byName = new Map<string, string[]>();
          for (const r of glue) byName.set(lower(r.name), [...(byName.get(lower(r.name)) ?? []), r.data as string]);
          next = { zone: child, servers: ns.map((r) => r.data as string), glue: byName };
          break;
        }
        if (answers.length === 0 && reply.header.rcode === RCODE.NOERROR && reply.authorities.some((r) => r.type === 'NS') && !reply.header.aa) {
          continue; // a referral sideways or upwards: this server is lame, and following it could loop
        }
        cache.put(answers);
        step = stepFor(name, type, reply, answers, zone);
        break;
      }
      if (step) return step;
      if (!next) throw new Error(`No server of zone "${zone}" answered for ${name}/${type}.`);
      cut = next;
    }
  }

  /** Reads an authoritative reply: the records asked for, an alias to follow, or a negative answer. */
  function stepFor(name: string, type: RecordType, reply: Message, answers: ResourceRecord[], zone: string): Step {
    const at = (n: string) => answers.filter((r) => lower(r.name) === lower(n));
    const records = at(name).filter((r) => r.type === type);
    if (records.length > 0) return { kind: 'records', records };
    const cname = at(name).find((r) => r.type === 'CNAME');
    // The server may have followed the alias itself; the cache now holds what it found.
    if (cname && cname.type === 'CNAME') {
      if (reply.header.rcode === RCODE.NXDOMAIN) {
        const soa = reply.authorities.find((r) => r.type === 'SOA' && inZone(r.name, zone));
        // The name that does not exist is the end of the chain in this answer (bounded: a loop must not spin).
        let last = cname.data;
        for (let i = 0; i < answers.length; i++) last = (at(last).find((r) => r.type === 'CNAME')?.data as string | undefined) ?? last;
        if (soa) cache.putNegative(last, type, RCODE.NXDOMAIN, soa);
      }
      return { kind: 'alias', cname };
    }
    const soa = reply.authorities.find((r) => r.type === 'SOA' && inZone(r.name, zone));
    if (soa) cache.putNegative(name, type, reply.header.rcode, soa);
    return { kind: 'negative', rcode: reply.header.rcode, soa };
  }

  /** One name, from the cache if possible: its records, its alias, or a negative answer. */
  async function step(name: string, type: RecordType, run: Run, depth: number): Promise<Step> {
    const records = cache.get(name, type);
    if (records) return { kind: 'records', records };
    const negative = cache.getNegative(name, type);
    if (negative) return { kind: 'negative', rcode: negative.rcode, soa: negative.soa };
    const cname = type === 'CNAME' ? undefined : cache.get(name, 'CNAME')?.[0];
    if (cname?.type === 'CNAME') return { kind: 'alias', cname };
    return walk(name, type, run, depth);
  }

  /** Resolves a name, following CNAMEs across zones, each one looked up like a new name. */
  async function lookup(name: string, type: RecordType, run: Run, depth: number): Promise<Omit<Resolution, 'trace'>> {
    const chain: ResourceRecord[] = [];
    const seen = [lower(name)];
    let current = name;
    for (;;) {
      const result = await step(current, type, run, depth);
      if (result.kind === 'records') return { rcode: RCODE.NOERROR, answers: [...chain, ...result.records], authorities: [] };
      if (result.kind === 'negative') return { rcode: result.rcode, answers: chain, authorities: result.soa ? [result.soa] : [] };
      chain.push(result.cname);
      const target = lower(result.cname.data);
      if (seen.includes(target)) throw new Error(`CNAME loop: ${[...seen, target].join(' → ')}.`);
      if (chain.length > MAX_CNAMES) throw new Error(`CNAME chain from ${name} is longer than ${MAX_CNAMES} aliases; giving up.`);
      seen.push(target);
      current = result.cname.data;
    }
  }

  return {
    async resolve(name, type) {
      const run: Run = { trace: [] };
      const result = await lookup(name, type, run, 0);
      return { ...result, trace: run.trace };
    },
  };
}
