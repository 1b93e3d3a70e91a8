// DNS messages to and from bytes (RFC 1035 §4.1). Every DNS message, query or response, UDP or
// TCP, has the same shape: a 12-byte header, then four sections — questions, answers, authority
// records and additional records — whose lengths the header counts.

/** The record types this lab understands. Any other type is kept as its number and raw bytes. */
export type RecordType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

/** Type numbers from RFC 1035 §3.2.2 (AAAA from RFC 3596). */
export const TYPE: Record<RecordType, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };

/** The Internet class. Every record in this lab is IN. */
export const CLASS_IN = 1;

/** Response codes (RFC 1035 §4.1.1), the last four bits of the flags. */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** The header fields, named as in RFC 1035 and in dig's "flags:" line (the starter explains each). */
export interface Header { id: number; qr: boolean; opcode: number; aa: boolean; tc: boolean; rd: boolean; ra: boolean; rcode: number }
export interface Question { name: string; type: RecordType | number; class: number }
export interface Soa { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
export interface Mx { preference: number; exchange: string }
interface RecordBase { name: string; class: number; ttl: number }

export type ResourceRecord =
  | (RecordBase & { type: 'A'; data: string })
  | (RecordBase & { type: 'AAAA'; data: string })
  | (RecordBase & { type: 'NS'; data: string })
  | (RecordBase & { type: 'CNAME'; data: string })
  | (RecordBase & { type: 'MX'; data: Mx })
  | (RecordBase & { type: 'TXT'; data: string[] })
  | (RecordBase & { type: 'SOA'; data: Soa })
  | (RecordBase & { type: number; data: Uint8Array });

export interface Message { header: Header; questions: Question[]; answers: ResourceRecord[]; authorities: ResourceRecord[]; additionals: ResourceRecord[] }

const TYPE_NAMES = new Map<number, RecordType>(Object.entries(TYPE).map(([k, v]) => [v, k as RecordType]));

// ---------------------------------------------------------------- names

/**
 * Splits a name into labels and checks the limits of RFC 1035 §2.3.4: a label holds 1–63 bytes
 * (its length must fit in 6 bits, because the top two bits mark pointers), and the whole name
 * on the wire, length bytes and final zero included, at most 255.
 */
export function nameToLabels(name: string): string[] {
  if (name === '' || name === '.') return [];
  const labels = (name.endsWith('.') ? name.slice(0, -1) : name).split('.');
  let wire = 1; // the zero byte that ends every name
  for (const label of labels) {
    const size = Buffer.byteLength(label);
    if (size === 0) throw new Error(`Invalid name "${name}": it has an empty label (two dots in a row, or a leading dot).`);
    if (size > 63) throw new Error(`Invalid name "${name}": the label "${label}" is ${size} bytes; a label holds at most 63.`);
    wire += 1 + size;
  }
  if (wire > 255) throw new Error(`Invalid name "${name}": it takes ${wire} bytes on the wire; a name may take at most 255.`);
  return labels;
}

// ---------------------------------------------------------------- encoding

function typeNumber(type: RecordType | number): number {
  return typeof type === 'number' ? type : TYPE[type];
}

function flagsOf(h: Header): number {
  return (
    (Number(h.qr) << 15) | ((h.opcode & 0xf) << 11) | (Number(h.aa) << 10) | (Number(h.tc) << 9) |
    (Number(h.rd) << 8) | (Number(h.ra) << 7) | (h.rcode & 0xf)
  );
}

/** Encodes a standard query: one question, class IN. RD asks the server to do the recursion. */
export function encodeQuery(query: { id: number; name: string; type: RecordType | number; rd?: boolean }): Buffer {
  const header = { id: query.id, qr: false, opcode: 0, aa: false, tc: false, rd: Boolean(query.rd), ra: false, rcode: 0 };
  return encodeMessage({ header, questions: [{ name: query.name, type: query.type, class: CLASS_IN }], answers: [], authorities: [], additionals: [] });
}

/** Grows as it is written; remembers where each name was written so later names can point to it. */
class Writer {
  private buf = Buffer.alloc(512);
  length = 0;
  private names = new Map<string, number>();

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger);
    this.buf = bigger;
  }
  u8(v: number) { this.room(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  u16(v: number) { this.room(2); this.buf.writeUInt16BE(v, this.length); this.length += 2; }
  u32(v: number) { this.room(4); this.buf.writeUInt32BE(v >>> 0, this.length); this.length += 4; }
  bytes(b: Uint8Array) { this.room(b.length); this.buf.set(b, this.length); this.length += b.length; }
  patch16(at: number, v: number) { this.buf.writeUInt16BE(v, at); }

  /**
   * Compression (RFC 1035 §4.1.4): if a suffix of this name was written before, write the labels
   * up to it and then a two-byte pointer (11 + 14-bit offset) instead of repeating it.
   */
  name(name: string): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const earlier = this.names.get(suffix);
      if (earlier !== undefined) return this.u16(0xc000 | earlier);
      if (this.length < 0x4000) this.names.set(suffix, this.length); // only 14 bits to point with
      const bytes = Buffer.from(labels[i]!);
      this.u8(bytes.length);
      this.bytes(bytes);
    }
    this.u8(0);
  }
  done(): Buffer { return Buffer.from(this.buf.subarray(0, this.length)); }
}

