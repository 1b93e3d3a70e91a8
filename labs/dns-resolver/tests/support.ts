import dnsPacket from 'dns-packet';
import { pick, randomBytes, randomInt, randomWord } from '../kit/index.ts';

// Helpers for the dns-resolver stages: hex dumps that point at the first wrong byte, random
// names and messages in the learner's shapes, conversions to and from dns-packet (the reference
// the tests cross-check against), a compressing encoder, and a clock the tests move by hand.
// Nothing here imports the learner's files, so a broken resolver.ts cannot break stage 1.

export const TYPES = ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA'] as const;
export type Type = (typeof TYPES)[number];
export const TYPE_NUMBERS: Record<Type, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };

// The learner's shapes, restated so the tests do not trust the learner's type declarations.
export type Header = { id: number; qr: boolean; opcode: number; aa: boolean; tc: boolean; rd: boolean; ra: boolean; rcode: number };
export type Question = { name: string; type: Type | number; class: number };
export type Rec = { name: string; type: Type | number; class: number; ttl: number; data: any };
export type Msg = { header: Header; questions: Question[]; answers: Rec[]; authorities: Rec[]; additionals: Rec[] };

// ---------------------------------------------------------------- bytes

/** "00 1f 81 80 …", in rows of 16 so offsets are easy to count. */
export function hex(bytes: Uint8Array, max = 128): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0'));
  const rows: string[] = [];
  for (let i = 0; i < shown.length; i += 16) rows.push(shown.slice(i, i + 16).join(' '));
  return rows.join('\n            ') + (bytes.length > max ? ` … (${bytes.length} bytes)` : '');
}

/** Null when equal; otherwise where they first differ, naming the field through `fieldAt`. */
export function byteDifference(expected: Uint8Array, got: Uint8Array, fieldAt: (offset: number) => string): string | null {
  if (Buffer.from(expected).equals(Buffer.from(got))) return null;
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  const what = i < expected.length ? `byte ${i} (${fieldAt(i)}) should be 0x${expected[i]!.toString(16).padStart(2, '0')}` : `byte ${i} should not be there`;
  const saw = i < got.length ? `0x${got[i]!.toString(16).padStart(2, '0')}` : 'the end of the message';
  const size = got.length === expected.length ? `the right length (${got.length} bytes)` : `${got.length} bytes instead of ${expected.length}`;
  return `${size}, but first difference at ${what}, not ${saw}`;
}

/** Names the field at an offset of a one-question query whose QNAME takes `nameLength` bytes. */
export function queryField(nameLength: number) {
  return (at: number): string => {
    const header = ['ID', 'ID', 'flags', 'flags', 'QDCOUNT', 'QDCOUNT', 'ANCOUNT', 'ANCOUNT', 'NSCOUNT', 'NSCOUNT', 'ARCOUNT', 'ARCOUNT'];
    if (at < 12) return `header ${header[at]}`;
    if (at < 12 + nameLength) return 'question name';
    return ['QTYPE', 'QTYPE', 'QCLASS', 'QCLASS'][at - 12 - nameLength] ?? 'past the question';
  };
}

// ---------------------------------------------------------------- random values

/** A label like "kalo", "mi-42" or "ruvo7": letters, digits and hyphens, as hostnames use. */
export function randomLabel(): string {
  return pick([() => randomWord(2), () => `${randomWord(1)}-${randomInt(0, 99)}`, () => `${randomWord(2)}${randomInt(0, 9)}`])();
}

/** A name of `labels` labels; with `mixedCase`, letters in random case (DNS keeps case, compares without it). */
export function randomName(labels: number, mixedCase = false): string {
  const name = Array.from({ length: labels }, randomLabel).join('.');
  return mixedCase ? [...name].map((c) => (randomInt(0, 1) ? c.toUpperCase() : c)).join('') : name;
}

export function randomIPv4(): string {
  return `${pick(['192.0.2', '198.51.100', '203.0.113'])}.${randomInt(1, 254)}`;
}

