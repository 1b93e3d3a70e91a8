// The resolver's memory. Every record carries a TTL: how many seconds anyone may reuse it. The
// cache stores each RRset (all records of one name and type) with the time it arrived, hands it
// out with the TTL counted down, and forgets it when the TTL runs out. It also remembers
// negative answers (RFC 2308), so a name that does not exist is not asked about again and again.

import type { RecordType, ResourceRecord } from './message.ts';

interface Entry {
  records: ResourceRecord[];
  /** When it arrived, in ms on the injected clock. */
  storedAt: number;
  /** The smallest TTL in the set: RFC 2181 §5.2 says one RRset lives and dies as a whole. */
  ttl: number;
}

interface Negative {
  rcode: number;
  soa: ResourceRecord;
  storedAt: number;
  ttl: number;
}

const key = (name: string, type: RecordType | number | '*') => `${name.toLowerCase().replace(/\.$/, '')}|${type}`;

export class Cache {
  private sets = new Map<string, Entry>();
  private negatives = new Map<string, Negative>();

  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** Seconds left, or 0 once expired. Whole seconds, rounded down, like a TTL on the wire. */
  private left(storedAt: number, ttl: number): number {
    return Math.max(0, ttl - Math.floor((this.now() - storedAt) / 1000));
  }

  /** Stores records, grouped into RRsets. A newer set replaces an older one for the same name and type. */
  put(records: ResourceRecord[]): void {
    const groups = new Map<string, ResourceRecord[]>();
    for (const r of records) {
      const k = key(r.name, r.type);
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const [k, set] of groups) {
      const ttl = Math.min(...set.map((r) => r.ttl));
      if (ttl > 0) this.sets.set(k, { records: set, storedAt: this.now(), ttl }); // TTL 0: use once, never store
    }
  }

  /** The fresh RRset for name and type with TTLs counted down, or undefined. */
  get(name: string, type: RecordType): ResourceRecord[] | undefined {
    const k = key(name, type);
    const entry = this.sets.get(k);
    if (!entry) return undefined;
    const ttl = this.left(entry.storedAt, entry.ttl);
    if (ttl === 0) {
      this.sets.delete(k);
      return undefined;
    }
    return entry.records.map((r) => ({ ...r, ttl }));
  }

  /**
   * Remembers "no such name" (NXDOMAIN, for every type of the name) or "no records of this type"
   * (NODATA, rcode 0). RFC 2308 §5: for as long as the smaller of the SOA's own TTL and its
   * MINIMUM field.
   */
  putNegative(name: string, type: RecordType, rcode: number, soa: ResourceRecord): void {
    if (soa.type !== 'SOA') return;
    const ttl = Math.min(soa.ttl, soa.data.minimum);
    if (ttl > 0) this.negatives.set(key(name, rcode === 0 ? type : '*'), { rcode, soa, storedAt: this.now(), ttl });
  }

  /** A fresh negative answer for name and type, its SOA's TTL set to the time left. */
  getNegative(name: string, type: RecordType): { rcode: number; soa: ResourceRecord } | undefined {
    for (const k of [key(name, '*'), key(name, type)]) {
      const entry = this.negatives.get(k);
      if (!entry) continue;
      const ttl = this.left(entry.storedAt, entry.ttl);
      if (ttl === 0) {
        this.negatives.delete(k);
        continue;
      }
      return { rcode: entry.rcode, soa: { ...entry.soa, ttl } };
    }
    return undefined;
  }
}
