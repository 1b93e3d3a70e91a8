import { z } from 'astro/zod';
import type { ExampleRequest, ModeKey } from './balancer-visibility.ts';
import { modeKey } from './balancer-visibility.ts';

/**
 * Props of <BalancerVisibility>: one example request, and which view the toggles start on.
 * Every field has a default, so `<BalancerVisibility />` alone shows an HTTPS POST /api/cart.
 */
const octet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = z
  .string()
  .regex(new RegExp(`^${octet}(\\.${octet}){3}$`), 'use a dotted IPv4 address such as 198.51.100.23');
const port = (what: string, example: number) =>
  z.number().int().min(1).max(65535).describe(`the ${what} port, a whole number from 1 to 65535, e.g. ${example}`);

export const BalancerVisibilitySchema = z
  .strictObject({
    title: z
      .string()
      .min(3)
      .max(90)
      .default('What the load balancer can see')
      .describe('a caption, e.g. "What the load balancer can see"'),
    scheme: z
      .enum(['https', 'http'])
      .default('https')
      .describe('"https" (the default, with the TLS toggle) or "http" (plain HTTP, no TLS toggle)'),
    method: z
      .string()
      .regex(/^[A-Z]+$/, 'use an HTTP method in capitals, e.g. POST')
      .max(10)
      .default('POST')
      .describe('the HTTP method in capitals, e.g. "POST"'),
    path: z
      .string()
      .regex(/^\/\S*$/, 'start with "/" and leave out spaces')
      .max(40)
      .default('/api/cart')
      .describe('the request path, starting with "/", at most 40 characters, e.g. "/api/cart"'),
    host: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'use a lowercase host name such as shop.example.com')
      .max(40)
      .default('shop.example.com')
      .describe('the site\'s host name in lowercase, e.g. "shop.example.com"'),
    cookie: z
      .string()
      .min(1)
      .max(48)
      .default('session=7f3a9c; ab=b')
      .describe('the Cookie header\'s value, at most 48 characters, e.g. "session=7f3a9c"'),
    body: z
      .string()
      .max(48)
      .default('{"sku":"a-1","qty":2}')
      .describe('the request body, at most 48 characters; "" for a request without one'),
    clientIp: ipv4.default('198.51.100.23').describe('the client\'s IPv4 address, e.g. "198.51.100.23"'),
    clientPort: port('client\'s (ephemeral)', 51234).default(51234),
    balancerIp: ipv4.default('203.0.113.10').describe('the balancer\'s public IPv4 address, e.g. "203.0.113.10"'),
    balancerPort: port('balancer\'s listening', 443)
      .optional()
      .describe('the balancer\'s listening port; leave it out for 443 (https) or 80 (http)'),
    layer: z
      .enum(['l4', 'l7'])
      .default('l4')
      .describe('which balancer the toggles start on: "l4" or "l7"'),
    tls: z
      .enum(['passthrough', 'terminate'])
      .optional()
      .describe('with https only: which TLS handling the toggles start on, "passthrough" (the default) or "terminate"'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "layer-4-vs-layer-7"'),
  })
  .superRefine((p, ctx) => {
    if (p.scheme === 'http' && p.tls !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'only applies when scheme is "https"; plain HTTP has no TLS to pass through or terminate, so leave it out',
      });
    }
  });

export type BalancerVisibilityProps = z.input<typeof BalancerVisibilitySchema>;
export type BalancerVisibilityData = z.output<typeof BalancerVisibilitySchema>;

/** The example request the props describe, with the default port filled in. */
export function exampleRequest(p: BalancerVisibilityData): ExampleRequest {
  return {
    scheme: p.scheme,
    method: p.method,
    path: p.path,
    host: p.host,
    cookie: p.cookie,
    body: p.body,
    clientIp: p.clientIp,
    clientPort: p.clientPort,
    balancerIp: p.balancerIp,
    balancerPort: p.balancerPort ?? (p.scheme === 'https' ? 443 : 80),
  };
}

/** The view the toggles start on. */
export function startKey(p: BalancerVisibilityData): ModeKey {
  return modeKey(p.layer, p.scheme === 'https' ? (p.tls ?? 'passthrough') : null);
}
