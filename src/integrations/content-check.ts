import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { checkContent } from '../lib/course/check-content.ts';
import { GLOSSARY_FILE } from '../lib/course/check-glossary.ts';

/**
 * Checks course.json, every lesson's frontmatter and the glossary as soon as Astro loads its
 * config, in both `astro dev` and `astro build`. Astro's own collection validation would catch most
 * frontmatter mistakes too, but later and in zod's words, and nothing would notice a glossary link
 * to a heading that does not exist; this fails first and says which file, which field and the fix.
 */
export function contentCheck(): AstroIntegration {
  return {
    name: 'hop:content-check',
    hooks: {
      'astro:config:setup': ({ config, addWatchFile }) => {
        const root = fileURLToPath(config.root);
        const { lessons } = checkContent(root);
        addWatchFile(new URL('content/course.json', config.root));
        addWatchFile(new URL(GLOSSARY_FILE, config.root));
        for (const l of lessons) addWatchFile(new URL(`content/lessons/${l.slug}/index.mdx`, config.root));
      },
    },
  };
}
