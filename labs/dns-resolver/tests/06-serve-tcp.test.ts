import net from 'node:net';
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { exchange, listen, onCleanup, pick, randomInt } from '../kit/index.ts';
import { createDnsServer } from '../src/server.ts';
import { addHost, World, zonePath, type SimRecord, type Zone } from './hierarchy.ts';
import { canonicalRecords, resolverFor, showRecords } from './resolving.ts';
import { fromPacket, hex, type Msg } from './support.ts';

// Stage 6: serve it. The learner's server answers from the learner's resolver, which walks a
// simulated hierarchy. The tests are the clients: they write queries with dns-packet, framed as
// RFC 7766 says (a two-byte length before each message), and read the framed responses back.

type Query = { id: number; name: string; type: string; rd: boolean };

const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
const encode = (q: Query) => dnsPacket.encode({ type: 'query', id: q.id, flags: q.rd ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ name: q.name, type: q.type as 'A', class: 'IN' }] });
const show = (q: Query) => `${q.name} ${q.type} (id ${q.id}${q.rd ? ', RD set' : ''})`;

/** A world with one zone and a few hosts, the learner's resolver on it, and the learner's server listening. */
async function setup() {
  const world = new World();
  const [, tld, zone] = zonePath(world, 2) as [Zone, Zone, Zone];
  const { resolver } = resolverFor(world);
  const server = createDnsServer(resolver as never);
  // Counts the bytes the server has read, so a test can wait until a piece has really arrived.
  let read = 0;
  const readers: Array<() => void> = [];
  server.on('connection', (s: net.Socket) => s.on('data', (c: Buffer) => { read += c.length; readers.splice(0).forEach((r) => r()); }));
  const port = await listen(server, 'the value returned by createDnsServer(resolver)');
  const serverRead = async (total: number) => { while (read < total) await new Promise<void>((r) => readers.push(r)); };
  return { world, tld, zone, port, serverRead, hosts: () => addHost(world, zone) };
}

/** A client connection that splits the byte stream into framed responses. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  onCleanup(() => void socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let bytes = Buffer.alloc(0);
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('data', (c: Buffer) => { bytes = Buffer.concat([bytes, c]); wake(); });
  const closedOnce = new Promise<void>((resolve) => socket.on('close', () => { closed = true; wake(); resolve(); }));
  socket.on('error', () => {});
  return {
    socket,
    /** Resolves when the connection closes. */
    closed: closedOnce,
    /** The next framed response; rejects with what did arrive if none is complete within 2 s or the server closes. */
    async next(sent: string): Promise<Buffer | 'closed'> {
      const deadline = Date.now() + 2000;
      for (;;) {
        if (bytes.length >= 2 && bytes.length >= 2 + bytes.readUInt16BE(0)) {
          const m = bytes.subarray(2, 2 + bytes.readUInt16BE(0));
          bytes = bytes.subarray(2 + m.length);
          return m;
        }
        if (closed) return 'closed';
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(exchange({ sent, expected: 'a response: a two-byte length, then that many bytes of DNS message', received: bytes.length ? `only ${bytes.length} bytes in 2 s: ${hex(bytes, 48)}` : 'nothing within 2 s' }));
        await new Promise<void>((r) => { const t = setTimeout(r, left); waiters.push(() => { clearTimeout(t); r(); }); });
      }
    },
  };
}

/** Reads one response and decodes it with dns-packet, failing with the raw bytes if it cannot. */
async function response(client: Awaited<ReturnType<typeof connect>>, sent: string): Promise<Msg> {
  const m = await client.next(sent);
  if (m === 'closed') throw new Error(exchange({ sent, expected: 'a response', received: 'the server closed the connection' }));
  try {
    return fromPacket(dnsPacket.decode(m));
  } catch (err) {
    throw new Error(exchange({ sent, expected: 'a DNS message after the length prefix', received: `${m.length} bytes dns-packet cannot decode (${(err as Error).message}): ${hex(m, 64)}` }));
  }
}

