import { describe, expect, test } from 'vitest';
import {
  classify,
  createNat,
  inCidr,
  parseEndpoint,
  runScenario,
  type NatOptions,
  type Packet,
  type Proto,
} from '../../../src/components/lesson/nat-sim.ts';

const ep = parseEndpoint;
const pkt = (from: string, to: string, proto: Proto = 'tcp'): Packet => ({ proto, src: ep(from), dst: ep(to) });

/** A NAT on a clock the test moves by hand. */
function router(extra: Partial<NatOptions> = {}) {
  const clock = { t: 0 };
  const nat = createNat({ publicIp: '203.0.113.7', lan: '192.168.1.0/24', now: () => clock.t, ...extra });
  return { nat, clock };
}

describe('addresses', () => {
  test('parses an IPv4 socket and rejects out-of-range octets and ports', () => {
    expect(ep('192.168.1.10:51000')).toEqual({ ip: '192.168.1.10', port: 51000 });
    expect(() => ep('192.168.1.300:80')).toThrow(/not an IPv4 address/);
    expect(() => ep('192.168.1.3:70000')).toThrow(/outside 1–65535/);
    expect(() => ep('192.168.1.3')).toThrow(/not an IPv4 address/);
  });

  test('tells CIDR membership at the edges of a range', () => {
    expect(inCidr('172.16.0.0', '172.16.0.0/12')).toBe(true);
    expect(inCidr('172.31.255.255', '172.16.0.0/12')).toBe(true);
    expect(inCidr('172.32.0.1', '172.16.0.0/12')).toBe(false);
    expect(inCidr('255.255.255.255', '0.0.0.0/0')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.1/32')).toBe(true);
  });

  test('classifies the RFC 1918 ranges, the RFC 6598 CGNAT range and public addresses', () => {
    expect(classify('10.20.30.40')).toBe('private (RFC 1918)');
    expect(classify('172.20.0.5')).toBe('private (RFC 1918)');
    expect(classify('192.168.0.101')).toBe('private (RFC 1918)');
    expect(classify('100.64.12.9')).toBe('shared CGNAT space (RFC 6598)');
    expect(classify('100.128.0.1')).toBe('public');
    expect(classify('172.32.0.1')).toBe('public');
    expect(classify('203.0.113.7')).toBe('public');
  });
});

describe('outbound translation', () => {
  test('rewrites only the source of an outgoing packet to the public address and adds a row', () => {
    const { nat } = router();
    const { verdict } = nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443'));
    expect(verdict.action).toBe('snat');
    if (verdict.action !== 'snat') return;
    expect(verdict.created).toBe(true);
    expect(verdict.packet).toEqual(pkt('203.0.113.7:51000', '198.51.100.20:443'));
    expect(nat.table()).toHaveLength(1);
  });

  test('allocates distinct public ports when two hosts use the same private port', () => {
    const { nat } = router({ ports: { first: 40000, last: 40009 } });
    const a = nat.handle(pkt('192.168.1.10:40000', '198.51.100.20:443')).verdict;
    const b = nat.handle(pkt('192.168.1.11:40000', '198.51.100.20:443')).verdict;
    const c = nat.handle(pkt('192.168.1.12:40000', '198.51.100.30:443')).verdict;
    const ports = [a, b, c].map((v) => (v.action === 'snat' ? v.packet.src.port : undefined));
    expect(ports).toEqual([40000, 40001, 40002]);
  });

  test('allocates from the range when the private port falls outside it', () => {
    const { nat } = router({ ports: { first: 40000, last: 40009 } });
    const v = nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443')).verdict;
    expect(v.action === 'snat' && v.packet.src.port).toBe(40000);
  });

  test('never hands out a port that a port forward owns', () => {
    const { nat } = router({ forwards: [{ proto: 'tcp', publicPort: 8080, to: ep('192.168.1.20:80') }] });
    const v = nat.handle(pkt('192.168.1.10:8080', '198.51.100.20:443')).verdict;
    expect(v.action === 'snat' && v.packet.src.port).not.toBe(8080);
  });

  test('keeps TCP and UDP ports apart, so both may use the same public port', () => {
    const { nat } = router();
    const t = nat.handle(pkt('192.168.1.10:5000', '198.51.100.20:443', 'tcp')).verdict;
    const u = nat.handle(pkt('192.168.1.11:5000', '198.51.100.53:53', 'udp')).verdict;
    expect([t, u].map((v) => v.action === 'snat' && v.packet.src.port)).toEqual([5000, 5000]);
  });

  test('reuses the existing row for later packets of the same connection', () => {
    const { nat } = router();
    nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443'));
    const again = nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443')).verdict;
    expect(again.action === 'snat' && again.created).toBe(false);
    expect(nat.table()).toHaveLength(1);
  });

  test('drops a new connection when every public port in the range is taken', () => {
    const { nat } = router({ ports: { first: 40000, last: 40001 } });
    nat.handle(pkt('192.168.1.10:1', '198.51.100.20:443'));
    nat.handle(pkt('192.168.1.10:2', '198.51.100.20:443'));
    expect(nat.handle(pkt('192.168.1.10:3', '198.51.100.20:443')).verdict).toEqual({ action: 'drop', reason: 'no-free-port' });
  });
});

describe('inbound packets', () => {
  test('maps a reply back to the private socket that opened the connection', () => {
    const { nat } = router({ ports: { first: 40000, last: 40009 } });
    nat.handle(pkt('192.168.1.10:40000', '198.51.100.20:443'));
    nat.handle(pkt('192.168.1.11:40000', '198.51.100.20:443'));
    const first = nat.handle(pkt('198.51.100.20:443', '203.0.113.7:40000')).verdict;
    const second = nat.handle(pkt('198.51.100.20:443', '203.0.113.7:40001')).verdict;
    expect(first.action === 'unnat' && first.packet.dst).toEqual(ep('192.168.1.10:40000'));
    expect(second.action === 'unnat' && second.packet.dst).toEqual(ep('192.168.1.11:40000'));
  });

  test('drops an unsolicited packet that matches no row and no forward', () => {
    const { nat } = router();
    expect(nat.handle(pkt('198.51.100.66:40123', '203.0.113.7:22')).verdict).toEqual({ action: 'drop', reason: 'unsolicited' });
  });

  test('drops a packet to an open mapping when it comes from a different remote', () => {
    const { nat } = router();
    nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443'));
    const v = nat.handle(pkt('198.51.100.66:443', '203.0.113.7:51000')).verdict;
    expect(v).toEqual({ action: 'drop', reason: 'unsolicited' });
  });

  test('drops a packet addressed straight to a private address', () => {
    const { nat } = router();
    expect(nat.handle(pkt('198.51.100.66:40123', '192.168.1.10:22')).verdict).toEqual({ action: 'drop', reason: 'not-for-us' });
  });

  test('honours a port forward: rewrites the destination, then sends the replies out from the forwarded port', () => {
    const { nat } = router({ forwards: [{ proto: 'tcp', publicPort: 8080, to: ep('192.168.1.20:80') }] });
    const inV = nat.handle(pkt('198.51.100.66:40123', '203.0.113.7:8080')).verdict;
    expect(inV.action).toBe('dnat');
    expect(inV.action === 'dnat' && inV.packet).toEqual(pkt('198.51.100.66:40123', '192.168.1.20:80'));
    const outV = nat.handle(pkt('192.168.1.20:80', '198.51.100.66:40123')).verdict;
    expect(outV.action === 'snat' && outV.packet).toEqual(pkt('203.0.113.7:8080', '198.51.100.66:40123'));
    expect(outV.action === 'snat' && outV.created).toBe(false);
  });

  test('applies a port forward to its protocol only', () => {
    const { nat } = router({ forwards: [{ proto: 'tcp', publicPort: 8080, to: ep('192.168.1.20:80') }] });
    expect(nat.handle(pkt('198.51.100.66:40123', '203.0.113.7:8080', 'udp')).verdict.action).toBe('drop');
  });
});

describe('timeouts', () => {
  test('expires an idle row on the injected clock and then drops the late reply as expired', () => {
    const { nat, clock } = router({ timeouts: { udp: 30 } });
    nat.handle(pkt('192.168.1.11:53000', '198.51.100.53:53', 'udp'));
    clock.t = 29;
    expect(nat.expire()).toEqual([]);
    clock.t = 30;
    const { verdict, expired } = nat.handle(pkt('198.51.100.53:53', '203.0.113.7:53000', 'udp'));
    expect(expired.map((m) => m.inside)).toEqual([ep('192.168.1.11:53000')]);
    expect(verdict).toMatchObject({ action: 'drop', reason: 'expired' });
    expect(nat.table()).toEqual([]);
  });

  test('refreshes the idle timer on every packet in either direction', () => {
    const { nat, clock } = router({ timeouts: { udp: 30 } });
    nat.handle(pkt('192.168.1.11:53000', '198.51.100.53:53', 'udp'));
    clock.t = 20;
    nat.handle(pkt('198.51.100.53:53', '203.0.113.7:53000', 'udp'));
    clock.t = 45;
    expect(nat.handle(pkt('198.51.100.53:53', '203.0.113.7:53000', 'udp')).verdict.action).toBe('unnat');
  });

  test('uses a separate timeout per protocol', () => {
    const { nat, clock } = router({ timeouts: { udp: 30, tcp: 300 } });
    nat.handle(pkt('192.168.1.10:51000', '198.51.100.20:443', 'tcp'));
    nat.handle(pkt('192.168.1.11:53000', '198.51.100.53:53', 'udp'));
    clock.t = 60;
    expect(nat.expire().map((m) => m.proto)).toEqual(['udp']);
    expect(nat.table().map((m) => m.proto)).toEqual(['tcp']);
  });

  test('frees an expired row’s public port for the next connection', () => {
    const { nat, clock } = router({ ports: { first: 40000, last: 40000 }, timeouts: { udp: 30 } });
    nat.handle(pkt('192.168.1.11:1', '198.51.100.53:53', 'udp'));
    expect(nat.handle(pkt('192.168.1.12:1', '198.51.100.53:53', 'udp')).verdict.action).toBe('drop');
    clock.t = 31;
    const v = nat.handle(pkt('192.168.1.12:1', '198.51.100.53:53', 'udp')).verdict;
    expect(v.action === 'snat' && v.packet.src.port).toBe(40000);
  });
});

describe('hairpinning', () => {
  const forwards = [{ proto: 'tcp' as const, publicPort: 8080, to: ep('192.168.1.20:80') }];

  test('translates both addresses so the private server replies through the router', () => {
    const { nat } = router({ forwards });
    const there = nat.handle(pkt('192.168.1.10:52000', '203.0.113.7:8080')).verdict;
    expect(there.action === 'hairpin' && there.packet).toEqual(pkt('203.0.113.7:52000', '192.168.1.20:80'));
    const back = nat.handle(pkt('192.168.1.20:80', '203.0.113.7:52000')).verdict;
    expect(back.action === 'hairpin' && back.packet).toEqual(pkt('203.0.113.7:8080', '192.168.1.10:52000'));
  });

  test('drops a private host’s packet to the public address when hairpinning is off', () => {
    const { nat } = router({ forwards, hairpin: false });
    expect(nat.handle(pkt('192.168.1.10:52000', '203.0.113.7:8080')).verdict).toEqual({ action: 'drop', reason: 'no-hairpin' });
  });
});

describe('runScenario', () => {
  const options = {
    publicIp: '203.0.113.7',
    lan: '192.168.1.0/24',
    timeouts: { udp: 30 },
    names: { '192.168.1.10': 'Laptop', '198.51.100.20': 'Web server' },
  };

  test('builds a reply from what the receiver saw and maps it back', () => {
    const frames = runScenario(options, [
      { at: 0, from: '192.168.1.10:51000', to: '198.51.100.20:443', label: 'SYN' },
      { at: 0.05, replyTo: 1, label: 'SYN-ACK' },
    ]);
    expect(frames[1]!.before).toEqual(pkt('198.51.100.20:443', '203.0.113.7:51000'));
    expect(frames[1]!.direction).toBe('in');
    expect(frames[1]!.verdict.action).toBe('unnat');
    expect(frames[0]!.text).toBe(
      'TCP SYN from Laptop 192.168.1.10:51000 to Web server 198.51.100.20:443. The router rewrites the source to 203.0.113.7:51000 and adds a row to its table.',
    );
    expect(frames[1]!.text).toContain('rewrites the destination to Laptop 192.168.1.10:51000');
  });

  test('reports rows that expired before a step and when live rows will expire', () => {
    const frames = runScenario(options, [
      { at: 0, proto: 'udp', from: '192.168.1.11:53000', to: '198.51.100.53:53' },
      { at: 40, replyTo: 1 },
    ]);
    expect(frames[0]!.expires).toEqual({ 1: 30 });
    expect(frames[1]!.expired).toHaveLength(1);
    expect(frames[1]!.text).toContain('row 1 (192.168.1.11:53000) expires after 30 s without traffic');
    expect(frames[1]!.text).toContain('Dropped: its row has already expired');
  });

  test('rejects a reply to a packet the router dropped', () => {
    expect(() =>
      runScenario(options, [
        { at: 0, from: '198.51.100.66:40123', to: '203.0.113.7:22' },
        { at: 1, replyTo: 1 },
      ]),
    ).toThrow('step 2 replies to step 1, but the router dropped that packet');
  });

  test('rejects steps that go back in time or never cross the router', () => {
    expect(() => runScenario(options, [{ at: 5, from: '192.168.1.10:1', to: '198.51.100.20:443' }, { at: 1, replyTo: 1 }])).toThrow(
      'step 2 happens at 1 s, before step 1 (5 s)',
    );
    expect(() => runScenario(options, [{ at: 0, from: '192.168.1.10:1', to: '192.168.1.20:80' }])).toThrow('never passes through the NAT');
  });
});
