import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt } from '../kit/index.ts';
import { addHost, World, zonePath, type Zone } from './hierarchy.ts';
import { expectAnswers, resolveOk, resolverFor, showRecords, showSent, type Clock } from './resolving.ts';

// Stage 5: the cache. Time comes from a clock the test owns, so "an hour later" is one call,
// not a wait. The transport counts queries: a cached answer is one that needed none.

const at = (clock: Clock, start: number) => `${(clock.now() - start) / 1000} s after the first lookup`;

/** Fails unless exactly `count` queries went out since `from` (or at least one, for count -1). */
function expectQueries(world: World, from: number, count: number, sent: string, why: string): void {
  const n = world.sent.length - from;
  expect(count < 0 ? n > 0 : n === count, exchange({
    sent,
    expected: count < 0 ? `new queries: ${why}` : `${count === 0 ? 'no queries at all' : `${count} ${count === 1 ? 'query' : 'queries'}`}: ${why}`,
    received: `${n} ${n === 1 ? 'query' : 'queries'}:\n            ${showSent(world, from)}`,
  })).toBe(true);
}

/** A zone with the SOA TTL and MINIMUM set so that `lower` says which one limits negative caching. */
function negativeZone(world: World, lower: 'ttl' | 'minimum'): { zone: Zone; seconds: number } {
  const [, , zone] = zonePath(world, 2) as [Zone, Zone, Zone];
  const small = randomInt(30, 900);
  const big = small + randomInt(60, 3600);
  zone.soa.ttl = lower === 'ttl' ? small : big;
  zone.soa.data.minimum = lower === 'minimum' ? small : big;
  return { zone, seconds: small };
}

