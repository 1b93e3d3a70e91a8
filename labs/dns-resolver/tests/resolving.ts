import { expect } from 'vitest';
import { exchange } from '../kit/index.ts';
import { createResolver } from '../src/resolver.ts';
import { whose, type SimRecord, type World } from './hierarchy.ts';
import { canonicalIPv6, fakeClock, type Rec } from './support.ts';

// Glue between the simulated hierarchy and the learner's resolver (stages 3 to 6): start one,
// resolve with failures that show every query sent, and compare answers and traces.

export type Result = { rcode: number; answers: Rec[]; authorities: Rec[]; trace: Array<{ server: string; name: string; type: string }> };
export type Clock = ReturnType<typeof fakeClock>;

/** The learner's resolver on this world's transport and root hints, with a clock the test moves. */
export function resolverFor(world: World, clock: Clock = fakeClock()) {
  const resolver = createResolver({ rootHints: world.rootHints, transport: world.transport, now: clock.now });
  return { resolver, clock };
}

type Resolver = ReturnType<typeof resolverFor>['resolver'];

/** The queries the transport carried (from index `from` on), one per line, saying whose server each went to. */
export function showSent(world: World, from = 0): string {
  const lines = world.sent.slice(from).map((s, i) => `${i + 1}. ${s.name} ${s.type} → ${whose(world, s.server)}${s.rd ? ' (RD set)' : ''}`);
  const problems = world.problems.map((p) => `problem: ${p}`);
  return [...lines, ...problems].join('\n            ') || '(no queries)';
}

/** Resolves, or fails with what was asked and every query sent on the way. */
export async function resolveOk(resolver: Resolver, world: World, name: string, type: string, expected: string): Promise<Result> {
  const from = world.sent.length;
  try {
    return (await resolver.resolve(name, type as never)) as unknown as Result;
  } catch (err) {
    throw new Error(exchange({
      sent: `resolve("${name}", "${type}")`,
      expected,
      received: `a rejection: ${(err as Error).message}\n  Queries sent:\n            ${showSent(world, from)}`,
    }));
  }
}

/** resolve() must reject: returns the Error, or fails showing what it resolved to instead. */
export async function resolveFails(resolver: Resolver, world: World, name: string, type: string, expected: string): Promise<Error> {
  const from = world.sent.length;
  let result: Result;
  try {
    result = (await resolver.resolve(name, type as never)) as unknown as Result;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  throw new Error(exchange({ sent: `resolve("${name}", "${type}")`, expected, received: `a result: rcode ${result?.rcode}, answers ${showRecords(result?.answers ?? [])}\n  Queries sent:\n            ${showSent(world, from)}` }));
}

const lower = (n: string) => String(n).toLowerCase().replace(/\.$/, '') || '.';

/** "name ttl TYPE data", the way dig prints a record, with names lower-cased and IPv6 canonical. */
export function recordText(r: Pick<Rec, 'name' | 'type' | 'ttl' | 'data'>): string {
  const d = r.data;
  const data =
    r.type === 'AAAA' ? canonicalIPv6(String(d)) :
    r.type === 'NS' || r.type === 'CNAME' ? lower(d) :
    r.type === 'MX' ? `${d?.preference} ${lower(d?.exchange)}` :
    r.type === 'TXT' ? JSON.stringify(d) :
    r.type === 'SOA' ? `${lower(d?.mname)} ${lower(d?.rname)} ${d?.serial} ${d?.minimum}` : String(d);
  return `${lower(r.name)} ${r.ttl} ${r.type} ${data}`;
}

export function showRecords(records: Array<Pick<Rec, 'name' | 'type' | 'ttl' | 'data'>>): string {
  return records.length === 0 ? '(none)' : records.map(recordText).join('\n            ');
}

/** CNAMEs in chain order, then the final RRset in any order: records of one set have no order. */
function canonical(records: Array<Pick<Rec, 'name' | 'type' | 'ttl' | 'data'>>): string {
  const aliases = records.filter((r) => r.type === 'CNAME').map(recordText);
  const rest = records.filter((r) => r.type !== 'CNAME').map(recordText).sort();
  return [...aliases, ...rest].join('\n            ');
}

/** The answer section must hold exactly `expected` (CNAMEs in chain order, TTLs as given). */
export function expectAnswers(result: Result, expected: Array<Pick<Rec, 'name' | 'type' | 'ttl' | 'data'>>, sent: string, why: string): void {
  expect(canonical(result.answers ?? []), exchange({ sent, expected: `${why}\n            ${showRecords(expected)}`, received: showRecords(result.answers ?? []) })).toBe(canonical(expected));
}

/** The learner's trace must list exactly the queries the transport carried since `from`, in order. */
export function expectTrace(result: Result, world: World, from: number): void {
  const fmt = (t: { server: string; name: string; type: string }) => `${t.server} ${lower(t.name)} ${t.type}`;
  const got = (result.trace ?? []).map(fmt).join('\n            ');
  const want = world.sent.slice(from).map(fmt).join('\n            ');
  expect(got, exchange({
    sent: 'the queries, as the transport carried them',
    expected: `the trace to list each query sent, in order, as { server, name, type }:\n            ${want || '(none)'}`,
    received: got || '(an empty trace)',
  })).toBe(want);
}

/** Records in a comparable form: CNAMEs in order, then the rest sorted. */
export function canonicalRecords(records: Array<Pick<Rec, 'name' | 'type' | 'ttl' | 'data'>>): string {
  return canonical(records);
}
