// DNS over TCP (RFC 1035 §4.2.2, RFC 7766). TCP is a byte stream with no message boundaries,
// so every message travels behind a two-byte length. One connection may carry many queries:
// they can arrive split across reads or several in one read, so we buffer bytes and cut
// complete messages off the front. Each query is answered as soon as it is resolved, possibly
// out of order; the client matches responses to queries by ID.

import net from 'node:net';
import { decodeMessage, encodeMessage, RCODE, type Header, type Message } from './message.ts';
import type { Resolver } from './resolver.ts';

/** A response to `query` with everything but the answer filled in: same ID and question, QR and RA set. */
function reply(query: Pick<Message, 'header' | 'questions'>, rcode: number, records: Partial<Message> = {}): Buffer {
  const header: Header = { id: query.header.id, qr: true, opcode: query.header.opcode, aa: false, tc: false, rd: query.header.rd, ra: true, rcode };
  return encodeMessage({ header, questions: query.questions, answers: [], authorities: [], additionals: [], ...records });
}

/** Answers one query message; null when it is too broken to answer at all. */
async function answer(bytes: Buffer, resolver: Resolver): Promise<Buffer | null> {
  let query: Message;
  try {
    query = decodeMessage(bytes);
  } catch {
    if (bytes.length < 2) return null; // not even an ID to answer to
    const header = { id: bytes.readUInt16BE(0), opcode: 0, rd: false } as Header;
    return reply({ header, questions: [] }, RCODE.FORMERR);
  }
  const q = query.questions[0];
  if (query.header.qr || query.questions.length !== 1 || !q) return reply(query, RCODE.FORMERR);
  if (query.header.opcode !== 0 || typeof q.type === 'number' || q.class !== 1) return reply(query, RCODE.NOTIMP);
  try {
    const result = await resolver.resolve(q.name, q.type);
    return reply(query, result.rcode, { answers: result.answers, authorities: result.authorities });
  } catch {
    // The resolver gave up (loop, no server answered, …): say so rather than stay silent.
    return reply(query, RCODE.SERVFAIL);
  }
}

/**
 * A DNS server over TCP that answers every query from `resolver`. Returns the server without
 * listening: the caller chooses the address and port.
 */
export function createDnsServer(resolver: Resolver): net.Server {
  return net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Cut off every complete message; a partial one waits for the next chunk.
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        void answer(message, resolver).then((response) => {
          if (!response) return void socket.destroy();
          if (socket.writable) socket.write(Buffer.concat([Buffer.from([response.length >> 8, response.length & 0xff]), response]));
        });
      }
    });
    socket.on('error', () => {}); // a client that resets the connection harms no one else
  });
}
