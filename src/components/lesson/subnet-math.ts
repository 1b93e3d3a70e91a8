/**
 * IPv4 CIDR arithmetic for <SubnetCalculator>, shared by its build-time render and its browser
 * script. Pure and free of zod and the DOM, so the script bundle stays tiny and tests need no setup.
 *
 * Addresses are handled as unsigned 32-bit integers (0 … 2^32 − 1). JavaScript's bitwise operators
 * work on signed 32-bit values, so every result goes through `>>> 0`; and a shift by 32 is a shift
 * by 0 in JavaScript, so the /0 mask is special-cased.
 */

export type AddressKind =
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'cgnat'
  | 'documentation'
  | 'this-network'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'limited-broadcast'
  | 'public'
  | 'mixed';

export type SubnetResult = {
  ok: true;
  /** The block in canonical form, network address first: "10.20.54.0/23". */
  cidr: string;
  /** The address as typed (after trimming): "10.20.55.7". */
  address: string;
  prefix: number;
  /** True when the typed address was a host inside the block rather than its network address. */
  normalised: boolean;
  network: string;
  /** The all-ones host address, or null for /31 and /32, which have none. */
  broadcast: string | null;
  firstHost: string;
  lastHost: string;
  /** Every address in the block, 2^(32 − prefix). */
  totalAddresses: number;
  /** Addresses a host can use: total − 2, except 2 for a /31 (RFC 3021) and 1 for a /32. */
  usableHosts: number;
  netmask: string;
  /** The inverted mask, as Cisco ACLs and some firewalls write it. */
  wildcard: string;
  /** Dotted binary, e.g. "11111111.11111111.11111110.00000000". */
  maskBinary: string;
  /** The typed address in dotted binary. */
  addressBinary: string;
  kind: AddressKind;
  /** Short name of the kind with its RFC, e.g. "Private (RFC 1918)". */
  kindLabel: string;
  /** One sentence on what that means in practice. */
  kindDetail: string;
  /** Remarks worth reading: normalisation, /31, /32, /0. */
  notes: string[];
};

export type SubnetError = { ok: false; input: string; error: string };

type Special = {
  cidr: string;
  kind: Exclude<AddressKind, 'public' | 'mixed'>;
  /** A few words for lists, e.g. "private". */
  short: string;
  label: string;
  detail: string;
};

/**
 * IANA special-purpose ranges (RFC 6890 and the registries it set up), most specific first so a
 * block inside two of them (255.255.255.255/32 is inside 240.0.0.0/4) gets the narrower label.
 */
export const SPECIAL_RANGES: readonly Special[] = [
  {
    cidr: '255.255.255.255/32',
    kind: 'limited-broadcast',
    short: 'limited broadcast',
    label: 'Limited broadcast (RFC 919)',
    detail: 'Sent to every host on the local link; routers never forward it.',
  },
  {
    cidr: '0.0.0.0/8',
    kind: 'this-network',
    short: '"this network"',
    label: '"This network" (RFC 791, RFC 1122)',
    detail: 'Not a destination. 0.0.0.0 as a listen address means "every local address".',
  },
  {
    cidr: '10.0.0.0/8',
    kind: 'private',
    short: 'private',
    label: 'Private (RFC 1918)',
    detail: 'Free for anyone to use inside a network; not routed on the public Internet, so it reaches out through NAT.',
  },
  {
    cidr: '100.64.0.0/10',
    kind: 'cgnat',
    short: 'CGNAT',
    label: 'Shared address space for carrier-grade NAT (RFC 6598)',
    detail: 'Used between an ISP\u2019s NAT and its customers (and by overlays such as Tailscale); not routed on the Internet.',
  },
  {
    cidr: '127.0.0.0/8',
    kind: 'loopback',
    short: 'loopback',
    label: 'Loopback (RFC 1122)',
    detail: 'Never leaves the host: every address in 127.0.0.0/8 talks to the machine itself.',
  },
  {
    cidr: '169.254.0.0/16',
    kind: 'link-local',
    short: 'link-local',
    label: 'Link-local (RFC 3927)',
    detail: 'Valid on one link only and never routed; self-assigned when DHCP fails. Clouds serve instance metadata on 169.254.169.254.',
  },
  {
    cidr: '172.16.0.0/12',
    kind: 'private',
    short: 'private',
    label: 'Private (RFC 1918)',
    detail: 'Free for anyone to use inside a network; not routed on the public Internet, so it reaches out through NAT.',
  },
  {
    cidr: '192.0.0.0/24',
    kind: 'reserved',
    short: 'reserved',
    label: 'IETF protocol assignments (RFC 6890)',
    detail: 'Reserved for specific protocols; do not number your own hosts from it.',
  },
  {
    cidr: '192.0.2.0/24',
    kind: 'documentation',
    short: 'documentation',
    label: 'Documentation, TEST-NET-1 (RFC 5737)',
    detail: 'For examples in books and docs; never routed. Safe to print, never deploy.',
  },
  {
    cidr: '192.168.0.0/16',
    kind: 'private',
    short: 'private',
    label: 'Private (RFC 1918)',
    detail: 'Free for anyone to use inside a network; not routed on the public Internet, so it reaches out through NAT.',
  },
  {
    cidr: '198.18.0.0/15',
    kind: 'benchmarking',
    short: 'benchmarking',
    label: 'Benchmarking (RFC 2544)',
    detail: 'Reserved for testing network equipment in the lab.',
  },
  {
    cidr: '198.51.100.0/24',
    kind: 'documentation',
    short: 'documentation',
    label: 'Documentation, TEST-NET-2 (RFC 5737)',
    detail: 'For examples in books and docs; never routed. Safe to print, never deploy.',
  },
  {
    cidr: '203.0.113.0/24',
    kind: 'documentation',
    short: 'documentation',
    label: 'Documentation, TEST-NET-3 (RFC 5737)',
    detail: 'For examples in books and docs; never routed. Safe to print, never deploy.',
  },
  {
    cidr: '224.0.0.0/4',
    kind: 'multicast',
    short: 'multicast',
    label: 'Multicast (RFC 5771)',
    detail: 'Addresses a group of receivers, not one host; never a source address.',
  },
  {
    cidr: '240.0.0.0/4',
    kind: 'reserved',
    short: 'reserved',
    label: 'Reserved for future use (RFC 1112)',
    detail: 'Not usable on the Internet; most operating systems refuse to send to it.',
  },
];

