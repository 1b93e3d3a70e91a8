/**
 * `/labs/<slug>/solution.json`: the reference solution's editable files. Kept out of the lab page
 * itself and fetched only after the learner confirms "Reveal solution".
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { labSlugs, readLab, solutionFiles } from '../_data.ts';

export const getStaticPaths = (() => labSlugs().map((slug) => ({ params: { slug } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const lab = await readLab(params.slug!);
  return new Response(JSON.stringify({ lab: lab.slug, files: solutionFiles(lab) }), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