function writeRecord(w: Writer, r: ResourceRecord): void {
  w.name(r.name);
  w.u16(typeNumber(r.type));
  w.u16(r.class);
  w.u32(r.ttl);
  const lengthAt = w.length;
  w.u16(0); // RDLENGTH, patched once the data is written
  const start = w.length;
  if (r.type === 'A' || r.type === 'AAAA') w.bytes(addressToBytes(r.data));
  else if (r.type === 'NS' || r.type === 'CNAME') w.name(r.data);
  else if (r.type === 'MX') { w.u16(r.data.preference); w.name(r.data.exchange); }
  else if (r.type === 'TXT') for (const s of r.data) { const b = Buffer.from(s); w.u8(b.length); w.bytes(b); }
  else if (r.type === 'SOA') {
    w.name(r.data.mname);
    w.name(r.data.rname);
    for (const n of [r.data.serial, r.data.refresh, r.data.retry, r.data.expire, r.data.minimum]) w.u32(n);
  } else w.bytes(r.data);
  w.patch16(lengthAt, w.length - start);
}

/** Encodes a whole message. The counts in the header come from the lengths of the sections. */
export function encodeMessage(m: Message): Buffer {
  const w = new Writer();
  w.u16(m.header.id);
  w.u16(flagsOf(m.header));
  for (const section of [m.questions, m.answers, m.authorities, m.additionals]) w.u16(section.length);
  for (const q of m.questions) { w.name(q.name); w.u16(typeNumber(q.type)); w.u16(q.class); }
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) writeRecord(w, r);
  return w.done();
}

// ---------------------------------------------------------------- decoding

/** Reads forward through the message; every read checks the bytes are there first. */
class Reader {
  readonly msg: Uint8Array;
  at = 0;
  constructor(msg: Uint8Array) {
    this.msg = msg;
  }
  need(n: number, what: string): void {
    if (this.at + n > this.msg.length) {
      throw new Error(`DNS message truncated: ${what} needs ${n} bytes at offset ${this.at}, but the message ends at ${this.msg.length}.`);
    }
  }
  u8(what: string) { this.need(1, what); return this.msg[this.at++]!; }
  u16(what: string) { this.need(2, what); const v = (this.msg[this.at]! << 8) | this.msg[this.at + 1]!; this.at += 2; return v; }
  u32(what: string) { const hi = this.u16(what); return hi * 0x10000 + this.u16(what); }
  bytes(n: number, what: string) { this.need(n, what); const b = this.msg.subarray(this.at, this.at + n); this.at += n; return b; }

  /**
   * Reads a name, following compression pointers. A pointer must point before the start of the
   * labels it continues: each jump then goes strictly backwards, so a loop is impossible, and a
   * crafted message can never make the decoder spin.
   */
  name(what: string): string {
    const labels: string[] = [];
    let pos = this.at;
    let runStart = pos; // where the labels we are reading now began
    let resume = -1; // where reading continues after the name, fixed by the first pointer
    let wire = 1;
    for (;;) {
      if (pos >= this.msg.length) throw new Error(`DNS message truncated: ${what} runs past the end of the message (offset ${pos}).`);
      const len = this.msg[pos]!;
      if (len === 0) { pos += 1; break; }
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.msg.length) throw new Error(`DNS message truncated: ${what} ends inside a compression pointer (offset ${pos}).`);
        const target = ((len & 0x3f) << 8) | this.msg[pos + 1]!;
        if (target >= this.msg.length) {
          throw new Error(`Bad compression pointer in ${what} at offset ${pos}: it points to offset ${target}, past the end of the ${this.msg.length}-byte message.`);
        }
        if (target >= runStart) {
          throw new Error(`Bad compression pointer in ${what} at offset ${pos}: it points to offset ${target}, not back before ${runStart}, so it could loop.`);
        }
        if (resume < 0) resume = pos + 2;
        pos = runStart = target;
        continue;
      }
      if ((len & 0xc0) !== 0) throw new Error(`Bad label in ${what} at offset ${pos}: length byte 0x${len.toString(16)} uses reserved bits.`);
      if (pos + 1 + len > this.msg.length) throw new Error(`DNS message truncated: a label of ${what} needs ${len} bytes at offset ${pos + 1}.`);
      wire += 1 + len;
      if (wire > 255) throw new Error(`Bad name in ${what}: longer than 255 bytes.`);
      labels.push(Buffer.from(this.msg.subarray(pos + 1, pos + 1 + len)).toString());
      pos += 1 + len;
    }
    this.at = resume < 0 ? pos : resume;
    return labels.length === 0 ? '.' : labels.join('.');
  }
}

