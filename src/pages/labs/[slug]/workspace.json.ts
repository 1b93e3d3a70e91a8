/**
 * `/labs/<slug>/workspace.json`: everything a WebContainer needs to grade this lab (the shared
 * workspace without node_modules, plus the lab's hidden tests), in the LabBundle shape the
 * WebContainer runtime validates. Generated at build time; fetched only when that runtime starts.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LabBundleSchema, type LabBundle } from '../../../runtime/bundle.ts';
import { labSlugs, readLab, testFiles, workspaceFiles } from '../_data.ts';

export const getStaticPaths = (() => labSlugs().map((slug) => ({ params: { slug } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const lab = await readLab(params.slug!);
  // Parse what we emit: a bundle the runtime would reject should fail the build, not the learner.
  const bundle: LabBundle = LabBundleSchema.parse({ lab: lab.slug, workspace: workspaceFiles(), tests: testFiles(lab) });
  return new Response(JSON.stringify(bundle), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
