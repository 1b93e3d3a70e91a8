import { z } from 'astro/zod';

/**
 * Props of <EncapsulationExplorer>: one application message wrapped for the wire (send) and
 * unwrapped again (receive). Header sizes are real: TCP and IPv4 headers are 20 bytes without
 * options and at most 60; Ethernet II adds a 14-byte header and a 4-byte frame check sequence.
 */
const headerBytes = (what: string) =>
  z
    .number()
    .int()
    .min(20)
    .max(60)
    .multipleOf(4)
    .default(20)
    .describe(`the ${what} header size in bytes: 20 without options, up to 60, in steps of 4`);

/** TLS 1.3 record: 5-byte header, then the encrypted content plus its 1-byte real type and a 16-byte AEAD tag. */
export const TLS_OVERHEAD = 5 + 1 + 16;
/** Ethernet II: destination MAC (6) + source MAC (6) + EtherType (2); then 4 bytes of FCS after the payload. */
export const ETH_HEADER = 14;
export const ETH_FCS = 4;
/** The smallest Ethernet payload; shorter packets are padded so the frame reaches 64 bytes. */
export const ETH_MIN_PAYLOAD = 46;
/** On the wire each frame is preceded by a 7-byte preamble and a 1-byte start delimiter, then 12 bytes of idle gap. */
export const PREAMBLE = 8;
export const GAP = 12;

/** The standard Ethernet MTU: the largest IP packet one frame carries. */
export const MTU = 1500;