function readRecord(r: Reader, section: string, index: number): ResourceRecord {
  const what = `${section} record ${index + 1}`;
  const name = r.name(`the name of ${what}`);
  const typeNum = r.u16(what);
  const klass = r.u16(what);
  const ttl = r.u32(what);
  const rdlength = r.u16(what);
  r.need(rdlength, `the data of ${what}`);
  const end = r.at + rdlength;
  const type = TYPE_NAMES.get(typeNum);
  const base = { name, class: klass, ttl };
  let record: ResourceRecord;
  // Inside the data, names may point anywhere earlier in the message, so read with the same Reader.
  if (type === 'A' || type === 'AAAA') {
    const size = type === 'A' ? 4 : 16;
    if (rdlength !== size) throw new Error(`Bad ${type} data in ${what}: ${rdlength} bytes instead of ${size}.`);
    record = { ...base, type, data: bytesToAddress(r.bytes(size, what)) };
  } else if (type === 'NS' || type === 'CNAME') {
    record = { ...base, type, data: r.name(`the data of ${what}`) };
  } else if (type === 'MX') {
    const preference = r.u16(what);
    record = { ...base, type, data: { preference, exchange: r.name(`the exchange of ${what}`) } };
  } else if (type === 'TXT') {
    const strings: string[] = [];
    while (r.at < end) {
      const len = r.u8(what);
      if (r.at + len > end) throw new Error(`Bad TXT data in ${what}: a string runs past its RDLENGTH.`);
      strings.push(Buffer.from(r.bytes(len, what)).toString());
    }
    record = { ...base, type, data: strings };
  } else if (type === 'SOA') {
    const mname = r.name(`the MNAME of ${what}`);
    const rname = r.name(`the RNAME of ${what}`);
    const [serial, refresh, retry, expire, minimum] = [0, 0, 0, 0, 0].map(() => r.u32(what)) as [number, number, number, number, number];
    record = { ...base, type, data: { mname, rname, serial, refresh, retry, expire, minimum } };
  } else {
    // Unknown type: RDLENGTH says how far to skip, so we keep the bytes without understanding them.
    record = { ...base, type: typeNum, data: Buffer.from(r.bytes(rdlength, what)) };
  }
  if (r.at !== end) throw new Error(`Bad ${type ?? typeNum} record in ${what}: its data takes ${r.at - (end - rdlength)} bytes but RDLENGTH says ${rdlength}.`);
  return record;
}

/** Decodes a whole message. Throws an Error on anything malformed; never reads past the end. */
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  r.need(12, 'the header');
  const id = r.u16('the header');
  const f = r.u16('the header');
  const header: Header = {
    id,
    qr: (f & 0x8000) !== 0,
    opcode: (f >> 11) & 0xf,
    aa: (f & 0x0400) !== 0,
    tc: (f & 0x0200) !== 0,
    rd: (f & 0x0100) !== 0,
    ra: (f & 0x0080) !== 0,
    rcode: f & 0xf,
  };
  const [qd, an, ns, ar] = [0, 0, 0, 0].map(() => r.u16('the header')) as [number, number, number, number];
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) {
    const name = r.name(`question ${i + 1}`);
    const typeNum = r.u16(`question ${i + 1}`);
    questions.push({ name, type: TYPE_NAMES.get(typeNum) ?? typeNum, class: r.u16(`question ${i + 1}`) });
  }
  const section = (count: number, label: string) => Array.from({ length: count }, (_, i) => readRecord(r, label, i));
  return { header, questions, answers: section(an, 'answer'), authorities: section(ns, 'authority'), additionals: section(ar, 'additional') };
}

// ---------------------------------------------------------------- addresses
// Given in the starter: turning address text into bytes and back is not what this lab is about.

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
