import { z } from 'astro/zod';
import {
  inCidr,
  isIpv4,
  parseEndpoint,
  runScenario,
  ScenarioError,
  type Frame,
  type ScenarioOptions,
  type ScenarioStep,
} from './nat-sim.ts';

/**
 * Props of <NatTable>: one router, the hosts around it, and the packets to replay in order.
 * Packets are written as "ip:port" strings; a reply is written as `{ replyTo: n }` so the author
 * never has to work out which public port the router picked — the simulation does that.
 */
const isSocket = (s: string) => {
  try {
    parseEndpoint(s);
    return true;
  } catch {
    return false;
  }
};

const ipv4 = z.string().refine(isIpv4, 'use a dotted IPv4 address');
const socket = z.string().refine(isSocket, 'use an IPv4 address and a port 1–65535');
const proto = z.enum(['tcp', 'udp']);

const NameSchema = z.strictObject({
  ip: ipv4.describe('an IPv4 address used in the steps, e.g. "192.168.1.10"'),
  label: z.string().min(1).max(20).describe('a short name for that address, e.g. "Laptop", at most 20 characters'),
});

const ForwardSchema = z.strictObject({
  proto: proto.default('tcp').describe('"tcp" or "udp"'),
  publicPort: z.number().int().min(1).max(65535).describe('the port on the public address, e.g. 8080'),
  to: socket.describe('the private host and port it forwards to, e.g. "192.168.1.20:80"'),
});

const StepSchema = z.strictObject({
  at: z.number().min(0).max(86400).describe('seconds since the first step, never less than the step before'),
  proto: proto.optional().describe('"tcp" (the default) or "udp"; only for a new packet, a reply keeps its request’s'),
  from: socket.optional().describe('the sender as "ip:port", e.g. "192.168.1.10:51000" (with `to`)'),
  to: socket.optional().describe('the receiver as "ip:port", e.g. "198.51.100.20:443" (with `from`)'),
  replyTo: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('the number of an earlier step this packet answers, instead of `from` and `to`'),
  label: z.string().min(1).max(24).optional().describe('what the packet is, e.g. "SYN" or "DNS query", at most 24 characters'),
});

export const NatTableSchema = z
  .strictObject({
    title: z.string().min(3).describe('a caption naming what the simulation shows'),
    description: z.string().min(10).optional().describe('one or two sentences introducing the scenario'),
    publicIp: ipv4.describe('the router’s public address, e.g. "203.0.113.7"'),
    lan: z
      .string()
      .regex(/^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/, 'use CIDR notation')
      .describe('the private network behind the router in CIDR notation, e.g. "192.168.1.0/24"'),
    names: z.array(NameSchema).max(12).default([]).describe('a list of up to 12 { ip, label } naming hosts and servers'),
    ports: z
      .strictObject({
        first: z.number().int().min(1).max(65535).describe('the lowest public port, a whole number 1–65535'),
        last: z.number().int().min(1).max(65535).describe('the highest public port, a whole number 1–65535'),
      })
      .optional()
      .describe('the public ports the router may use, like { first: 40000, last: 40999 }; default 1024–65535'),
    preservePorts: z.boolean().default(true).describe('true to keep a private source port when it is free (as Linux does)'),
    timeouts: z
      .strictObject({
        tcp: z.number().int().min(1).optional().describe('idle seconds before a TCP row expires, e.g. 7440'),
        udp: z.number().int().min(1).optional().describe('idle seconds before a UDP row expires, e.g. 30'),
      })
      .default({})
      .describe('idle seconds before a row expires, like { tcp: 7440, udp: 30 }'),
    forwards: z.array(ForwardSchema).max(6).default([]).describe('a list of up to 6 port forwards like { proto, publicPort, to }'),
    hairpin: z.boolean().default(true).describe('true if private hosts may reach forwarded ports through the public address'),
    steps: z.array(StepSchema).min(2).max(20).describe('a list of 2–20 packets like { at, from, to } or { at, replyTo }'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "nat-and-port-forwarding"'),
  })
  .superRefine((props, ctx) => {
    // The scenario is replayed only when every step is well formed, so its errors are about logic.
    let problems = 0;
    const issue = (path: (string | number)[], message: string) => {
      problems++;
      ctx.addIssue({ code: 'custom', path, message });
    };
    const lanOk = isCidr(props.lan);
    if (!lanOk) issue(['lan'], 'is not a valid network; use an IPv4 address, a slash and 0–32');
    if (lanOk && inCidr(props.publicIp, props.lan)) issue(['publicIp'], `lies inside the private network ${props.lan}; use a public address such as 203.0.113.7`);
    if (props.ports && props.ports.first > props.ports.last) issue(['ports'], 'starts after it ends; put the smaller port in `first`');
    props.forwards.forEach((f, i) => {
      if (lanOk && isSocket(f.to) && !inCidr(parseEndpoint(f.to).ip, props.lan)) issue(['forwards', i, 'to'], `is not inside ${props.lan}`);
    });
    props.steps.forEach((s, i) => {
      const packet = s.from !== undefined || s.to !== undefined;
      if (packet && s.replyTo !== undefined) issue(['steps', i], 'has both `from`/`to` and `replyTo`; a step is either a new packet or a reply');
      else if (!packet && s.replyTo === undefined) issue(['steps', i], 'needs either `from` and `to`, or `replyTo`');
      else if (packet && (s.from === undefined || s.to === undefined)) issue(['steps', i], 'needs both `from` and `to`');
      else if (s.replyTo !== undefined && s.proto !== undefined) issue(['steps', i, 'proto'], 'cannot be set on a reply; a reply uses its request’s protocol');
    });
    // zod still runs this refinement when a field failed its own check, so look before replaying.
    const wellFormed =
      isIpv4(props.publicIp) &&
      props.forwards.every((f) => isSocket(f.to)) &&
      props.steps.every((s) => [s.from, s.to].every((e) => e === undefined || isSocket(e)));
    if (problems > 0 || !wellFormed) return;
    try {
      runScenario(scenarioOptions(props), scenarioSteps(props));
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      ctx.addIssue({ code: 'custom', path: ['steps', err.step - 1], message: err.message });
    }
  });

function isCidr(text: string): boolean {
  const [ip, bits] = text.split('/');
  return !!ip && isIpv4(ip) && Number(bits) >= 0 && Number(bits) <= 32;
}

export type NatTableProps = z.input<typeof NatTableSchema>;
export type NatTableData = z.output<typeof NatTableSchema>;

export function scenarioOptions(props: NatTableData): ScenarioOptions {
  return {
    publicIp: props.publicIp,
    lan: props.lan,
    ports: props.ports,
    preservePorts: props.preservePorts,
    timeouts: props.timeouts,
    forwards: props.forwards.map((f) => ({ proto: f.proto, publicPort: f.publicPort, to: parseEndpoint(f.to) })),
    hairpin: props.hairpin,
    names: Object.fromEntries(props.names.map((n) => [n.ip, n.label])),
  };
}

export function scenarioSteps(props: NatTableData): ScenarioStep[] {
  return props.steps.map((s) =>
    s.replyTo !== undefined
      ? { at: s.at, replyTo: s.replyTo, label: s.label }
      : { at: s.at, proto: s.proto, from: s.from!, to: s.to!, label: s.label },
  );
}

/** Replays the props' scenario. Only call with props the schema accepted. */
export function natFrames(props: NatTableData): Frame[] {
  return runScenario(scenarioOptions(props), scenarioSteps(props));
}
