import { z } from 'astro/zod';
import { VERSIONS, type PageResource } from './waterfall-model.ts';

/**
 * Props of <HttpWaterfall>: one page (an HTML document, then its assets) fetched over each HTTP
 * version, drawn as a waterfall. Every prop has a default, so `<HttpWaterfall />` alone shows the
 * built-in page of HTML + 12 assets at a 50 ms round trip. The timing rules are documented in
 * waterfall-model.ts.
 */

/** The built-in page: HTML and 12 assets, twice as many as HTTP/1.1's six connections. */
export const DEFAULT_RESOURCES: PageResource[] = [
  { name: 'index.html', serverMs: 40 },
  { name: 'hero.jpg', serverMs: 10, slow: true },
  { name: 'styles.css', serverMs: 5 },
  { name: 'app.js', serverMs: 10 },
  { name: 'vendor.js', serverMs: 10 },
  { name: 'logo.svg', serverMs: 5 },
  { name: 'font.woff2', serverMs: 5 },
  { name: 'photo-1.jpg', serverMs: 10 },
  { name: 'photo-2.jpg', serverMs: 10 },
  { name: 'photo-3.jpg', serverMs: 10 },
  { name: 'photo-4.jpg', serverMs: 10 },
  { name: 'icons.svg', serverMs: 5 },
  { name: 'analytics.js', serverMs: 5 },
];

const ResourceSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(24)
    .regex(/^\S+$/, 'use a file name without spaces')
    .describe('a file name without spaces, at most 24 characters, e.g. "app.js"'),
  serverMs: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(10)
    .describe('how long the server takes to produce it, in whole milliseconds from 0 to 2000 (default 10)'),
  slow: z
    .boolean()
    .optional()
    .describe('true on the one asset that the "slow response" toggle slows down; never on the HTML'),
});

const Version = z.enum(VERSIONS).describe(`one of ${VERSIONS.map((v) => `"${v}"`).join(', ')}`);

export const HttpWaterfallSchema = z
  .strictObject({
    title: z
      .string()
      .min(3)
      .max(90)
      .default('One page over HTTP/1.0, HTTP/1.1 and HTTP/2')
      .describe('a caption of at most 90 characters'),
    rttMs: z
      .number()
      .int()
      .min(10)
      .max(300)
      .multipleOf(10)
      .default(50)
      .describe('the round-trip time shown first, in milliseconds: 10 to 300 in steps of 10 (the slider’s range)'),
    tls: z
      .boolean()
      .default(true)
      .describe('true (default) if every new connection also pays a TLS 1.3 handshake, as over HTTPS'),
    slowOn: z
      .boolean()
      .default(false)
      .describe('true to start with the slow response switched on (default false)'),
    slowMs: z
      .number()
      .int()
      .min(100)
      .max(3000)
      .default(600)
      .describe('how much longer the slow asset takes, in milliseconds from 100 to 3000 (default 600)'),
    version: Version.default('http1.1').describe('the version selected first when JavaScript runs, e.g. "http2"'),
    versions: z
      .array(Version)
      .min(2)
      .max(VERSIONS.length)
      .default([...VERSIONS])
      .describe(`which versions to offer, in this order; at least 2 of ${VERSIONS.map((v) => `"${v}"`).join(', ')}`),
    resources: z
      .array(ResourceSchema)
      .min(2)
      .max(16)
      .default(DEFAULT_RESOURCES)
      .describe('the page: 2–16 items like { name, serverMs?, slow? }; the first is the HTML document'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "http-1-0-to-2"'),
  })
  .superRefine((props, ctx) => {
    const seen = new Set<string>();
    props.versions.forEach((v, i) => {
      if (seen.has(v)) ctx.addIssue({ code: 'custom', path: ['versions', i], message: `"${v}" is listed twice` });
      seen.add(v);
    });
    if (!props.versions.includes(props.version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: `"${props.version}" is not in versions; pick one of ${props.versions.map((v) => `"${v}"`).join(', ')}`,
      });
    }
    const names = new Set<string>();
    props.resources.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['resources', i, 'name'], message: `"${r.name}" is already used by another resource` });
      names.add(r.name);
    });
    if (props.resources[0]?.slow) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', 0, 'slow'],
        message: 'the first resource is the HTML document, and slowing it delays every version alike; mark an asset instead',
      });
    }
    const slow = props.resources.filter((r) => r.slow).length;
    if (slow > 1) {
      ctx.addIssue({ code: 'custom', path: ['resources'], message: `mark at most one resource slow: true, not ${slow}` });
    }
  });

export type HttpWaterfallProps = z.input<typeof HttpWaterfallSchema>;
export type HttpWaterfallData = z.output<typeof HttpWaterfallSchema>;
