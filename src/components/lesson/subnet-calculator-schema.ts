import { z } from 'astro/zod';
import { analyseCidr } from './subnet-math.ts';

/**
 * Props of <SubnetCalculator>. The block in `cidr` is worked out at build time, so the page shows
 * a complete worked example without JavaScript; the script then lets the reader type their own.
 * A block the calculator itself would reject fails the build with the calculator's own message.
 */
const Cidr = z
  .string()
  .superRefine((value, ctx) => {
    const r = analyseCidr(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error.replace(/\.$/, '') });
  });

export const SubnetCalculatorSchema = z.strictObject({
  title: z
    .string()
    .min(3)
    .max(80)
    .default('Subnet calculator')
    .describe('a caption of at most 80 characters, e.g. "Work out a subnet"'),
  cidr: Cidr.default('10.20.55.0/23').describe(
    'the IPv4 block shown first, in CIDR notation, e.g. "10.20.55.0/23"; a host address inside the block is fine',
  ),
  examples: z
    .array(Cidr)
    .max(6)
    .default([])
    .describe('up to 6 more blocks offered as one-click examples, e.g. ["192.168.1.0/24", "10.0.0.0/31"]'),
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "ip-addresses-ports-and-subnets"'),
});

export type SubnetCalculatorProps = z.input<typeof SubnetCalculatorSchema>;
export type SubnetCalculatorData = z.output<typeof SubnetCalculatorSchema>;
