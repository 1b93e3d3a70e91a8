import { describe, expect, test } from 'vitest';
import {
  analyseCidr,
  formatCount,
  maskOf,
  splitBinary,
  toBinary,
  type SubnetResult,
} from '../../../src/components/lesson/subnet-math.ts';

/** Narrows to a successful result, failing the test with the message otherwise. */
function ok(input: string): SubnetResult {
  const r = analyseCidr(input);
  if (!r.ok) throw new Error(`expected ${input} to parse, got: ${r.error}`);
  return r;
}

function error(input: string): string {
  const r = analyseCidr(input);
  if (r.ok) throw new Error(`expected ${input} to be rejected, got ${r.cidr}`);
  return r.error;
}

describe('analyseCidr: a /23', () => {
  test('puts 10.20.55.0/23 in the block 10.20.54.0 – 10.20.55.255 with 510 usable hosts', () => {
    const r = ok('10.20.55.0/23');
    expect(r).toMatchObject({
      cidr: '10.20.54.0/23',
      network: '10.20.54.0',
      broadcast: '10.20.55.255',
      firstHost: '10.20.54.1',
      lastHost: '10.20.55.254',
      totalAddresses: 512,
      usableHosts: 510,
      netmask: '255.255.254.0',
      wildcard: '0.0.1.255',
      maskBinary: '11111111.11111111.11111110.00000000',
      addressBinary: '00001010.00010100.00110111.00000000',
      kind: 'private',
      kindLabel: 'Private (RFC 1918)',
    });
  });

  test('treats 10.20.55.0 as a host inside the /23, not as its network address, and says so', () => {
    const r = ok('10.20.55.0/23');
    expect(r.normalised).toBe(true);
    expect(r.notes).toEqual([
      '10.20.55.0 is a host inside the block, not its network address; the block it belongs to is 10.20.54.0/23.',
    ]);
  });
});

describe('analyseCidr: host addresses', () => {
  test('normalises a host address to its network and keeps the address as typed', () => {
    const r = ok('192.168.1.77/24');
    expect(r).toMatchObject({ cidr: '192.168.1.0/24', address: '192.168.1.77', normalised: true, usableHosts: 254 });
    expect(r.addressBinary).toBe('11000000.10101000.00000001.01001101');
    expect(r.notes[0]).toMatchInlineSnapshot(
      `"192.168.1.77 is a host inside the block, not its network address; the block it belongs to is 192.168.1.0/24."`,
    );
  });

  test('leaves a network address as it is and adds no note', () => {
    const r = ok('172.16.0.0/12');
    expect(r).toMatchObject({ cidr: '172.16.0.0/12', normalised: false, broadcast: '172.31.255.255', notes: [] });
  });

  test('accepts spaces around the block', () => {
    expect(ok('  10.0.0.0/8 ').cidr).toBe('10.0.0.0/8');
  });
});

describe('analyseCidr: the edges of the prefix range', () => {
  test('gives a /31 two usable addresses and no broadcast, citing RFC 3021', () => {
    const r = ok('10.0.0.6/31');
    expect(r).toMatchObject({
      cidr: '10.0.0.6/31',
      network: '10.0.0.6',
      broadcast: null,
      firstHost: '10.0.0.6',
      lastHost: '10.0.0.7',
      totalAddresses: 2,
      usableHosts: 2,
      netmask: '255.255.255.254',
    });
    expect(r.notes).toMatchInlineSnapshot(`
      [
        "A /31 has no network or broadcast address: RFC 3021 lets both addresses be used on a point-to-point link between two routers.",
      ]
    `);
  });

  test('treats a /32 as exactly one host', () => {
    const r = ok('203.0.113.10/32');
    expect(r).toMatchObject({
      cidr: '203.0.113.10/32',
      network: '203.0.113.10',
      broadcast: null,
      firstHost: '203.0.113.10',
      lastHost: '203.0.113.10',
      totalAddresses: 1,
      usableHosts: 1,
      netmask: '255.255.255.255',
      wildcard: '0.0.0.0',
      kind: 'documentation',
    });
    expect(r.notes).toMatchInlineSnapshot(`
      [
        "A /32 is a single address: how routes, firewall rules and allow lists name exactly one host.",
      ]
    `);
  });

  test('spans all 2^32 addresses at /0 and calls it the default route', () => {
    const r = ok('0.0.0.0/0');
    expect(r).toMatchObject({
      cidr: '0.0.0.0/0',
      network: '0.0.0.0',
      broadcast: '255.255.255.255',
      firstHost: '0.0.0.1',
      lastHost: '255.255.255.254',
      totalAddresses: 4_294_967_296,
      usableHosts: 4_294_967_294,
      netmask: '0.0.0.0',
      maskBinary: '00000000.00000000.00000000.00000000',
      kind: 'mixed',
    });
    expect(r.notes.join(' ')).toContain('default route');
  });

  test('normalises any address at /0 to 0.0.0.0/0', () => {
    expect(ok('198.51.100.7/0')).toMatchObject({ cidr: '0.0.0.0/0', normalised: true });
  });
});

