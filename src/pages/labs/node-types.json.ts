/**
 * `/labs/node-types.json`: Node 20's type declarations (from labs/_workspace, what lab code runs
 * on) for the editor's TypeScript service, so `http.createServer` completes and a wrong argument
 * is underlined. Fetched by the editor after it loads, never by pages without one.
 */
import type { APIRoute } from 'astro';
import { nodeTypeFiles } from './_data.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify({ files: nodeTypeFiles() }), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
