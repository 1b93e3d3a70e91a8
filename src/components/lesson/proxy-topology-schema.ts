import { z } from 'astro/zod';

/**
 * Props of <ProxyTopology>: the forward and the reverse proxy drawn one above the other. Every
 * prop has a default, so `<ProxyTopology />` alone is a complete figure.
 */
export const ProxyTopologySchema = z.strictObject({
  title: z
    .string()
    .min(3)
    .max(90)
    .default('Forward and reverse proxy: who works for whom')
    .describe('a caption naming what the figure shows'),
  site: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'use a lowercase host name such as shop.example.com')
    .max(24)
    .default('shop.example.com')
    .describe('the public name of the site behind the reverse proxy, at most 24 characters, e.g. "shop.example.com"'),
  forwardProxy: z
    .string()
    .min(2)
    .max(20)
    .default('Squid :3128')
    .describe('a short second line for the forward proxy, at most 20 characters, e.g. "Squid :3128"'),
  reverseProxy: z
    .string()
    .min(2)
    .max(20)
    .default('nginx :443')
    .describe('a short second line for the reverse proxy, at most 20 characters, e.g. "nginx :443"'),
  focus: z
    .enum(['all', 'config', 'addresses', 'shield'])
    .default('all')
    .describe('what the figure highlights first: "all", "config" (who is configured to use whom), "addresses" (who sees whose address) or "shield" (whom the proxy works for)'),
  lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "forward-and-reverse-proxies"'),
});

export type ProxyTopologyProps = z.input<typeof ProxyTopologySchema>;
export type ProxyTopologyData = z.output<typeof ProxyTopologySchema>;
