import { readdirSync, readFileSync } from 'node:fs';
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt, randomWord } from '../kit/index.ts';
import { encodeQuery } from '../src/message.ts';
import { byteDifference, hex, queryField, randomName, TYPES, TYPE_NUMBERS, type Type } from './support.ts';

// Stage 1: one query, byte for byte. The reference is dns-packet: for the same id, flags, name
// and type it must produce exactly the bytes encodeQuery() does.

type Query = { id: number; name: string; type: Type | number; rd?: boolean };

const call = (q: Query) => `encodeQuery(${JSON.stringify(q)})`;

/** What dns-packet writes for the query: the bytes a real resolver would put on the wire. */
function reference(q: Query): Buffer {
  const type = typeof q.type === 'number' ? `UNKNOWN_${q.type}` : q.type;
  return dnsPacket.encode({ type: 'query', id: q.id, flags: q.rd ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ name: q.name, type: type as Type, class: 'IN' }] });
}

/** Runs encodeQuery, turning a throw into a readable failure. */
function encode(q: Query): Buffer {
  try {
    return Buffer.from(encodeQuery(q));
  } catch (err) {
    throw new Error(`${call(q)} threw instead of returning bytes: ${(err as Error).message}`);
  }
}

function expectBytes(q: Query, expected: Buffer, why: string): void {
  const got = encode(q);
  const nameLength = expected.length - 16;
  expect(byteDifference(expected, got, queryField(nameLength)), exchange({
    sent: call(q),
    expected: `${why}\n            ${hex(expected)}`,
    received: `${hex(got)}`,
  })).toBeNull();
}

/** Calls encodeQuery and returns the Error it threw, or fails saying what came back instead. */
function thrown(q: Query, expected: string): Error {
  let result: unknown;
  try {
    result = encodeQuery(q);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  throw new Error(exchange({ sent: call(q), expected, received: `bytes ${hex(Buffer.from(result as Uint8Array), 32)} (no error thrown)` }));
}

describe('stage 1: encode a query', () => {
  it('writes the header: ID, flags with RD set or clear, QDCOUNT 1 and three zero counts', () => {
    for (const rd of [true, false]) {
      const q = { id: randomInt(1, 65_535), name: randomName(2), type: pick(TYPES), rd };
      const got = encode(q).subarray(0, 12);
      const want = reference(q).subarray(0, 12);
      expect(byteDifference(want, got, queryField(0)), exchange({
        sent: call(q),
        expected: `the 12-byte header: ID ${q.id} (0x${q.id.toString(16).padStart(4, '0')}), flags 0x${rd ? '0100 (only RD' : '0000 (no bits'} set), QDCOUNT 1, then ANCOUNT, NSCOUNT and ARCOUNT 0\n            ${hex(want)}`,
        received: hex(got),
      })).toBeNull();
    }
  });

  it('writes the question as length-prefixed labels, a zero byte, QTYPE and QCLASS IN', () => {
    for (let i = 0; i < 25; i++) {
      const type = i === 0 ? randomInt(256, 65_000) : pick(TYPES);
      const name = randomName(randomInt(1, 5), randomInt(0, 1) === 1);
      const q = { id: randomInt(0, 65_535), name: randomInt(0, 3) === 0 ? `${name}.` : name, type, rd: randomInt(0, 1) === 1 };
      const typeNote = typeof type === 'number' ? `type ${type} (a number: any type can be asked for)` : `${type} = ${TYPE_NUMBERS[type]}`;
      expectBytes(q, reference(q), `exactly what dns-packet writes: each label as a length byte and its letters (case kept${q.name.endsWith('.') ? ', the trailing dot adds nothing' : ''}), 00, QTYPE ${typeNote}, QCLASS 1 (IN)`);
    }
  });

  it('writes the root name "." as a single zero byte', () => {
    const q = { id: randomInt(0, 65_535), name: '.', type: 'NS' as const, rd: false };
    expectBytes(q, reference(q), 'the question "./NS" (what a resolver asks the root first): name = 00, then 00 02 00 01');
  });

  it('accepts a 63-byte label and a name of exactly 255 bytes, the largest allowed', () => {
    const label63 = randomWord(32).slice(0, 63);
    const q1 = { id: randomInt(0, 65_535), name: `${label63}.${randomWord(2)}`, type: 'A' as const };
    expectBytes(q1, reference(q1), 'a 63-byte label is fine: its length byte is 0x3f');
    // On the wire: 3 × (1 + 63) + (1 + 61) + the final 00 = 255 bytes.
    const long = [randomWord(32).slice(0, 63), randomWord(32).slice(0, 63), randomWord(32).slice(0, 63), randomWord(31).slice(0, 61)].join('.');
    const q2 = { id: randomInt(0, 65_535), name: long, type: 'A' as const };
    expectBytes(q2, reference(q2), 'a name that takes exactly 255 bytes on the wire (length bytes and final 00 included) is fine');
  });

  it('throws an error mentioning 63 for a label of 64 bytes or more', () => {
    const label = randomWord(40).slice(0, randomInt(64, 80));
    const q = { id: 1, name: `www.${label}.${randomWord(2)}`, type: 'A' as const };
    const err = thrown(q, `an Error, because the label "${label}" is ${label.length} bytes (a label holds at most 63)`);
    expect(err.message, exchange({ sent: call(q), expected: 'an error message that names the limit, 63', received: `Error: ${err.message}` })).toMatch(/63/);
  });

  it('throws an error mentioning 255 for a name longer than 255 bytes on the wire', () => {
    // 4 × (1 + 63) + 00 = 257 bytes, although each label is within its limit.
    const name = Array.from({ length: 4 }, () => randomWord(32).slice(0, 63)).join('.');
    const q = { id: 1, name, type: 'A' as const };
    const err = thrown(q, 'an Error: four 63-byte labels take 4 × 64 + 1 = 257 bytes on the wire, more than 255');
    expect(err.message, exchange({ sent: call(q), expected: 'an error message that names the limit, 255', received: `Error: ${err.message}` })).toMatch(/255/);
  });

  it('throws an error mentioning "empty" for a name with an empty label', () => {
    const a = randomWord(2);
    const b = randomWord(2);
    for (const name of [`${a}..${b}`, `.${a}.${b}`, `${a}.${b}..`]) {
      const q = { id: 1, name, type: 'A' as const };
      const err = thrown(q, `an Error: "${name}" has an empty label, which would be written as a 00 byte and end the name early`);
      expect(err.message, exchange({ sent: call(q), expected: 'an error message saying a label is empty', received: `Error: ${err.message}` })).toMatch(/empty/i);
    }
  });

  it('builds messages itself, without importing a DNS library', () => {
    const dir = new URL('../src/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => /\.[cm]?[jt]s$/.test(f))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(/from\s+['"](dns-packet|dns2|native-dns)|require\(\s*['"]dns-packet/.test(text), exchange({
        sent: `src/${file}`,
        expected: 'no import of dns-packet or another DNS library: this lab is about writing the bytes yourself',
        received: 'an import of a DNS library',
      })).toBe(false);
    }
  });
});