/** A documentation IPv6 address (2001:db8::/32) in RFC 5952 form, often with a run of zeros. */
export function randomIPv6(): string {
  const groups = ['2001', 'db8', ...Array.from({ length: 6 }, () => (randomInt(0, 2) === 0 ? '0' : randomInt(1, 0xffff).toString(16)))];
  return canonicalIPv6(groups.join(':'));
}

/** Any valid IPv6 text in its canonical form, so "2001:db8:0:0::1" and "2001:db8::1" compare equal. */
export function canonicalIPv6(text: string): string {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text;
  }
}

/** 16 bytes of an IPv6 address in any valid text form. */
export function ipv6Bytes(text: string): number[] {
  const [head = '', tail] = canonicalIPv6(text).split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

export function randomTtl(): number {
  return pick([randomInt(0, 600), randomInt(600, 86_400), randomInt(86_400, 2 ** 31 - 1)]);
}

/** Record data of a type, in the learner's shape; names come from `names` so messages share suffixes. */
export function randomData(type: Type, names: () => string): any {
  switch (type) {
    case 'A': return randomIPv4();
    case 'AAAA': return randomIPv6();
    case 'NS':
    case 'CNAME': return names();
    case 'MX': return { preference: randomInt(0, 65_535), exchange: names() };
    case 'TXT': return Array.from({ length: randomInt(1, 3) }, () => pick(['', `v=${randomWord(2)}1`, `${randomWord(3)} ${randomWord(4)}`, randomWord(2).repeat(randomInt(20, 60))]));
    case 'SOA': return { mname: names(), rname: ['hostmaster', names()].filter((n) => n !== '.').join('.'), serial: randomInt(0, 2 ** 32 - 1), refresh: randomInt(0, 2 ** 31 - 1), retry: randomInt(0, 2 ** 31 - 1), expire: randomInt(0, 2 ** 31 - 1), minimum: randomInt(0, 2 ** 31 - 1) };
  }
}

/**
 * A random message: random header bits, 0–2 questions, a handful of records of every known type
 * in each section, and (with `unknown`) records of an unassigned type that must be kept as bytes.
 * Names share a zone, so a compressing encoder has suffixes to point at.
 */
export function randomMessage(opts: { mixedCase?: boolean; unknown?: boolean } = {}): Msg {
  const zone = randomName(randomInt(1, 2));
  const names = () => {
    const n = pick([zone, `${randomLabel()}.${zone}`, `${randomLabel()}.${randomLabel()}.${zone}`, randomName(randomInt(1, 3)), '.']);
    return opts.mixedCase ? [...n].map((c) => (randomInt(0, 1) ? c.toUpperCase() : c)).join('') : n;
  };
  const record = (): Rec => {
    if (opts.unknown && randomInt(0, 3) === 0) return { name: names(), type: randomInt(65_280, 65_534), class: 1, ttl: randomTtl(), data: randomBytes(randomInt(0, 24)) };
    const type = pick(TYPES);
    return { name: names(), type, class: 1, ttl: randomTtl(), data: randomData(type, names) };
  };
  const some = (min: number, max: number) => Array.from({ length: randomInt(min, max) }, record);
  const bit = () => randomInt(0, 1) === 1;
  return {
    header: { id: randomInt(0, 65_535), qr: bit(), opcode: pick([0, 0, 0, 1, 2, 4, 5]), aa: bit(), tc: bit(), rd: bit(), ra: bit(), rcode: randomInt(0, 5) },
    questions: Array.from({ length: randomInt(0, 2) }, () => ({ name: names(), type: pick(TYPES), class: 1 })),
    answers: some(1, 5),
    authorities: some(0, 3),
    additionals: some(0, 3),
  };
}

// ---------------------------------------------------------------- dns-packet bridge

const typeName = (t: Type | number) => (typeof t === 'number' ? `UNKNOWN_${t}` : t);

function flagsOf(h: Header): number {
  return (h.opcode << 11) | (Number(h.aa) << 10) | (Number(h.tc) << 9) | (Number(h.rd) << 8) | (Number(h.ra) << 7) | h.rcode;
}

/** The message in dns-packet's shape, ready for dnsPacket.encode (which never compresses). */
export function toPacket(m: Msg): dnsPacket.Packet {
  // Copies the data: dns-packet turns TXT strings into Buffers in place while it encodes.
  const rec = (r: Rec) => ({ name: r.name, type: typeName(r.type), class: 'IN', ttl: r.ttl, data: Array.isArray(r.data) ? [...r.data] : r.data });
  return {
    id: m.header.id,
    type: m.header.qr ? 'response' : 'query',
    flags: flagsOf(m.header),
    questions: m.questions.map((q) => ({ name: q.name, type: typeName(q.type), class: 'IN' })),
    answers: m.answers.map(rec),
    authorities: m.authorities.map(rec),
    additionals: m.additionals.map(rec),
  } as unknown as dnsPacket.Packet;
}

/** What dns-packet decoded, in the learner's shape, for comparing with what the learner meant. */
export function fromPacket(p: dnsPacket.DecodedPacket): Msg {
  const flags = (p.flags ?? 0) | (p.type === 'response' ? 0x8000 : 0);
  const type = (t: string): Type | number => (t.startsWith('UNKNOWN_') ? Number(t.slice(8)) : (t as Type));
  const klass = (c: string | undefined) => (c === 'IN' ? 1 : Number(String(c).replace(/^UNKNOWN_/, '')));
  const data = (r: any) => {
    if (r.type === 'TXT') return (r.data as Buffer[]).map((b) => b.toString());
    if (r.type === 'AAAA') return canonicalIPv6(r.data);
    return r.data;
  };
  const rec = (r: any): Rec => ({ name: r.name, type: type(r.type), class: klass(r.class), ttl: r.ttl, data: data(r) });
  return {
    header: { id: p.id ?? 0, qr: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 0xf, aa: (flags & 0x400) !== 0, tc: (flags & 0x200) !== 0, rd: (flags & 0x100) !== 0, ra: (flags & 0x80) !== 0, rcode: flags & 0xf },
    questions: (p.questions ?? []).map((q: any) => ({ name: q.name, type: type(q.type), class: klass(q.class) })),
    answers: (p.answers ?? []).map(rec),
    authorities: (p.authorities ?? []).map(rec),
    additionals: (p.additionals ?? []).map(rec),
  };
}

/**
 * Encodes with name compression (RFC 1035 §4.1.4), which dns-packet never writes: every name,
 * including those inside NS, CNAME, MX and SOA data, ends in a pointer to an earlier copy of its
 * longest known suffix. Expects lower-case names so that each suffix has a single spelling.
 */
export function encodeCompressed(m: Msg): Buffer {
  const out: number[] = [];
  const seen = new Map<string, number>();
  const u16 = (v: number) => out.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => { u16(Math.floor(v / 0x10000)); u16(v % 0x10000); };
  const bytes = (b: Uint8Array | string) => out.push(...Buffer.from(b));
  const name = (n: string) => {
    const labels = n === '.' ? [] : n.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const at = seen.get(suffix);
      if (at !== undefined) return u16(0xc000 | at);
      seen.set(suffix, out.length);
      out.push(Buffer.byteLength(labels[i]!));
      bytes(labels[i]!);
    }
    out.push(0);
  };
  u16(m.header.id);
  u16(flagsOf(m.header) | (m.header.qr ? 0x8000 : 0));
  for (const s of [m.questions, m.answers, m.authorities, m.additionals]) u16(s.length);
  for (const q of m.questions) { name(q.name); u16(typeof q.type === 'number' ? q.type : TYPE_NUMBERS[q.type]); u16(q.class); }
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) {
    name(r.name);
    u16(typeof r.type === 'number' ? r.type : TYPE_NUMBERS[r.type]);
    u16(r.class);
    u32(r.ttl);
    const lengthAt = out.length;
    u16(0);
    const d = r.data;
    if (r.type === 'A') out.push(...(d as string).split('.').map(Number));
    else if (r.type === 'AAAA') out.push(...ipv6Bytes(d));
    else if (r.type === 'NS' || r.type === 'CNAME') name(d);
    else if (r.type === 'MX') { u16(d.preference); name(d.exchange); }
    else if (r.type === 'TXT') for (const s of d as string[]) { out.push(Buffer.byteLength(s)); bytes(s); }
    else if (r.type === 'SOA') { name(d.mname); name(d.rname); for (const k of ['serial', 'refresh', 'retry', 'expire', 'minimum']) u32(d[k]); }
    else bytes(d);
    const length = out.length - lengthAt - 2;
    out[lengthAt] = length >> 8;
    out[lengthAt + 1] = length & 0xff;
  }
  return Buffer.from(out);
}

