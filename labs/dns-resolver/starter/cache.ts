// Stage 5: the resolver's memory. Every record carries a TTL, the number of seconds anyone may
// reuse it. Keep each RRset (all records of one name and type) with the time it arrived, hand it
// out with its TTL counted down, and forget it once the TTL has run out. Remember negative
// answers too (RFC 2308), so a name that does not exist is not asked about again and again.
//
// Until stage 5 this cache remembers nothing, so a resolver that already calls it works as if
// every lookup were the first.

import type { RecordType, ResourceRecord } from './message.ts';

export class Cache {
  /** The injected clock, in ms like Date.now: read it, never Date.now, so tests can move time. */
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /**
   * Stores records, grouped by name (compared without letter case) and type. A newer set
   * replaces the older one for the same name and type. Records with TTL 0 are used once, never stored.
   */
  put(records: ResourceRecord[]): void {
    // TODO stage 5: remember each group with this.now() and its TTL.
    void records;
  }

  /**
   * The fresh records for a name and type, each with its TTL counted down: the TTL minus the whole
   * seconds (rounded down) since it was stored. A record whose TTL has reached 0 is expired.
   */
  get(name: string, type: RecordType): ResourceRecord[] | undefined {
    // TODO stage 5
    void [name, type, this.now];
    return undefined;
  }

  /**
   * Remembers a negative answer: NXDOMAIN (rcode 3: the name has no records of any type) or
   * NODATA (rcode 0: none of this type). RFC 2308: keep it for the smaller of the SOA record's
   * own TTL and its MINIMUM field.
   */
  putNegative(name: string, type: RecordType, rcode: number, soa: ResourceRecord): void {
    // TODO stage 5
    void [name, type, rcode, soa];
  }

  /** A fresh negative answer for this name and type, with the SOA's TTL set to the seconds left. */
  getNegative(name: string, type: RecordType): { rcode: number; soa: ResourceRecord } | undefined {
    // TODO stage 5
    void [name, type];
    return undefined;
  }
}