describe('analyseCidr: address kinds', () => {
  test.each([
    ['10.1.2.0/24', 'private', 'Private (RFC 1918)'],
    ['172.16.5.0/24', 'private', 'Private (RFC 1918)'],
    ['172.31.255.0/24', 'private', 'Private (RFC 1918)'],
    ['192.168.0.0/16', 'private', 'Private (RFC 1918)'],
    ['127.0.0.1/32', 'loopback', 'Loopback (RFC 1122)'],
    ['127.0.0.0/8', 'loopback', 'Loopback (RFC 1122)'],
    ['169.254.169.254/32', 'link-local', 'Link-local (RFC 3927)'],
    ['100.64.0.0/10', 'cgnat', 'Shared address space for carrier-grade NAT (RFC 6598)'],
    ['100.127.255.0/24', 'cgnat', 'Shared address space for carrier-grade NAT (RFC 6598)'],
    ['203.0.113.0/24', 'documentation', 'Documentation, TEST-NET-3 (RFC 5737)'],
    ['224.0.0.251/32', 'multicast', 'Multicast (RFC 5771)'],
    ['255.255.255.255/32', 'limited-broadcast', 'Limited broadcast (RFC 919)'],
    ['8.8.8.0/24', 'public', 'Public'],
    ['1.1.1.1/32', 'public', 'Public'],
  ])('classifies %s as %s', (cidr, kind, label) => {
    expect(ok(cidr)).toMatchObject({ kind, kindLabel: label });
  });

  test('does not call 172.32.0.0/16 or 100.128.0.0/16 special: they sit just outside the ranges', () => {
    expect(ok('172.32.0.0/16').kind).toBe('public');
    expect(ok('100.128.0.0/16').kind).toBe('public');
    expect(ok('172.15.0.0/16').kind).toBe('public');
  });

  test('names the special range inside a block that is only partly special', () => {
    expect(ok('172.0.0.0/8')).toMatchObject({
      kind: 'mixed',
      kindDetail: 'Contains 172.16.0.0/12 (private); the rest is public.',
    });
  });
});

describe('analyseCidr: invalid input', () => {
  test('rejects an octet above 255, naming it', () => {
    expect(error('300.1.1.1/24')).toMatchInlineSnapshot(
      `"The first number in "300.1.1.1" is 300; each of the four numbers is one byte, so 0 to 255."`,
    );
  });

  test('rejects a prefix longer than 32 bits', () => {
    expect(error('10.0.0.0/33')).toMatchInlineSnapshot(
      `"The prefix length /33 is too long: an IPv4 address has 32 bits, so the prefix is 0 to 32."`,
    );
  });

  test('rejects an address with three numbers', () => {
    expect(error('10.0.0')).toMatchInlineSnapshot(
      `""10.0.0" has 3 numbers; an IPv4 address has exactly four, separated by dots (like 10.0.0.0)."`,
    );
  });

  test('asks for a block when the input is empty or blank', () => {
    expect(error('')).toMatchInlineSnapshot(`"Enter an IPv4 block in CIDR notation, for example 10.20.55.0/23."`);
    expect(error('   ')).toBe(error(''));
  });

  test('asks for a prefix length when there is none', () => {
    expect(error('10.0.0.1')).toMatchInlineSnapshot(
      `""10.0.0.1" has no prefix length. Add one after a slash, for example 10.0.0.1/24, or 10.0.0.1/32 for this single address."`,
    );
    expect(error('10.0.0.0/')).toMatchInlineSnapshot(
      `""10.0.0.0/" ends with "/" but no prefix length; add a whole number from 0 to 32."`,
    );
  });

  test('rejects leading zeros, which some parsers read as octal', () => {
    expect(error('010.0.0.1/8')).toMatchInlineSnapshot(
      `"The first number in "010.0.0.1" has a leading zero ("010"). Write it without one: some parsers read a leading 0 as octal, so 010 would mean 8."`,
    );
  });

  test('rejects letters, empty octets, a non-numeric prefix, two slashes and IPv6', () => {
    expect(error('10.0.x.0/24')).toMatchInlineSnapshot(
      `""10.0.x.0" is not an IPv4 address: use only digits and dots, like 192.168.1.0."`,
    );
    expect(error('10..0.1/24')).toMatchInlineSnapshot(
      `"The second number in "10..0.1" is empty; an IPv4 address has four numbers, separated by dots."`,
    );
    expect(error('10.0.0.0/x')).toMatchInlineSnapshot(`"The prefix length "/x" must be a whole number from 0 to 32."`);
    expect(error('10.0.0.0/8/16')).toMatchInlineSnapshot(
      `""10.0.0.0/8/16" has more than one "/"; write one address and one prefix length, for example 10.0.0.0/8."`,
    );
    expect(error('2001:db8::/32')).toMatchInlineSnapshot(
      `""2001:db8::/32" looks like an IPv6 address; this calculator works with IPv4 only."`,
    );
  });
});

describe('binary helpers', () => {
  test('builds masks for every prefix, including /0 where a 32-bit shift would wrap', () => {
    expect(maskOf(0)).toBe(0);
    expect(maskOf(1)).toBe(0x80000000);
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(32)).toBe(0xffffffff);
  });

  test('splits dotted binary where the prefix ends, and the halves join back up', () => {
    const n = 0x0a14370f; // 10.20.55.15
    expect(splitBinary(n, 23)).toEqual(['00001010.00010100.0011011', '1.00001111']);
    expect(splitBinary(n, 24)).toEqual(['00001010.00010100.00110111', '.00001111']);
    expect(splitBinary(n, 0)).toEqual(['', toBinary(n)]);
    expect(splitBinary(n, 32)).toEqual([toBinary(n), '']);
    for (let p = 0; p <= 32; p++) expect(splitBinary(n, p).join('')).toBe(toBinary(n));
    for (let p = 0; p <= 32; p++) expect(splitBinary(n, p)[0].replaceAll('.', '')).toHaveLength(p);
  });

  test('groups thousands with commas', () => {
    expect(formatCount(510)).toBe('510');
    expect(formatCount(4_294_967_294)).toBe('4,294,967,294');
  });
});
