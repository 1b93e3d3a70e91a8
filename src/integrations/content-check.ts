import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { checkContent } from '../lib/course/check-content.ts';

/**
 * Checks course.json and every lesson's frontmatter as soon as Astro loads its config, in both
 * `astro dev` and `astro build`. Astro's own collection validation would catch most of it too,
 * but later and in zod's words; this fails first and says which file, which field and the fix.
 */
export function contentCheck(): AstroIntegration {
  return {
    name: 'hop:content-check',
    hooks: {
      'astro:config:setup': ({ config, addWatchFile }) => {
        const root = fileURLToPath(config.root);
        const { lessons } = checkContent(root);
        addWatchFile(new URL('content/course.json', config.root));
        for (const l of lessons) addWatchFile(new URL(`content/lessons/${l.slug}/index.mdx`, config.root));
      },
    },
  };
}
