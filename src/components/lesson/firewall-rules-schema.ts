import { z } from 'astro/zod';
import { packetProblems, ruleProblems } from './firewall-match.ts';

/**
 * Props of <FirewallRules>. Every packet's verdict is worked out at build time, so without
 * JavaScript the page shows the rule list, the packets with their verdicts and, for each packet,
 * which rules were checked and why they did or did not match. The script adds a stateful /
 * stateless switch and lets the reader step through the packets one at a time.
 */
const RuleSchema = z
  .strictObject({
    action: z.enum(['allow', 'deny']).describe('"allow" or "deny"'),
    dir: z
      .enum(['in', 'out', 'any'])
      .default('in')
      .describe('which packets the rule looks at: "in" (default), "out" or "any"'),
    proto: z.enum(['tcp', 'udp', 'icmp', 'any']).default('any').describe('"tcp", "udp", "icmp" or "any" (default)'),
    src: z.string().optional().describe('a source address or CIDR block, e.g. "10.0.0.0/16"; leave it out for any'),
    dst: z.string().optional().describe('a destination address or CIDR block; leave it out for any'),
    port: z
      .union([z.number().int(), z.string()])
      .optional()
      .describe('a destination port or range, e.g. 443 or "1024-65535"; only with proto "tcp" or "udp"'),
    state: z
      .enum(['new', 'established'])
      .optional()
      .describe('"new" or "established": only packets in that connection-tracking state'),
    note: z.string().max(60).optional().describe('what the rule is for, at most 60 characters'),
  })
  .superRefine((rule, ctx) => {
    for (const p of ruleProblems(rule)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });

const PacketSchema = z
  .strictObject({
    dir: z.enum(['in', 'out']).describe('"in" (arriving at the protected host) or "out" (leaving it)'),
    proto: z.enum(['tcp', 'udp', 'icmp']).describe('"tcp", "udp" or "icmp"'),
    src: z.string().describe('the source, e.g. "198.51.100.7:51514" (just the address for ICMP)'),
    dst: z.string().describe('the destination, e.g. "10.0.1.10:443"'),
    note: z.string().max(70).optional().describe('what the packet is, at most 70 characters'),
  })
  .superRefine((packet, ctx) => {
    for (const p of packetProblems(packet)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });

export const FirewallRulesSchema = z.strictObject({
  title: z
    .string()
    .min(3)
    .max(80)
    .default('Firewall rules, first match wins')
    .describe('a caption of at most 80 characters; it also makes the ids on the page unique'),
  host: z
    .string()
    .max(60)
    .optional()
    .describe('what the rules protect, e.g. "web server 10.0.1.10"'),
  rules: z.array(RuleSchema).min(1).max(12).describe('a list of 1–12 rules like { action, dir?, proto?, src?, dst?, port?, state?, note? }'),
  packets: z.array(PacketSchema).min(1).max(14).describe('a list of 1–14 packets like { dir, proto, src, dst, note? }, in the order they arrive'),
  defaultPolicy: z
    .enum(['allow', 'deny'])
    .default('deny')
    .describe('what happens to a packet no rule matches: "deny" (default) or "allow"'),
  stateful: z.boolean().default(true).describe('true to start with connection tracking on (default), false for a stateless filter'),
  selected: z.number().int().min(1).default(1).describe('the packet whose step-by-step check is shown first, 1-based'),
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "firewalls"'),
}).superRefine((props, ctx) => {
  if (props.selected > props.packets.length) {
    ctx.addIssue({ code: 'custom', path: ['selected'], message: `there are only ${props.packets.length} packets` });
  }
});

export type FirewallRulesProps = z.input<typeof FirewallRulesSchema>;
export type FirewallRulesData = z.output<typeof FirewallRulesSchema>;
