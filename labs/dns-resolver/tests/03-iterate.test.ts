import { describe, expect, it } from 'vitest';
import { exchange, randomInt, randomWord, shuffle } from '../kit/index.ts';
import { addHost, World, zonePath, type Zone } from './hierarchy.ts';
import { expectAnswers, expectTrace, resolveOk, resolverFor, showSent } from './resolving.ts';
import { randomData, randomIPv4 } from './support.ts';

// Stage 3: walk down the tree. Each test builds a random hierarchy (root, TLDs, zones, servers
// with random names and addresses) behind the injected transport; the resolver knows only the
// root hints. Every server behaves well here; stage 4 brings the trouble.

/** Checks that query i went to a server of zones[i], for every level of the walk. */
function expectWalk(world: World, zones: Zone[], name: string): void {
  const levels = zones.map((z) => (z.origin === '.' ? 'a root server' : `a server of ${z.origin}`)).join(', then ');
  const ok = world.sent.length === zones.length && zones.every((z, i) => z.servers.some((s) => s.ip === world.sent[i]!.server));
  expect(ok, exchange({
    sent: `resolve("${name}", "A") with only the root hints known`,
    expected: `${zones.length} queries: ${levels} (each referral names the servers of the next zone down)`,
    received: `\n            ${showSent(world)}`,
  })).toBe(true);
}

describe('stage 3: resolve iteratively from the root', () => {
  it('asks a root server, then the TLD, then the authoritative server, and returns its A records', async () => {
    const world = new World();
    const zones = zonePath(world, 2);
    const { name, records } = addHost(world, zones[2]!);
    const { resolver } = resolverFor(world);
    const result = await resolveOk(resolver, world, name, 'A', `the A records of ${name}, found by following referrals from a root server down`);
    expectWalk(world, zones, name);
    expectAnswers(result, records, `resolve("${name}", "A")`, `the A records the authoritative server of ${zones[2]!.origin} holds`);
    expect(result.rcode, exchange({ sent: `resolve("${name}", "A")`, expected: 'rcode 0 (NOERROR)', received: `rcode ${result.rcode}` })).toBe(0);
    expectTrace(result, world, 0);
  });

  it('sends iterative queries: RD clear, one question for the name being resolved, a fresh ID each time', async () => {
    const world = new World();
    const zones = zonePath(world, randomInt(3, 4));
    const { name } = addHost(world, zones[zones.length - 1]!);
    const { resolver } = resolverFor(world);
    await resolveOk(resolver, world, name, 'A', `the A records of ${name}`);
    const bad = world.sent.filter((s) => s.rd || s.name.toLowerCase() !== name || s.type !== 'A');
    expect(bad.length, exchange({
      sent: `resolve("${name}", "A")`,
      expected: `every query to ask "${name}" type A with RD clear: the resolver does the recursion itself, each server only answers what it knows`,
      received: `\n            ${showSent(world)}`,
    })).toBe(0);
    // Random IDs may repeat by chance (1 in 65,536 per pair), so one repeat is forgiven.
    const ids = new Set(world.sent.map((s) => s.id));
    expect(ids.size >= world.sent.length - 1, exchange({
      sent: `resolve("${name}", "A")`,
      expected: `a fresh random ID for each of the ${world.sent.length} queries: a predictable ID lets an attacker forge answers`,
      received: `IDs ${world.sent.map((s) => s.id).join(', ')}`,
    })).toBe(true);
  });

  it('follows referrals down a hierarchy of random depth', async () => {
    const world = new World();
    const zones = zonePath(world, randomInt(3, 5));
    const { name, records } = addHost(world, zones[zones.length - 1]!);
    const { resolver } = resolverFor(world);
    const result = await resolveOk(resolver, world, name, 'A', `the A records of ${name}`);
    expectWalk(world, zones, name);
    expectAnswers(result, records, `resolve("${name}", "A")`, 'the A records at the bottom of the tree');
    expectTrace(result, world, 0);
  });

  it('looks up the address of a name server that came without glue before asking it', async () => {
    const world = new World();
    const [tldA, tldB] = [world.zone(world.root), world.zone(world.root)];
    const hosting = world.zone(tldB!); // the DNS host, whose servers have glue
    const zone = world.zone(tldA!, { nsIn: hosting }); // its servers are named under the DNS host
    const { name, records } = addHost(world, zone);
    const { resolver } = resolverFor(world);
    const nsNames = zone.servers.map((s) => s.name);
    const glueless = `${tldA!.origin}'s referral for ${zone.origin} names ${nsNames.join(', ')} and gives no glue (addresses), so resolve one of those names from the root first, then ask it`;
    const result = await resolveOk(resolver, world, name, 'A', `the A records of ${name}: ${glueless}`);
    expectAnswers(result, records, `resolve("${name}", "A")`, `the A records held by ${zone.origin}'s servers`);

    const firstAsked = world.sent.findIndex((s) => zone.servers.some((z) => z.ip === s.server));
    const lookedUp = world.sent.findIndex((s) => nsNames.includes(s.name.toLowerCase()) && s.type === 'A' && hosting.servers.some((h) => h.ip === s.server));
    expect(lookedUp >= 0 && lookedUp < firstAsked, exchange({
      sent: `resolve("${name}", "A"), where ${tldA!.origin}'s referral for ${zone.origin} names only ${nsNames.join(', ')}, with no glue`,
      expected: `an A lookup for one of those names (from the root down to ${hosting.origin}) before the first query to ${zone.origin}'s servers`,
      received: `\n            ${showSent(world)}`,
    })).toBe(true);
    expectTrace(result, world, 0);
  });

  it('returns only the records of the type asked for: A, AAAA, MX, TXT and NS', async () => {
    const world = new World();
    const zones = zonePath(world, 2);
    const zone = zones[2]!;
    const { resolver } = resolverFor(world);
    for (const type of shuffle(['A', 'AAAA', 'MX', 'TXT'] as const)) {
      const name = world.name(zone);
      const ttl = randomInt(60, 86_400);
      const records = Array.from({ length: randomInt(1, 2) }, () => world.add(zone, name, type, randomData(type, () => `${randomWord(2)}.${zone.origin}`), ttl));
      // Another type at the same name, which must not come back.
      if (type === 'A') world.add(zone, name, 'TXT', [`decoy ${randomWord(2)}`]);
      else world.add(zone, name, 'A', randomIPv4());
      const result = await resolveOk(resolver, world, name, type, `the ${type} records of ${name}`);
      expectAnswers(result, records, `resolve("${name}", "${type}")`, `only the ${type} records of ${name}`);
    }
    // NS at a zone's top: the parent only refers (it is not authoritative for the child's NS); the child answers.
    const result = await resolveOk(resolver, world, zone.origin, 'NS', `the NS records of ${zone.origin}`);
    expectAnswers(result, zone.records.filter((r) => r.type === 'NS' && r.name === zone.origin), `resolve("${zone.origin}", "NS")`, `the NS records of ${zone.origin}, from its own servers`);
  });
});
