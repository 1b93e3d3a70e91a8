import { Cache } from './cache.ts';
import type { RecordType, ResourceRecord } from './message.ts';

// Stages 3 to 5: an iterative resolver. It knows only the root servers' addresses. To find a
// name it asks a root server, which refers it to the TLD's servers, which refer it to the
// zone's servers, which answer. The network is injected: `transport` sends one query to one
// server and resolves with its response (the tests simulate a whole internet behind it).

/** Sends one query to the server at `server` (an IP address) and resolves with its response. */
export type Transport = (server: string, query: Buffer) => Promise<Uint8Array>;

export interface ResolverOptions {
  /** Addresses of the root servers: where every walk down the tree starts. */
  rootHints: string[];
  transport: Transport;
  /** The clock for TTLs, in ms like Date.now (the default). Pass it to the Cache. */
  now?: () => number;
}

/** One query the resolver sent. */
export interface TraceStep {
  /** The address it went to. */
  server: string;
  name: string;
  type: RecordType;
}

export interface Resolution {
  /** 0 (NOERROR) or 3 (NXDOMAIN: the name does not exist). */
  rcode: number;
  /** Every CNAME from the name asked to the last alias, in order, then the records of the type asked. */
  answers: ResourceRecord[];
  /** For a negative answer (NXDOMAIN, or NOERROR with no answers: NODATA), the zone's SOA record. */
  authorities: ResourceRecord[];
  /** Every query sent for this resolve() call, in order, failed ones and side lookups included. */
  trace: TraceStep[];
}

export interface Resolver {
  resolve(name: string, type: RecordType): Promise<Resolution>;
}

/** Stage 4: follow at most this many CNAMEs; a longer chain is an error. */
export const MAX_CNAMES = 8;

/**
 * Creates a resolver. What each stage adds:
 *
 * 3. Start at a root server. Send a query (RD clear: we recurse ourselves; a fresh random ID
 *    each time) through `transport`. A response with no answer and NS records in its authority
 *    section is a referral: ask one of those servers next, at the address the additional section
 *    gives (glue); for a name server without glue, resolve its A record first. Stop when a
 *    server answers with the records. Record each query in `trace`.
 * 4. Follow CNAMEs to other zones (loops and chains over MAX_CNAMES reject with an Error that
 *    says "loop" / "CNAME"); tell NXDOMAIN from NODATA; when a server fails (the transport
 *    rejects, an rcode other than 0 or 3, an undecodable or unmatched response — wrong ID or
 *    question), try the next one; reject when none is left; never follow a referral that does
 *    not lead to a zone below the one just asked.
 * 5. Use the Cache: answers, negative answers and referrals (NS records and their glue), and
 *    only records for names inside the zone of the server that sent them.
 */
export function createResolver(options: ResolverOptions): Resolver {
  const cache = new Cache(options.now ?? Date.now);
  return {
    async resolve(name, type) {
      // TODO stage 3: encodeQuery → options.transport(server, query) → decodeMessage, in a loop
      //   that moves down the tree one referral at a time.
      void cache;
      throw new Error(`resolve("${name}", "${type}") is not implemented yet`);
    },
  };
}
