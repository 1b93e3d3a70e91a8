import net from 'node:net';
import type { Resolver } from './resolver.ts';

// Stage 6: a DNS server over TCP, so tools like `dig +tcp` can use your resolver.
//
// TCP is a byte stream, not a series of messages, so DNS over TCP puts a two-byte length (big
// endian) before every message, both ways (RFC 1035 §4.2.2). One connection may carry many
// queries (RFC 7766): a read may hold half a message, or several. Buffer what arrives and cut
// complete messages off the front.

/**
 * Creates the server; do not call listen(), the caller picks the address and port.
 *
 * For each query: decode it with decodeMessage, resolve its question with `resolver`, and write
 * back a framed response with the same ID and question, QR and RA set, RD copied from the query,
 * the resolution's rcode, answers and authorities. When resolve() rejects, answer SERVFAIL
 * (rcode 2). A message that cannot be decoded gets FORMERR (rcode 1) under its ID, or the
 * connection is closed. Keep the connection open for more queries either way.
 *
 * @example
 * createDnsServer(createResolver({ rootHints, transport })).listen(5353, '127.0.0.1');
 * // dig +tcp @127.0.0.1 -p 5353 www.example.test
 */
export function createDnsServer(resolver: Resolver): net.Server {
  return net.createServer((socket) => {
    // TODO stage 6: socket.on('data', …), keep the bytes that do not make a whole message yet,
    //   answer each complete query with resolver.resolve(), and write every response framed.
    void resolver;
    socket.end(); // replace this: for now the server hangs up on every client
  });
}
