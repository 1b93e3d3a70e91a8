/**
 * What a WebContainer needs to grade one lab, fetched by the lab page from
 * `/labs/<slug>/workspace.json` (generated at build time from labs/_workspace and labs/<slug>/tests).
 * Hidden tests travel to the browser because they run there; the editor never shows them.
 */
import { z } from 'astro/zod';

export const LabBundleSchema = z.object({
  lab: z.string(),
  /** labs/_workspace without node_modules: package.json, package-lock.json, configs, kit/, reporter. */
  workspace: z.record(z.string(), z.string()),
  /** labs/<slug>/tests: every stage file and helper, by name relative to tests/. */
  tests: z.record(z.string(), z.string()),
});
export type LabBundle = z.infer<typeof LabBundleSchema>;

export function bundleUrl(lab: string): string {
  return `/labs/${lab}/workspace.json`;
}