/** Parses "a.b.c.d/n" (surrounding spaces allowed) and works out everything about the block. */
export function analyseCidr(raw: string): SubnetResult | SubnetError {
  const input = raw.trim();
  const fail = (error: string): SubnetError => ({ ok: false, input, error });
  if (input === '') return fail('Enter an IPv4 block in CIDR notation, for example 10.20.55.0/23.');
  if (input.includes(':')) {
    return fail(`"${input}" looks like an IPv6 address; this calculator works with IPv4 only.`);
  }
  const slash = input.split('/');
  if (slash.length > 2) return fail(`"${input}" has more than one "/"; write one address and one prefix length, for example 10.0.0.0/8.`);
  const [addressText, prefixText] = slash as [string, string | undefined];

  const parsed = parseAddress(addressText);
  if (typeof parsed === 'string') return fail(parsed);

  if (prefixText === undefined) {
    return fail(
      `"${input}" has no prefix length. Add one after a slash, for example ${addressText}/24, or ${addressText}/32 for this single address.`,
    );
  }
  if (prefixText === '') {
    return fail(`"${input}" ends with "/" but no prefix length; add a whole number from 0 to 32.`);
  }
  if (!/^\d{1,2}$/.test(prefixText)) {
    return fail(`The prefix length "/${prefixText}" must be a whole number from 0 to 32.`);
  }
  const prefix = Number(prefixText);
  if (prefix > 32) {
    return fail(`The prefix length /${prefix} is too long: an IPv4 address has 32 bits, so the prefix is 0 to 32.`);
  }
  return describeBlock(parsed, prefix, addressText);
}

/** A 32-bit number, or a sentence saying what is wrong with the text. */
export function parseAddress(text: string): number | string {
  if (text === '') return 'The address is missing before the "/". Write four numbers separated by dots, for example 10.0.0.0/8.';
  if (!/^[0-9.]+$/.test(text)) {
    return `"${text}" is not an IPv4 address: use only digits and dots, like 192.168.1.0.`;
  }
  const parts = text.split('.');
  if (parts.length !== 4) {
    return `"${text}" has ${parts.length} ${parts.length === 1 ? 'number' : 'numbers'}; an IPv4 address has exactly four, separated by dots (like 10.0.0.0).`;
  }
  let value = 0;
  for (const [i, part] of parts.entries()) {
    const which = ['first', 'second', 'third', 'fourth'][i];
    if (part === '') return `The ${which} number in "${text}" is empty; an IPv4 address has four numbers, separated by dots.`;
    if (part.length > 1 && part.startsWith('0')) {
      return `The ${which} number in "${text}" has a leading zero ("${part}"). Write it without one: some parsers read a leading 0 as octal, so 010 would mean 8.`;
    }
    const n = Number(part);
    if (n > 255) return `The ${which} number in "${text}" is ${n}; each of the four numbers is one byte, so 0 to 255.`;
    value = value * 256 + n;
  }
  return value;
}

