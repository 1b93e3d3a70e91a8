import { z } from 'astro/zod';
import { LONG_TICKS } from './lb-algorithms.ts';

/**
 * Props of <LbSimulator>. The worked example (which requests arrive, which are long-running, who
 * sends them, which backend fails when) is run at build time with the chosen algorithm and shown
 * as a table, so the page teaches without JavaScript; the script then lets the reader switch
 * algorithms, send more requests and take backends down.
 */
const Name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,11}$/, 'use 1–12 lowercase letters, digits or hyphens, starting with a letter');

const BackendSchema = z.strictObject({
  name: Name.describe('a short name shown on the backend and in the log, e.g. "a" or "web-1"'),
  weight: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(1)
    .describe('a whole number 1–20: the share of traffic under weighted round robin (default 1)'),
});

const OutageSchema = z.strictObject({
  backend: z.string().describe('the name of one of the backends'),
  from: z.number().int().min(1).describe('the first request of the worked example that finds this backend down'),
  to: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe('the first request that finds it up again; leave it out to keep it down'),
});

export const LbSimulatorSchema = z
  .strictObject({
    title: z
      .string()
      .min(3)
      .max(80)
      .default('Load-balancing simulator')
      .describe('a caption of at most 80 characters; it also makes the ids on the page unique'),
    backends: z
      .array(BackendSchema)
      .min(3)
      .max(5)
      .default([
        { name: 'a', weight: 5 },
        { name: 'b', weight: 1 },
        { name: 'c', weight: 1 },
      ])
      .describe('a list of 3–5 backends like { name: "a", weight: 5 }'),
    algorithm: z
      .enum(['round-robin', 'weighted', 'least-connections', 'sticky'])
      .default('weighted')
      .describe('the algorithm selected first and used for the worked example: "round-robin", "weighted", "least-connections" or "sticky"'),
    requests: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(7)
      .describe('how many requests the worked example sends, one tick apart (1–16)'),
    long: z
      .array(z.number().int().min(1))
      .max(16)
      .default([])
      .describe(`numbers of the worked example's requests that are long-running (${LONG_TICKS} ticks instead of 1), e.g. [1, 2]`),
    clients: z
      .array(Name)
      .min(1)
      .max(4)
      .default(['ana', 'ben', 'cai'])
      .describe('1–4 client names; request i of the worked example comes from clients[(i - 1) % clients.length]'),
    outages: z
      .array(OutageSchema)
      .max(4)
      .default([])
      .describe('backends that fail during the worked example, like { backend: "b", from: 4, to: 6 }'),
    cookieName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, 'use 1–20 letters, digits, "_" or "-"')
      .default('SERVERID')
      .describe('the sticky cookie’s name, e.g. "SERVERID"'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "load-balancing-in-practice"'),
  })
  .superRefine((props, ctx) => {
    const names = props.backends.map((b) => b.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['backends', i, 'name'], message: `"${name}" is used twice; every backend needs its own name` });
      }
    });
    props.long.forEach((n, i) => {
      if (n > props.requests) {
        ctx.addIssue({
          code: 'custom',
          path: ['long', i],
          message: `the worked example only has ${props.requests} requests, so there is no request ${n}`,
        });
      }
    });
    props.outages.forEach((o, i) => {
      if (!names.includes(o.backend)) {
        ctx.addIssue({
          code: 'custom',
          path: ['outages', i, 'backend'],
          message: `no backend has this name; use one of ${names.map((n) => `"${n}"`).join(', ')}`,
        });
      }
      if (o.from > props.requests) {
        ctx.addIssue({ code: 'custom', path: ['outages', i, 'from'], message: `the worked example only has ${props.requests} requests` });
      }
      if (o.to !== undefined && o.to <= o.from) {
        ctx.addIssue({ code: 'custom', path: ['outages', i, 'to'], message: `must be after "from" (${o.from})` });
      }
    });
  });

export type LbSimulatorProps = z.input<typeof LbSimulatorSchema>;
export type LbSimulatorData = z.output<typeof LbSimulatorSchema>;
