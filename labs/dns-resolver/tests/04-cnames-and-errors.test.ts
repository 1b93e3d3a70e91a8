import { describe, expect, it } from 'vitest';
import { exchange, pick, randomInt, shuffle } from '../kit/index.ts';
import { World, type Behaviour, type SimRecord, type Zone } from './hierarchy.ts';
import { expectAnswers, expectTrace, resolveFails, resolveOk, resolverFor, showRecords, showSent, type Result } from './resolving.ts';
import { randomIPv4 } from './support.ts';

// Stage 4: aliases and trouble. CNAME chains hop between zones (the resolver starts over for
// each new name), negative answers come in two kinds, and some servers time out, fail, send
// garbage, forge answers or point back up the tree. The resolver must get through or stop.

/** `count` zones under one or two TLDs, for aliases to hop between. */
function zones(world: World, count: number): Zone[] {
  const tlds = [world.zone(world.root), world.zone(world.root)];
  return Array.from({ length: count }, () => world.zone(pick(tlds)));
}

/** A chain of `length` CNAMEs through random zones, ending in A records (or nothing, with `dangling`). */
function aliasChain(world: World, pool: Zone[], length: number, dangling = false) {
  const names = Array.from({ length: length + 1 }, () => world.name(pick(pool)));
  const zoneOf = (n: string) => pool.find((z) => n.endsWith(`.${z.origin}`))!;
  const ttl = () => randomInt(60, 86_400);
  const cnames = names.slice(0, -1).map((n, i) => world.add(zoneOf(n), n, 'CNAME', names[i + 1]!, ttl()));
  const last = names[length]!;
  const t = ttl();
  const finals = dangling ? [] : Array.from({ length: randomInt(1, 2) }, () => world.add(zoneOf(last), last, 'A', randomIPv4(), t));
  return { first: names[0]!, last, cnames, finals, path: names.join(' → ') };
}

function expectRcode(result: Result, rcode: number, sent: string, why: string): void {
  expect(result.rcode, exchange({ sent, expected: `rcode ${rcode} (${rcode === 3 ? 'NXDOMAIN' : 'NOERROR'}): ${why}`, received: `rcode ${result.rcode}, answers ${showRecords(result.answers ?? [])}` })).toBe(rcode);
}

function expectSoa(result: Result, zone: Zone, sent: string): void {
  const soa = (result.authorities ?? []).find((r) => r.type === 'SOA');
  expect(soa?.name?.toLowerCase(), exchange({ sent, expected: `the SOA of ${zone.origin} in authorities: it says how long the negative answer may be cached`, received: showRecords(result.authorities ?? []) })).toBe(zone.origin);
}