// ---------------------------------------------------------------- comparing

/**
 * The first place where `received` differs from `expected`, as "answers[2].data.exchange:
 * expected "mx.kalo", received "MX.kalo"", or null when they agree. Only keys of `expected` are
 * compared, so extra fields the learner adds are fine; IPv6 text compares in canonical form.
 */
export function difference(expected: unknown, received: unknown, path = 'message'): string | null {
  const show = (v: unknown) => (v instanceof Uint8Array ? `bytes ${hex(v, 24)}` : JSON.stringify(v) ?? String(v));
  if (expected instanceof Uint8Array) {
    const ok = received instanceof Uint8Array && Buffer.from(expected).equals(Buffer.from(received));
    return ok ? null : `${path}: expected ${show(expected)}, received ${show(received)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(received)) return `${path}: expected an array of ${expected.length}, received ${show(received)}`;
    if (received.length !== expected.length) return `${path}: expected ${expected.length} entries, received ${received.length}: ${show(received).slice(0, 300)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(expected[i], received[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected && typeof expected === 'object') {
    if (!received || typeof received !== 'object') return `${path}: expected ${show(expected)}, received ${show(received)}`;
    const isAAAA = (expected as Rec).type === 'AAAA' && 'ttl' in expected;
    for (const [k, v] of Object.entries(expected)) {
      let got = (received as Record<string, unknown>)[k];
      if (isAAAA && k === 'data' && typeof got === 'string') got = canonicalIPv6(got);
      const d = difference(v, got, `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(expected, received) ? null : `${path}: expected ${show(expected)}, received ${show(received)}`;
}

/** A message in a few readable lines, like dig's sections. */
export function describe(m: Msg): string {
  const h = m.header;
  const flags = (['qr', 'aa', 'tc', 'rd', 'ra'] as const).filter((f) => h[f]).join(' ');
  const rec = (r: Rec) => `${r.name} ${r.ttl} ${typeof r.type === 'number' ? `TYPE${r.type}` : r.type} ${r.data instanceof Uint8Array ? `(${r.data.length} bytes)` : JSON.stringify(r.data)}`;
  const lines = [`id ${h.id}, opcode ${h.opcode}, rcode ${h.rcode}, flags: ${flags || '(none)'}`];
  for (const q of m.questions) lines.push(`question: ${q.name} ${q.type}`);
  for (const [label, list] of [['answer', m.answers], ['authority', m.authorities], ['additional', m.additionals]] as const) {
    for (const r of list) lines.push(`${label}: ${rec(r)}`);
  }
  return lines.join('\n            ');
}

// ---------------------------------------------------------------- time

/** A clock the test owns: `now()` in milliseconds like Date.now, moved only by `advance()`. */
export function fakeClock() {
  let ms = randomInt(1_600_000_000_000, 1_900_000_000_000);
  return {
    now: () => ms,
    advance(seconds: number) {
      ms += Math.round(seconds * 1000);
    },
  };
}
