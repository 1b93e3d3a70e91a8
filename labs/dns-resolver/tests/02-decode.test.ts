import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { exchange, randomBytes, randomInt, randomWord } from '../kit/index.ts';
import { decodeMessage, encodeMessage } from '../src/message.ts';
import { describe as show, difference, encodeCompressed, fromPacket, hex, randomMessage, toPacket, type Msg } from './support.ts';

// Stage 2: whole messages. Random messages go both ways through dns-packet, the reference:
// it encodes and the learner decodes, the learner encodes and it decodes. Malformed input must
// end in a thrown Error, never a wrong answer and never a hang.

/** Decodes with the learner's code, turning a throw into a failure that shows the input. */
function decode(bytes: Uint8Array, expected: Msg): unknown {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    throw new Error(exchange({ sent: `decodeMessage() of ${bytes.length} bytes:\n            ${hex(bytes)}`, expected: show(expected), received: `Error: ${(err as Error).message}` }));
  }
}

function expectDecoded(bytes: Uint8Array, expected: Msg, how: string): void {
  const got = decode(bytes, expected);
  expect(difference(expected, got), exchange({
    sent: `decodeMessage() of ${bytes.length} bytes ${how}:\n            ${hex(bytes)}`,
    expected: show(expected),
    received: difference(expected, got) ?? '',
  })).toBeNull();
}

/** The Error decodeMessage threw for `bytes`, or a failure saying what it returned instead. */
function rejection(bytes: Uint8Array, why: string): Error {
  let result: unknown;
  try {
    result = decodeMessage(bytes);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  const m = result as Msg;
  throw new Error(exchange({ sent: `decodeMessage() of ${bytes.length} bytes:\n            ${hex(bytes)}`, expected: `a thrown Error: ${why}`, received: `a result (no error): ${m?.header ? show(m) : JSON.stringify(result)}` }));
}

/** A query header with one question, followed by `rest`. */
function withQuestion(rest: number[]): Buffer {
  return Buffer.from([randomInt(0, 255), randomInt(0, 255), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...rest]);
}

describe('stage 2: decode whole messages', () => {
  it('decodes the header flags and all four sections of random messages that dns-packet wrote', () => {
    for (let i = 0; i < 30; i++) {
      const m = randomMessage({ mixedCase: true });
      expectDecoded(dnsPacket.encode(toPacket(m)), m, '(written by dns-packet, no compression)');
    }
  });

  it('follows compression pointers in owner names and inside NS, CNAME, MX and SOA data', () => {
    for (let i = 0; i < 30; i++) {
      const m = randomMessage();
      const bytes = encodeCompressed(m);
      // The compressed copy is checked against dns-packet first, so a failure here is the learner's.
      expect(difference(m, fromPacket(dnsPacket.decode(bytes))), 'the test helper encodeCompressed() disagrees with dns-packet').toBeNull();
      expectDecoded(bytes, m, '(names compressed: C0 xx is a pointer to offset xx)');
    }
  });

  it('keeps records of an unknown type as raw bytes and goes on to the next record', () => {
    for (let i = 0; i < 10; i++) {
      const m = randomMessage({ unknown: true });
      const type = randomInt(65_280, 65_534);
      m.answers.unshift({ name: `${randomWord(2)}.${randomWord(2)}`, type, class: 1, ttl: randomInt(0, 3600), data: randomBytes(randomInt(1, 20)) });
      expectDecoded(dnsPacket.encode(toPacket(m)), m, `(answer 1 has type ${type}, which no decoder knows: RDLENGTH says how many bytes to keep)`);
    }
  });

  it('throws an error mentioning "truncated" for every cut-short copy of a message', () => {
    for (let n = 0; n < 3; n++) {
      const m = randomMessage();
      const full = n === 0 ? dnsPacket.encode(toPacket(m)) : encodeCompressed(m);
      for (let length = 0; length < full.length; length++) {
        const err = rejection(full.subarray(0, length), `the message is cut after ${length} of its ${full.length} bytes, so the header promises records that are not all there`);
        expect(err.message, exchange({ sent: `the first ${length} of ${full.length} bytes of a valid message`, expected: 'an error message that says the message is truncated', received: `Error: ${err.message}` })).toMatch(/truncated/i);
      }
    }
  });

  it('throws an error mentioning "pointer" for compression pointers that loop', () => {
    const label = randomWord(2);
    const letters = [...Buffer.from(label)];
    const loops: Array<[number[], string]> = [
      [[0xc0, 0x0c, 0, 1, 0, 1], 'the question name at offset 12 is C0 0C: a pointer to itself'],
      [[letters.length, ...letters, 0xc0, 0x0c, 0, 1, 0, 1], `the question name is "${label}" then C0 0C, a pointer back to its own start: ${label}.${label}.${label}… forever`],
      [[0xc0, 0x0e, 0xc0, 0x0c, 0, 1, 0, 1], 'the question name at 12 points to offset 14, which points back to 12'],
    ];
    for (const [rest, why] of loops) {
      const err = rejection(withQuestion(rest), why);
      expect(err.message, exchange({ sent: why, expected: 'an error message about the bad compression pointer', received: `Error: ${err.message}` })).toMatch(/pointer/i);
    }
  });

  it('throws an error mentioning "pointer" for a pointer past the end of the message', () => {
    const target = randomInt(40, 0x3fff);
    const bytes = withQuestion([0xc0 | (target >> 8), target & 0xff, 0, 1, 0, 1]);
    const err = rejection(bytes, `the question name is a pointer to offset ${target}, but the message has only ${bytes.length} bytes`);
    expect(err.message, exchange({ sent: `a question name pointing to offset ${target} of a ${bytes.length}-byte message`, expected: 'an error message about the bad compression pointer', received: `Error: ${err.message}` })).toMatch(/pointer/i);
  });

  it('encodes whole messages that dns-packet decodes back to the same header and records', () => {
    for (let i = 0; i < 30; i++) {
      const m = randomMessage({ unknown: true });
      if (i < 5) Object.assign(m, { answers: [], authorities: [], additionals: [], questions: [{ name: `${randomWord(2)}.${randomWord(2)}`, type: 'A', class: 1 }] });
      let bytes: Buffer;
      try {
        bytes = Buffer.from(encodeMessage(m as never));
      } catch (err) {
        throw new Error(exchange({ sent: `encodeMessage() of\n            ${show(m)}`, expected: 'bytes', received: `Error: ${(err as Error).message}` }));
      }
      let back: Msg | string;
      try {
        back = fromPacket(dnsPacket.decode(bytes));
      } catch (err) {
        back = `dns-packet could not decode them: ${(err as Error).message}`;
      }
      const diff = typeof back === 'string' ? back : difference(m, back);
      expect(diff, exchange({ sent: `encodeMessage() of\n            ${show(m)}`, expected: 'bytes that dns-packet decodes to the same message', received: `${diff}\n            ${hex(bytes)}` })).toBeNull();
    }
  });
});