describe('stage 4: CNAMEs and errors', () => {
  it('follows CNAME chains of up to 8 aliases across zones and returns every alias, then the records', async () => {
    const world = new World();
    const pool = zones(world, 3);
    const { resolver } = resolverFor(world);
    for (const length of [randomInt(1, 7), 8]) {
      const chain = aliasChain(world, pool, length);
      const sent = `resolve("${chain.first}", "A"), where ${chain.path}`;
      const result = await resolveOk(resolver, world, chain.first, 'A', `the ${length} CNAMEs of the chain, then the A records of ${chain.last}`);
      expectAnswers(result, [...chain.cnames, ...chain.finals], sent, `each CNAME in chain order (a server only follows aliases inside its own zone; the rest is the resolver's job), then the A records at the end`);
    }
  });

  it('tells NXDOMAIN (no such name) from NODATA (the name exists, without records of that type)', async () => {
    const world = new World();
    const [zone] = zones(world, 1);
    const { resolver } = resolverFor(world);

    const missing = world.name(zone!);
    const nx = await resolveOk(resolver, world, missing, 'A', 'a negative answer, not a rejection');
    expectRcode(nx, 3, `resolve("${missing}", "A"), a name ${zone!.origin} does not have`, 'the name does not exist');
    expectAnswers(nx, [], `resolve("${missing}", "A")`, 'no answers');
    expectSoa(nx, zone!, `resolve("${missing}", "A")`);

    const name = world.name(zone!);
    world.add(zone!, name, 'TXT', [`v=${world.label()}`]);
    const type = pick(['A', 'AAAA', 'MX']);
    const nodata = await resolveOk(resolver, world, name, type, 'a negative answer, not a rejection');
    expectRcode(nodata, 0, `resolve("${name}", "${type}"), a name with only a TXT record`, `the name exists, it just has no ${type} records (NODATA)`);
    expectAnswers(nodata, [], `resolve("${name}", "${type}")`, 'no answers');
    expectSoa(nodata, zone!, `resolve("${name}", "${type}")`);

    const nowhere = `${world.label()}.${world.label()}`;
    const root = await resolveOk(resolver, world, nowhere, 'A', 'a negative answer, not a rejection');
    expectRcode(root, 3, `resolve("${nowhere}", "A"), under a top-level domain that does not exist`, 'the root servers say so themselves');
  });

  it('returns NXDOMAIN together with the CNAMEs when the chain ends at a name that does not exist', async () => {
    const world = new World();
    const pool = zones(world, 2);
    const { resolver } = resolverFor(world);
    const chain = aliasChain(world, pool, randomInt(1, 3), true);
    const sent = `resolve("${chain.first}", "A"), where ${chain.path} and ${chain.last} does not exist`;
    const result = await resolveOk(resolver, world, chain.first, 'A', 'a negative answer, not a rejection');
    expectRcode(result, 3, sent, `the last name, ${chain.last}, does not exist`);
    expectAnswers(result, chain.cnames, sent, 'the CNAMEs that led there, so the asker sees why');
  });

  it('rejects a CNAME loop with an error that says "loop", within its own zone or across zones', async () => {
    const world = new World();
    const [one, two] = zones(world, 2);
    const { resolver } = resolverFor(world);
    for (const across of shuffle([true, false])) {
      const a = world.name(one!);
      const b = world.name(across ? two! : one!);
      world.add(one!, a, 'CNAME', b);
      world.add(across ? two! : one!, b, 'CNAME', a);
      const sent = `resolve("${a}", "A"), where ${a} → ${b} → ${a}${across ? '' : ', both in one zone, so one answer holds the whole loop'}`;
      const err = await resolveFails(resolver, world, a, 'A', 'a rejection: the aliases go round in a circle');
      expect(err.message, exchange({ sent, expected: 'an error message that says "loop"', received: `Error: ${err.message}` })).toMatch(/loop/i);
    }
  });

  it('rejects a chain of more than 8 CNAMEs with an error that says "CNAME"', async () => {
    const world = new World();
    const pool = zones(world, 3);
    const { resolver } = resolverFor(world);
    const chain = aliasChain(world, pool, randomInt(9, 12));
    const err = await resolveFails(resolver, world, chain.first, 'A', `a rejection: ${chain.cnames.length} aliases is more than the limit of 8`);
    expect(err.message, exchange({ sent: `resolve("${chain.first}", "A"), where ${chain.path}`, expected: 'an error message about the CNAME chain', received: `Error: ${err.message}` })).toMatch(/cname/i);
  });

  it('skips servers that time out, fail, refuse or send garbage, and asks the next one', async () => {
    const world = new World(randomInt(2, 4));
    const tld = world.zone(world.root, { servers: randomInt(2, 4) });
    const zone = world.zone(tld, { servers: randomInt(2, 4) });
    const name = world.name(zone);
    const records = [world.add(zone, name, 'A', randomIPv4())];
    const broken: string[] = [];
    for (const z of [world.root, tld, zone]) {
      const good = randomInt(1, z.servers.length - 1); // never the first listed, so trying in order must skip
      z.servers.forEach((s, i) => {
        if (i === good) return;
        s.behaviour = pick<Behaviour>(['silent', 'silent', 'servfail', 'refused', 'garbage']);
        broken.push(`${s.ip} (${z.origin === '.' ? 'root' : z.origin}): ${s.behaviour}`);
      });
    }
    const { resolver } = resolverFor(world);
    const result = await resolveOk(resolver, world, name, 'A', `the A record of ${name}, from the one working server at each level:\n            ${broken.join('\n            ')} (the others work)`);
    expectAnswers(result, records, `resolve("${name}", "A") with broken servers: ${broken.join('; ')}`, 'the answer of the working servers');
    expectTrace(result, world, 0);
  });

  it('tries every server of a zone, then rejects with an error when all of them fail', async () => {
    const world = new World();
    const tld = world.zone(world.root);
    const zone = world.zone(tld, { servers: randomInt(1, 3) });
    for (const s of zone.servers) s.behaviour = pick<Behaviour>(['silent', 'servfail', 'refused']);
    const name = world.name(zone);
    world.add(zone, name, 'A', randomIPv4());
    const { resolver } = resolverFor(world);
    const failing = zone.servers.map((s) => `${s.ip} (${s.behaviour})`).join(', ');
    await resolveFails(resolver, world, name, 'A', `a rejection: every server of ${zone.origin} fails: ${failing}`);
    const untried = zone.servers.filter((s) => !world.sent.some((q) => q.server === s.ip));
    expect(untried.map((s) => s.ip), exchange({
      sent: `resolve("${name}", "A"), where every server of ${zone.origin} fails: ${failing}`,
      expected: `a query to each of ${zone.origin}'s ${zone.servers.length} servers before giving up`,
      received: `\n            ${showSent(world)}`,
    })).toEqual([]);
  });

  it('ignores a response whose ID does not match the query, like a forged one', async () => {
    const world = new World();
    const tld = world.zone(world.root);
    const zone = world.zone(tld, { servers: randomInt(2, 3) });
    const good = randomInt(1, zone.servers.length - 1);
    zone.servers.forEach((s, i) => i !== good && (s.behaviour = 'spoofer'));
    const name = world.name(zone);
    const records: SimRecord[] = [world.add(zone, name, 'A', randomIPv4())];
    const { resolver } = resolverFor(world);
    const result = await resolveOk(resolver, world, name, 'A', `the real A record of ${name}`);
    expectAnswers(result, records, `resolve("${name}", "A"), where all but one of ${zone.origin}'s servers answer with a wrong ID and the address 192.0.2.255`, 'only the answer whose ID matches the query: the others must be dropped');
  });

  it('stops at referrals that lead back up the tree instead of looping', async () => {
    const world = new World();
    const tld = world.zone(world.root);
    const zone = world.zone(tld);
    for (const s of zone.servers) s.behaviour = 'upward';
    const name = world.name(zone);
    world.add(zone, name, 'A', randomIPv4());
    const { resolver } = resolverFor(world);
    await resolveFails(resolver, world, name, 'A', `a rejection: ${zone.origin}'s servers refer back to ${tld.origin}, which refers to them again`);
    const asked = world.sent.filter((q) => zone.servers.some((s) => s.ip === q.server)).length;
    expect(asked > 0 && world.sent.length < 100, exchange({
      sent: `resolve("${name}", "A") where ${zone.origin}'s servers answer with a referral back to ${tld.origin}`,
      expected: `the walk to reach ${zone.origin}'s servers, then stop within a handful of queries: a referral must lead to a zone below the one just asked, closer to the name`,
      received: `${world.sent.length} queries:\n            ${showSent(world).split('\n').slice(0, 12).join('\n')}`,
    })).toBe(true);
  });
});