describe('stage 5: cache with TTLs', () => {
  it('answers a repeated lookup, CNAMEs included, from the cache without a single query', async () => {
    const world = new World();
    const [, tld, zone] = zonePath(world, 2) as [Zone, Zone, Zone];
    const other = world.zone(tld);
    const { name: target, records } = addHost(world, other);
    const alias = world.name(zone);
    const cname = world.add(zone, alias, 'CNAME', target);
    const { resolver } = resolverFor(world);
    await resolveOk(resolver, world, alias, 'A', `the CNAME and the A records of ${target}`);
    const from = world.sent.length;
    const again = await resolveOk(resolver, world, alias, 'A', 'the same answer, from the cache');
    const sent = `resolve("${alias}", "A") a second time at once, where ${alias} → ${target}`;
    expectQueries(world, from, 0, sent, 'every record of the first answer is still fresh');
    expectAnswers(again, [cname, ...records], sent, 'the same records with the same TTLs (no time has passed)');
    expect(again.trace?.length, exchange({ sent, expected: 'an empty trace', received: JSON.stringify(again.trace) })).toBe(0);
  });

  it('counts TTLs down in whole seconds and asks again once they reach zero', async () => {
    const world = new World();
    const zones = zonePath(world, 2);
    const ttl = randomInt(120, 3600);
    const { name, records } = addHost(world, zones[2]!, ttl);
    const { resolver, clock } = resolverFor(world);
    const start = clock.now();
    await resolveOk(resolver, world, name, 'A', 'the A records');

    const passed = randomInt(1, ttl - 1);
    clock.advance(passed + randomInt(500, 999) / 1000); // over half a second: rounding instead of flooring shows
    let from = world.sent.length;
    const later = await resolveOk(resolver, world, name, 'A', 'the A records from the cache');
    const sent = `resolve("${name}", "A") ${at(clock, start)}; the records came with TTL ${ttl}`;
    expectQueries(world, from, 0, sent, 'the records are still fresh');
    expectAnswers(later, records.map((r) => ({ ...r, ttl: ttl - passed })), sent, `TTL ${ttl} − ${passed} whole seconds = ${ttl - passed}`);

    clock.advance(ttl - (clock.now() - start) / 1000); // exactly ttl seconds after the answer arrived
    from = world.sent.length;
    const fresh = await resolveOk(resolver, world, name, 'A', 'the A records, fetched again');
    expectQueries(world, from, -1, `resolve("${name}", "A") exactly ${ttl} s (the TTL) after the first lookup`, 'a TTL of 0 seconds left means expired');
    expectAnswers(fresh, records, `the same lookup after expiry`, `the records with their full TTL of ${ttl} again`);
  });

  for (const lower of ['ttl', 'minimum'] as const) {
    it(`caches NXDOMAIN for the SOA's ${lower === 'ttl' ? 'TTL, when it is lower than its MINIMUM' : 'MINIMUM, when it is lower than its TTL'} (RFC 2308)`, async () => {
      const world = new World();
      const { zone, seconds } = negativeZone(world, lower);
      const missing = world.name(zone);
      const { resolver, clock } = resolverFor(world);
      const start = clock.now();
      await resolveOk(resolver, world, missing, 'A', 'NXDOMAIN');
      const soa = `the SOA of ${zone.origin} has TTL ${zone.soa.ttl} and MINIMUM ${zone.soa.data.minimum}`;

      clock.advance(seconds - 1);
      let from = world.sent.length;
      const cached = await resolveOk(resolver, world, missing, 'A', 'NXDOMAIN from the cache');
      expectQueries(world, from, 0, `resolve("${missing}", "A") again ${at(clock, start)}; ${soa}`, `NXDOMAIN is cached for the lower of the two, ${seconds} s`);
      expect(cached.rcode, exchange({ sent: `the same lookup, ${at(clock, start)}`, expected: 'rcode 3 (NXDOMAIN) from the cache', received: `rcode ${cached.rcode}, answers ${showRecords(cached.answers ?? [])}` })).toBe(3);

      clock.advance(1);
      from = world.sent.length;
      await resolveOk(resolver, world, missing, 'A', 'NXDOMAIN, asked again');
      expectQueries(world, from, -1, `resolve("${missing}", "A") again ${at(clock, start)}; ${soa}`, `the negative answer expired after ${seconds} s`);
    });
  }

  it('caches NODATA for the lower of the SOA TTL and MINIMUM, separately for each type', async () => {
    const world = new World();
    const { zone, seconds } = negativeZone(world, pick(['ttl', 'minimum']));
    const { name, records } = addHost(world, zone, seconds + randomInt(100, 1000));
    const { resolver, clock } = resolverFor(world);
    const start = clock.now();
    const type = pick(['AAAA', 'MX', 'TXT']);
    await resolveOk(resolver, world, name, type, 'NODATA');
    await resolveOk(resolver, world, name, 'A', 'the A records');
    const soa = `the SOA of ${zone.origin} has TTL ${zone.soa.ttl} and MINIMUM ${zone.soa.data.minimum}`;

    clock.advance(seconds - 1);
    let from = world.sent.length;
    const nodata = await resolveOk(resolver, world, name, type, 'NODATA from the cache');
    const a = await resolveOk(resolver, world, name, 'A', 'the A records from the cache');
    expectQueries(world, from, 0, `resolve("${name}", "${type}") and resolve("${name}", "A") ${at(clock, start)}; ${soa}`, `"no ${type} records" is cached for ${seconds} s, and the A records are still fresh`);
    expectAnswers(nodata, [], `resolve("${name}", "${type}") from the cache`, 'no answers, as before');
    expectAnswers(a, records.map((r) => ({ ...r, ttl: r.ttl - (seconds - 1) })), `resolve("${name}", "A") from the cache`, 'the A records, with their TTLs counted down: a NODATA for one type says nothing about another');

    clock.advance(1);
    from = world.sent.length;
    await resolveOk(resolver, world, name, type, 'NODATA, asked again');
    expectQueries(world, from, -1, `resolve("${name}", "${type}") ${at(clock, start)}`, `NODATA expired after ${seconds} s`);
  });

  it('remembers referrals: the same zone goes straight to its servers, a sibling zone skips the root', async () => {
    const world = new World();
    const [, tld, zone] = zonePath(world, 2) as [Zone, Zone, Zone];
    const sibling = world.zone(tld);
    const { resolver } = resolverFor(world);
    await resolveOk(resolver, world, addHost(world, zone).name, 'A', 'the A records');

    const same = addHost(world, zone).name;
    let from = world.sent.length;
    await resolveOk(resolver, world, same, 'A', 'the A records');
    const toZone = world.sent.length - from === 1 && zone.servers.some((s) => s.ip === world.sent[from]!.server);
    expect(toZone, exchange({ sent: `resolve("${same}", "A") after a lookup in ${zone.origin}`, expected: `one query, straight to a server of ${zone.origin}: its NS records and glue are cached`, received: `\n            ${showSent(world, from)}` })).toBe(true);

    const near = addHost(world, sibling).name;
    from = world.sent.length;
    await resolveOk(resolver, world, near, 'A', 'the A records');
    const toTld = tld.servers.some((s) => s.ip === world.sent[from]?.server);
    expect(toTld, exchange({ sent: `resolve("${near}", "A"), in ${sibling.origin}, next to ${zone.origin}`, expected: `the first query to go to a server of ${tld.origin}, whose referral is cached, not to the root`, received: `\n            ${showSent(world, from)}` })).toBe(true);
  });

  it("skips the root until the TLD's NS records expire, then starts there again", async () => {
    const world = new World();
    const [, tld, zone] = zonePath(world, 2) as [Zone, Zone, Zone];
    tld.nsTtl = randomInt(300, 3000);
    const [early, late] = [world.zone(tld), world.zone(tld)];
    const { resolver, clock } = resolverFor(world);
    await resolveOk(resolver, world, addHost(world, zone).name, 'A', 'the A records');
    const at = (seconds: number) => `${seconds} s after the root's referral to ${tld.origin}, whose NS records have TTL ${tld.nsTtl}`;

    clock.advance(tld.nsTtl - 1);
    const before = addHost(world, early).name;
    let from = world.sent.length;
    await resolveOk(resolver, world, before, 'A', 'the A records');
    const toTld = tld.servers.some((s) => s.ip === world.sent[from]?.server);
    expect(toTld, exchange({ sent: `resolve("${before}", "A") ${at(tld.nsTtl - 1)}`, expected: `the first query to go to a server of ${tld.origin}: the referral is still fresh`, received: `\n            ${showSent(world, from)}` })).toBe(true);

    clock.advance(1);
    const after = addHost(world, late).name;
    from = world.sent.length;
    await resolveOk(resolver, world, after, 'A', 'the A records');
    const toRoot = world.root.servers.some((s) => s.ip === world.sent[from]?.server);
    expect(toRoot, exchange({ sent: `resolve("${after}", "A") ${at(tld.nsTtl)}`, expected: 'the first query to go to a root server: the cached referral has just expired', received: `\n            ${showSent(world, from)}` })).toBe(true);
  });

  it("ignores records for names outside the zone of the server that sent them (cache poisoning)", async () => {
    const world = new World();
    const [, , zone] = zonePath(world, 2) as [Zone, Zone, Zone];
    const [, , victim] = zonePath(world, 2) as [Zone, Zone, Zone];
    const real = addHost(world, victim);
    const forged = { name: real.name, type: 'A' as const, ttl: 86_400, data: '192.0.2.254' };
    for (const s of zone.servers) world.extra.set(s.ip, [forged]);
    const { resolver } = resolverFor(world);
    const bait = addHost(world, zone).name;
    await resolveOk(resolver, world, bait, 'A', 'the A records');
    const from = world.sent.length;
    const result = await resolveOk(resolver, world, real.name, 'A', `the real A records of ${real.name}`);
    const sent = `resolve("${bait}", "A"), whose server also slipped "${real.name} A 192.0.2.254" into its answer, then resolve("${real.name}", "A")`;
    expectAnswers(result, real.records, sent, `the records from ${victim.origin}'s own servers: a server of ${zone.origin} has no say over names in ${victim.origin}`);
    expectQueries(world, from, -1, sent, `${real.name} was never answered by a server that speaks for it`);
  });
});