export const EncapsulationExplorerSchema = z
  .strictObject({
    title: z.string().min(3).max(90).describe('a caption, e.g. "Wrapping one HTTP request for the wire"'),
    payloadLabel: z
      .string()
      .min(2)
      .max(32)
      .default('HTTP request')
      .describe('what the application sends, at most 32 characters, e.g. "HTTP request"'),
    payloadBytes: z
      .number()
      .int()
      .min(1)
      .default(400)
      .describe('the size of the application message in bytes, e.g. 400; it must fit in one 1500-byte packet'),
    tls: z
      .boolean()
      .default(false)
      .describe('true to wrap the message in a TLS 1.3 record (HTTPS) before TCP'),
    tcpHeaderBytes: headerBytes('TCP'),
    ipHeaderBytes: headerBytes('IPv4'),
    start: z
      .enum(['send', 'receive'])
      .default('send')
      .describe('which direction the stepper starts in: "send" (encapsulation) or "receive" (decapsulation)'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "hosts-networks-and-the-osi-model"'),
  })
  .superRefine((p, ctx) => {
    const packet = p.payloadBytes + (p.tls ? TLS_OVERHEAD : 0) + p.tcpHeaderBytes + p.ipHeaderBytes;
    if (packet > MTU) {
      const room = MTU - p.tcpHeaderBytes - p.ipHeaderBytes - (p.tls ? TLS_OVERHEAD : 0);
      ctx.addIssue({
        code: 'custom',
        path: ['payloadBytes'],
        message: `with these headers the IP packet would be ${packet} bytes, more than a 1500-byte Ethernet MTU; use at most ${room} (TCP would split a bigger message into several segments)`,
      });
    }
  });

export type EncapsulationExplorerProps = z.input<typeof EncapsulationExplorerSchema>;
export type EncapsulationExplorerData = z.output<typeof EncapsulationExplorerSchema>;

export type Layer = 'app' | 'tls' | 'tcp' | 'ip' | 'eth' | 'phy';

export type Block = {
  layer: Layer;
  /** "TCP header", "HTTP request", "FCS". */
  label: string;
  bytes: number;
  role: 'header' | 'payload' | 'trailer';
};

export type Stage = {
  layer: Layer;
  /** "Layer 4 · Transport". */
  where: string;
  /** The name of the unit at this point: "segment", "packet", "frame". */
  unit: string;
  /** One sentence: what this layer does on this step. */
  action: string;
  /** The header fields that matter, e.g. "source port 51234, destination port 443, …". */
  fields?: string;
  blocks: Block[];
  /** Bytes of the unit itself; for the physical layer, what the frame occupies on the wire. */
  total: number;
  /** Bytes that are not the application's: headers, trailers, padding (and preamble and gap on the wire). */
  overhead: number;
  /** The block added (send) or about to be removed (receive) on this step, by label. */
  changed: string[];
};

const WHERE: Record<Layer, string> = {
  app: 'Layer 7 · Application',
  tls: 'TLS · between application and transport',
  tcp: 'Layer 4 · Transport',
  ip: 'Layer 3 · Network',
  eth: 'Layer 2 · Data link',
  phy: 'Layer 1 · Physical',
};

/**
 * The message as each layer holds it, innermost first (the order of sending). Pure, so tests can
 * check every size without rendering.
 */
export function sendStages(p: EncapsulationExplorerData): Stage[] {
  const app: Block = { layer: 'app', label: p.payloadLabel, bytes: p.payloadBytes, role: 'payload' };
  const stages: Stage[] = [];
  const push = (s: Omit<Stage, 'total' | 'overhead' | 'where'>) => {
    const total = s.blocks.reduce((n, b) => n + b.bytes, 0);
    stages.push({ ...s, where: WHERE[s.layer], total, overhead: total - p.payloadBytes });
  };

  push({
    layer: 'app',
    unit: 'message',
    action: `The application writes a ${p.payloadBytes}-byte ${p.payloadLabel} into its socket. It never sees any of the headers below.`,
    blocks: [app],
    changed: [],
  });

  let inner: Block[] = [app];
  if (p.tls) {
    const encrypted: Block = { ...app, label: `${p.payloadLabel} (encrypted)` };
    inner = [
      { layer: 'tls', label: 'TLS record header', bytes: 5, role: 'header' },
      encrypted,
      { layer: 'tls', label: 'Type + AEAD tag', bytes: 1 + 16, role: 'trailer' },
    ];
    push({
      layer: 'tls',
      unit: 'TLS record',
      action: 'TLS encrypts the message and frames it as a record, so nobody on the path can read or alter it.',
      fields: 'content type, version, length; the encrypted message ends with its real type and a 16-byte authentication tag',
      blocks: inner,
      changed: ['TLS record header', 'Type + AEAD tag'],
    });
  }

  const segment: Block[] = [{ layer: 'tcp', label: 'TCP header', bytes: p.tcpHeaderBytes, role: 'header' }, ...inner];
  push({
    layer: 'tcp',
    unit: 'segment',
    action: 'The kernel\u2019s TCP adds a header that says which program the bytes are for and where they sit in the stream.',
    fields: `source port (e.g. 51234), destination port (${p.tls ? 443 : 80}), sequence and acknowledgement numbers, flags, window, checksum${p.tcpHeaderBytes > 20 ? `, ${p.tcpHeaderBytes - 20} bytes of options` : ''}`,
    blocks: segment,
    changed: ['TCP header'],
  });

  const packet: Block[] = [{ layer: 'ip', label: 'IPv4 header', bytes: p.ipHeaderBytes, role: 'header' }, ...segment];
  push({
    layer: 'ip',
    unit: 'packet',
    action: 'IP adds the source and destination addresses, which stay the same all the way to the server.',
    fields: `version 4, total length, TTL 64, protocol 6 (TCP), header checksum, source IP, destination IP${p.ipHeaderBytes > 20 ? `, ${p.ipHeaderBytes - 20} bytes of options` : ''}`,
    blocks: packet,
    changed: ['IPv4 header'],
  });

  const ipBytes = packet.reduce((n, b) => n + b.bytes, 0);
  const pad = Math.max(0, ETH_MIN_PAYLOAD - ipBytes);
  const frame: Block[] = [
    { layer: 'eth', label: 'Ethernet header', bytes: ETH_HEADER, role: 'header' },
    ...packet,
    ...(pad > 0 ? [{ layer: 'eth' as const, label: 'Padding', bytes: pad, role: 'trailer' as const }] : []),
    { layer: 'eth', label: 'FCS', bytes: ETH_FCS, role: 'trailer' },
  ];
  push({
    layer: 'eth',
    unit: 'frame',
    action: 'Ethernet wraps the packet for the next hop only, addressed to the next device\u2019s MAC address (often the router\u2019s, not the server\u2019s).',
    fields: `destination MAC, source MAC, EtherType 0x0800 (IPv4); after the packet${pad > 0 ? ` ${pad} bytes of padding and` : ''} a 4-byte frame check sequence (CRC-32)`,
    blocks: frame,
    changed: ['Ethernet header', ...(pad > 0 ? ['Padding'] : []), 'FCS'],
  });

  const wire: Block[] = [
    { layer: 'phy', label: 'Preamble + SFD', bytes: PREAMBLE, role: 'header' },
    ...frame,
    { layer: 'phy', label: 'Idle gap', bytes: GAP, role: 'trailer' },
  ];
  push({
    layer: 'phy',
    unit: 'bits',
    action: 'The network card turns the frame into signals: voltages on copper, light in fibre or radio waves.',
    fields: 'a 7-byte preamble and 1-byte start-of-frame delimiter go first, and 12 bytes of silence must follow before the next frame',
    blocks: wire,
    changed: ['Preamble + SFD', 'Idle gap'],
  });
  return stages;
}

/** The same stages in the order a receiver meets them, each with the part it checks and removes. */
export function receiveStages(p: EncapsulationExplorerData): Stage[] {
  const send = sendStages(p);
  const text: Record<Layer, { action: string; fields: string }> = {
    phy: {
      action: 'The network card turns signals back into bits and finds the frame after the preamble.',
      fields: 'the preamble, start delimiter and idle gap are discarded, and only the frame goes up',
    },
    eth: {
      action: 'The card checks the FCS and that the destination MAC is its own (or broadcast), then removes the Ethernet header and trailer.',
      fields: 'EtherType 0x0800 says the payload is IPv4, so it goes to the IP code',
    },
    ip: {
      action: 'IP checks that the destination address is this host\u2019s, then removes its header.',
      fields: 'protocol 6 says the payload is TCP; a router would instead decrement the TTL and forward it',
    },
    tcp: {
      action: 'TCP finds the connection by its four values (source IP and port, destination IP and port), acknowledges the bytes and removes its header.',
      fields: 'the sequence number puts the bytes in order in the socket\u2019s receive buffer',
    },
    tls: {
      action: 'TLS checks the authentication tag, decrypts the record and removes its framing.',
      fields: 'a tampered record fails the tag check and the connection is closed',
    },
    app: {
      action: `The application reads ${p.payloadBytes} bytes from the socket and parses the ${p.payloadLabel}.`,
      fields: 'it gets a stream of bytes, not packets: finding where one message ends is its own job',
    },
  };
  return [...send].reverse().map((s) => ({
    ...s,
    ...text[s.layer],
    changed: s.layer === 'app' ? [] : s.changed,
  }));
}
