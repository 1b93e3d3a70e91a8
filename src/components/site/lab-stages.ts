/**
 * Build time: each lab's title, stage titles and whether it has a page yet, for the progress shown
 * beside lessons ("lab 2/5") and on /progress/. Read from labs/<slug>/lab.json through the engine,
 * which validates it.
 */
import path from 'node:path';
import { listLabSlugs, loadLab } from '../../engine/labs.ts';
import { labSlugs } from '../../pages/labs/_data.ts';

// Astro runs from the project root; the engine's own default can point into Astro's build folder.
const LABS_ROOT = path.resolve(process.cwd(), 'labs');

export type LabOutline = { title: string; stages: string[]; hasPage: boolean };

let cached: Promise<Record<string, LabOutline>> | undefined;

/** Every lab with a manifest, by slug. */
export function labOutlines(): Promise<Record<string, LabOutline>> {
  if (import.meta.env.DEV) cached = undefined; // lab.json edits show without a restart
  cached ??= (async () => {
    const withPages = new Set(labSlugs());
    const out: Record<string, LabOutline> = {};
    for (const slug of listLabSlugs(LABS_ROOT, { withManifest: true })) {
      const { manifest } = await loadLab(slug, LABS_ROOT);
      out[slug] = { title: manifest.title, stages: manifest.stages.map((s) => s.title), hasPage: withPages.has(slug) };
    }
    return out;
  })();
  return cached;
}
