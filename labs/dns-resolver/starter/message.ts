// DNS messages to and from bytes (RFC 1035 §4.1). Stages 1 and 2 are all in this file.
//
// Every DNS message, query or response, has the same layout:
//
//   +---------------------+
//   | header (12 bytes)   |  ID, flags, and how many entries each section below holds
//   | question            |  what is being asked: name, type, class
//   | answer              |  resource records that answer it
//   | authority           |  records naming the servers to ask next (NS) or the zone (SOA)
//   | additional          |  helpful extras, such as the addresses of those servers (glue)
//   +---------------------+
//
// Write the bytes yourself with Buffer (or Uint8Array and DataView): no DNS library.

/** The record types this lab understands. Any other type is kept as its number and raw bytes. */
export type RecordType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

/** Type numbers from RFC 1035 §3.2.2 (AAAA from RFC 3596). */
export const TYPE: Record<RecordType, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };

/** The Internet class. Every record in this lab is IN. */
export const CLASS_IN = 1;

/** Response codes (RFC 1035 §4.1.1), the last four bits of the flags. */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/**
 * The header fields, named as in RFC 1035 and in dig's "flags:" line. On the wire the flags are
 * one 16-bit number: QR(1) OPCODE(4) AA(1) TC(1) RD(1) RA(1) Z(3) RCODE(4), most significant first.
 */
export interface Header {
  /** Chosen by the asker, copied into the response so the two can be matched. */
  id: number;
  /** false in a query, true in a response. */
  qr: boolean;
  /** 0 for a standard query. */
  opcode: number;
  /** Authoritative Answer: the responding server owns the zone. */
  aa: boolean;
  /** TrunCation: the message did not fit (over UDP) and was cut. */
  tc: boolean;
  /** Recursion Desired: "please do the whole lookup for me". */
  rd: boolean;
  /** Recursion Available: the server offers recursion. */
  ra: boolean;
  /** 0 NOERROR, 3 NXDOMAIN, … (see RCODE). */
  rcode: number;
}

export interface Question {
  /** Without a trailing dot, e.g. "www.example.test"; the root is ".". */
  name: string;
  /** A known type by name, any other by number. */
  type: RecordType | number;
  class: number;
}

/** The data of an SOA record: the zone's primary server, its admin's mailbox, and timers in seconds. */
export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  /** Since RFC 2308: how long others may cache "no such name" answers from this zone. */
  minimum: number;
}

export interface Mx {
  preference: number;
  exchange: string;
}

interface RecordBase {
  /** The owner name, as written in the message (keep its letter case), the root as ".". */
  name: string;
  class: number;
  /** Seconds this record may be cached. */
  ttl: number;
}

/**
 * A resource record. `data` depends on the type: A and AAAA hold an address as text
 * ("192.0.2.1", "2001:db8::1"; bytesToAddress and addressToBytes at the end of this file
 * convert), NS and CNAME a name, MX and SOA an object, TXT its character-strings (each one a
 * length byte and that many bytes); any other type keeps its number and its raw RDATA bytes.
 */
export type ResourceRecord =
  | (RecordBase & { type: 'A'; data: string })
  | (RecordBase & { type: 'AAAA'; data: string })
  | (RecordBase & { type: 'NS'; data: string })
  | (RecordBase & { type: 'CNAME'; data: string })
  | (RecordBase & { type: 'MX'; data: Mx })
  | (RecordBase & { type: 'TXT'; data: string[] })
  | (RecordBase & { type: 'SOA'; data: Soa })
  | (RecordBase & { type: number; data: Uint8Array });

export interface Message {
  header: Header;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

/**
 * Stage 1. Encodes a standard query with one question of class IN: a 12-byte header (this ID,
 * flags with only RD set when `rd` is true, QDCOUNT 1, the other counts 0), then the name as
 * length-prefixed labels ending in a zero byte, then QTYPE and QCLASS as 16-bit numbers.
 *
 * A trailing dot adds nothing ("a.test." is "a.test"); "." is the root, a single zero byte.
 * Throw an Error when the name cannot be encoded, saying why: a label over 63 bytes (the message
 * must mention 63), a name over 255 bytes on the wire, length bytes and final zero included
 * (mention 255), or an empty label as in "a..test" or ".a.test" (mention "empty").
 *
 * @example
 * encodeQuery({ id: 0x1234, name: 'ab.test', type: 'A', rd: true })
 * // 12 34 01 00 00 01 00 00 00 00 00 00  02 61 62 04 74 65 73 74 00  00 01 00 01
 */
export function encodeQuery(query: { id: number; name: string; type: RecordType | number; rd?: boolean }): Buffer {
  // TODO stage 1: write the header, the question name (validated) and QTYPE/QCLASS.
  void query;
  throw new Error('encodeQuery is not implemented yet');
}

/**
 * Stage 2. Decodes a whole message: the header flags, then as many questions, answers, authority
 * and additional records as the header counts. Names may be compressed: a byte 11xxxxxx starts a
 * two-byte pointer to an earlier offset where the rest of the name is written (RFC 1035 §4.1.4),
 * and pointers can appear inside NS, CNAME, MX and SOA data too.
 *
 * Never read past the end and never loop. Throw an Error whose message contains "truncated"
 * when the bytes end early, and "pointer" for a compression pointer that points past the end
 * of the message or does not point back to an earlier name (which is how loops are made).
 */
export function decodeMessage(bytes: Uint8Array): Message {
  // TODO stage 2: a small reader that keeps an offset and checks bounds on every read helps.
  void bytes;
  throw new Error('decodeMessage is not implemented yet');
}

/**
 * Stage 2 (used by your server in stage 6). Encodes a whole message; the counts in the header
 * come from the lengths of the four sections. Compressing names is allowed but not required.
 */
export function encodeMessage(message: Message): Buffer {
  // TODO stage 2: the header, the questions, then every record: name, type, class, TTL,
  //   RDLENGTH and the data (write the data first, then fill in its length).
  void message;
  throw new Error('encodeMessage is not implemented yet');
}

// ---------------------------------------------------------------- given: addresses
// Ready to use for A and AAAA data: turning address text into bytes and back is not what this
// lab is about.

/** "192.0.2.1" → 4 bytes; "2001:db8::1" → 16 bytes, "::" standing for as many zero groups as are missing. */
export function addressToBytes(text: string): Uint8Array {
  const bad = () => new Error(`"${text}" is not an IP address.`);
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw bad();
    return Uint8Array.from(parts);
  }
  const [head, tail, extra] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const fill = 8 - groups(head).length - groups(tail).length;
  if (extra !== undefined || fill < 0 || (tail === undefined && fill !== 0)) throw bad();
  const all = [...groups(head), ...Array<string>(fill).fill('0'), ...groups(tail)];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) throw bad();
  return Uint8Array.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** 4 bytes → "192.0.2.1"; 16 bytes → RFC 5952 text: lower case, the longest run of zero groups as "::". */
export function bytesToAddress(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const g = Array.from({ length: 8 }, (_, i) => ((b[i * 2]! << 8) | b[i * 2 + 1]!).toString(16));
  let best = -1, bestLen = 1; // a single zero group stays "0"
  for (let i = 0, run = 0; i <= 8; i++) {
    if (i < 8 && g[i] === '0') run++;
    else if (run > bestLen) [best, bestLen, run] = [i - run, run, 0];
    else run = 0;
  }
  return best < 0 ? g.join(':') : `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}