/** The netmask of a prefix length as an unsigned 32-bit number. */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function toDotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function toBinary(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((o) => o.toString(2).padStart(8, '0')).join('.');
}

/**
 * Dotted binary split where the prefix ends: [network bits, host bits]. The dot that follows a
 * whole network octet goes with the host part, so the two halves always join back to toBinary(n).
 */
export function splitBinary(n: number, prefix: number): [string, string] {
  const text = toBinary(n);
  const end = prefix === 0 ? 0 : prefix - 1 + Math.floor((prefix - 1) / 8) + 1;
  return [text.slice(0, end), text.slice(end)];
}

function describeBlock(address: number, prefix: number, addressText: string): SubnetResult {
  const mask = maskOf(prefix);
  const network = (address & mask) >>> 0;
  const last = (network | ~mask) >>> 0;
  const total = 2 ** (32 - prefix);
  const cidr = `${toDotted(network)}/${prefix}`;
  const notes: string[] = [];
  const normalised = network !== address;
  if (normalised) {
    notes.push(
      `${addressText} is a host inside the block, not its network address; the block it belongs to is ${cidr}.`,
    );
  }

  let firstHost = network;
  let lastHost = last;
  let usable = total;
  let broadcast: number | null = last;
  if (prefix === 32) {
    broadcast = null;
    usable = 1;
    notes.push('A /32 is a single address: how routes, firewall rules and allow lists name exactly one host.');
  } else if (prefix === 31) {
    broadcast = null;
    usable = 2;
    notes.push(
      'A /31 has no network or broadcast address: RFC 3021 lets both addresses be used on a point-to-point link between two routers.',
    );
  } else {
    firstHost = network + 1;
    lastHost = last - 1;
    usable = total - 2;
  }
  if (prefix === 0) {
    notes.push(
      '0.0.0.0/0 covers every IPv4 address. As a route it is the default route, and in a firewall rule it means "anywhere".',
    );
  }

  const { kind, kindLabel, kindDetail } = classify(network, last);
  return {
    ok: true,
    cidr,
    address: addressText,
    prefix,
    normalised,
    network: toDotted(network),
    broadcast: broadcast === null ? null : toDotted(broadcast),
    firstHost: toDotted(firstHost),
    lastHost: toDotted(lastHost),
    totalAddresses: total,
    usableHosts: usable,
    netmask: toDotted(mask),
    wildcard: toDotted(~mask >>> 0),
    maskBinary: toBinary(mask),
    addressBinary: toBinary(address),
    kind,
    kindLabel,
    kindDetail,
    notes,
  };
}

function rangeOf(cidr: string): [number, number] {
  const [a, p] = cidr.split('/') as [string, string];
  const start = parseAddress(a) as number;
  return [start, (start | ~maskOf(Number(p))) >>> 0];
}

/** Which special range holds the whole block, or which ones it overlaps, or public. */
export function classify(first: number, last: number): Pick<SubnetResult, 'kind' | 'kindLabel' | 'kindDetail'> {
  const ranges = SPECIAL_RANGES.map((s) => ({ ...s, range: rangeOf(s.cidr) }));
  const inside = ranges.find((s) => s.range[0] <= first && last <= s.range[1]);
  if (inside) return { kind: inside.kind, kindLabel: inside.label, kindDetail: inside.detail };
  const overlaps = ranges.filter((s) => s.range[0] <= last && first <= s.range[1]);
  if (overlaps.length > 0) {
    overlaps.sort((a, b) => a.range[0] - b.range[0]);
    const shown = overlaps.slice(0, 4).map((s) => `${s.cidr} (${s.short})`);
    const more = overlaps.length > 4 ? ` and ${overlaps.length - 4} more` : '';
    return {
      kind: 'mixed',
      kindLabel: 'Mixed: public and special-purpose space',
      kindDetail: `Contains ${shown.join(', ')}${more}; the rest is public.`,
    };
  }
  return {
    kind: 'public',
    kindLabel: 'Public',
    kindDetail: 'Globally routable: an address here must be allocated to you (by a regional registry, an ISP or a cloud) before you use it.',
  };
}

/** "510" → "510", 16777214 → "16,777,214": grouping without Intl, so build and browser agree. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