/** Checks a response against its query: ID, flags, question, rcode and answers. */
function expectAnswer(res: Msg, q: Query, rcode: number, answers: SimRecord[], sent: string): void {
  const h = res.header;
  const got = `id ${h.id}, qr ${h.qr}, rd ${h.rd}, ra ${h.ra}, rcode ${h.rcode}, question ${res.questions.map((x) => `${x.name.toLowerCase()} ${x.type}`).join(', ')}`;
  expect(got, exchange({
    sent,
    expected: `the query's ID and question echoed, QR set, RD copied from the query, RA set (we recurse), rcode ${rcode}`,
    received: `${got}\n            answers: ${showRecords(res.answers)}`,
  })).toBe(`id ${q.id}, qr true, rd ${q.rd}, ra true, rcode ${rcode}, question ${q.name} ${q.type}`);
  expect(canonicalRecords(res.answers), exchange({ sent, expected: `these answers:\n            ${showRecords(answers)}`, received: showRecords(res.answers) })).toBe(canonicalRecords(answers));
}

describe('stage 6: serve DNS over TCP', () => {
  it('answers a query framed with a two-byte length, as dig +tcp sends it', async () => {
    const { port, hosts } = await setup();
    const { name, records } = hosts();
    const q = { id: randomInt(0, 65_535), name, type: 'A', rd: pick([true, false]) };
    const client = await connect(port);
    const bytes = frame(encode(q));
    client.socket.write(bytes);
    const sent = `${show(q)}: ${hex(bytes, 48)}`;
    expectAnswer(await response(client, sent), q, 0, records, sent);
  });

  it('answers several queries written at once on one connection, each under its own ID', async () => {
    const { port, hosts } = await setup();
    const asked = Array.from({ length: randomInt(3, 5) }, (_, i) => ({ ...hosts(), id: 1000 * (i + 1) + randomInt(0, 999) }));
    const queries = asked.map((h) => ({ id: h.id, name: h.name, type: 'A', rd: true }));
    const client = await connect(port);
    client.socket.write(Buffer.concat(queries.map((q) => frame(encode(q)))));
    const sent = `${queries.length} framed queries in one write: ${queries.map(show).join('; ')}`;
    const byId = new Map<number, Msg>();
    for (let i = 0; i < queries.length; i++) {
      const res = await response(client, `${sent} (waiting for response ${i + 1})`);
      byId.set(res.header.id, res);
    }
    for (const [i, q] of queries.entries()) {
      const res = byId.get(q.id);
      expect(res, exchange({ sent, expected: `a response with ID ${q.id} (responses may come in any order)`, received: `IDs ${[...byId.keys()].join(', ')}` })).toBeDefined();
      expectAnswer(res!, q, 0, asked[i]!.records, `${show(q)}, one of ${queries.length} in one write`);
    }
  });

  it('reassembles queries that arrive in pieces, even with the length prefix split', async () => {
    const { port, hosts, serverRead } = await setup();
    const first = randomInt(0, 65_535);
    const ids = [first, (first + randomInt(1, 65_535)) % 65_536]; // distinct, so responses can be told apart
    const queries = [hosts(), hosts()].map((h, i) => ({ q: { id: ids[i]!, name: h.name, type: 'A', rd: true }, records: h.records }));
    const stream = Buffer.concat(queries.map(({ q }) => frame(encode(q))));
    // Piece one is a single byte, half of the first length; later pieces straddle the boundary between the two messages.
    const cuts = [1, ...new Set(Array.from({ length: 4 }, () => randomInt(2, stream.length - 1)))].sort((a, b) => a - b);
    const pieces = [...cuts, stream.length].map((end, i) => stream.subarray(i === 0 ? 0 : cuts[i - 1], end));
    const client = await connect(port);
    let written = 0;
    // If the server hangs up mid-message, say so instead of waiting for bytes it will never read.
    const hungUp = client.closed.then(() => {
      throw new Error(exchange({ sent: `a query in pieces; ${written} of ${stream.length} bytes sent so far`, expected: 'the server to wait for the rest of the message', received: 'the server closed the connection' }));
    });
    hungUp.catch(() => {}); // only raced below; a close after the test is not a failure
    for (const piece of pieces) {
      client.socket.write(piece);
      written += piece.length;
      await Promise.race([serverRead(written), hungUp]); // the server has this piece before the next is sent
    }
    const sent = `2 framed queries (${stream.length} bytes) in ${pieces.length} separate writes of ${pieces.map((p) => p.length).join(', ')} bytes`;
    const got = [await response(client, sent), await response(client, sent)];
    for (const { q, records } of queries) {
      const res = got.find((r) => r.header.id === q.id);
      expect(res, exchange({ sent, expected: `a response with ID ${q.id}`, received: `IDs ${got.map((r) => r.header.id).join(', ')}` })).toBeDefined();
      expectAnswer(res!, q, 0, records, `${show(q)}, ${sent}`);
    }
  });

  it('keeps the connection open for more queries and answers other connections meanwhile', async () => {
    const { port, hosts } = await setup();
    const [one, two] = [await connect(port), await connect(port)];
    for (let round = 1; round <= 2; round++) {
      for (const client of [one, two]) {
        const { name, records } = hosts();
        const q = { id: randomInt(0, 65_535), name, type: 'A', rd: true };
        client.socket.write(frame(encode(q)));
        const sent = `${show(q)}, query ${round} on connection ${client === one ? 1 : 2} of 2`;
        expectAnswer(await response(client, sent), q, 0, records, sent);
      }
    }
  });

  it('answers NXDOMAIN with the SOA, and SERVFAIL when resolution fails', async () => {
    const { port, world, zone } = await setup();
    const client = await connect(port);
    const missing = { id: randomInt(0, 65_535), name: world.name(zone), type: 'A', rd: true };
    client.socket.write(frame(encode(missing)));
    const nx = await response(client, show(missing));
    expectAnswer(nx, missing, 3, [], `${show(missing)}, a name that does not exist`);
    expect(nx.authorities.map((r) => `${r.name} ${r.type}`).join(', '), exchange({ sent: show(missing), expected: `the SOA of ${zone.origin} in the authority section`, received: showRecords(nx.authorities) })).toBe(`${zone.origin} SOA`);

    const [a, b] = [world.name(zone), world.name(zone)];
    world.add(zone, a, 'CNAME', b);
    world.add(zone, b, 'CNAME', a);
    const loop = { id: randomInt(0, 65_535), name: a, type: 'A', rd: true };
    client.socket.write(frame(encode(loop)));
    expectAnswer(await response(client, show(loop)), loop, 2, [], `${show(loop)}, where ${a} → ${b} → ${a}, so resolve() rejects`);
  });

  it('answers FORMERR to a message it cannot decode (or closes) and keeps serving', async () => {
    const { port, hosts } = await setup();
    const bad = await connect(port);
    const id = randomInt(0, 65_535);
    // A header promising one question, then a name that is a pointer past the end.
    const garbage = Buffer.from([id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0, 1, 0, 1]);
    bad.socket.write(frame(garbage));
    const sent = `a framed message that cannot be decoded: ${hex(garbage)}`;
    const reply = await bad.next(sent);
    if (reply !== 'closed') {
      const h = fromPacket(dnsPacket.decode(reply)).header;
      expect(`id ${h.id}, qr ${h.qr}, rcode ${h.rcode}`, exchange({ sent, expected: `rcode 1 (FORMERR) under the same ID ${id}, or a closed connection`, received: `id ${h.id}, qr ${h.qr}, rcode ${h.rcode}` })).toBe(`id ${id}, qr true, rcode 1`);
    }
    const good = await connect(port);
    const { name, records } = hosts();
    const q = { id: randomInt(0, 65_535), name, type: 'A', rd: true };
    good.socket.write(frame(encode(q)));
    expectAnswer(await response(good, `${show(q)} on a new connection, after the bad message`), q, 0, records, `${show(q)}, after a bad message on another connection`);
  });
});
