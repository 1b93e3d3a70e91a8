import type { AstroIntegration } from 'astro';

/**
 * Monaco's stylesheets arrive with Monaco, not in the lab page's <head>.
 *
 * Monaco's modules import ~100 CSS files. Monaco itself is a dynamic import that runs after the
 * page has painted (src/workbench/editor-loader.ts), but Astro links every stylesheet reachable
 * from a page's scripts — dynamic imports included — in the <head>, so ~175 KB of CSS blocked the
 * first paint of the brief (withastro/astro#9495). Here each of those imports becomes a small
 * module that adds the CSS as a <style> when Monaco's code runs: the CSS travels inside Monaco's
 * lazy chunks, and Astro sees no stylesheet to link. Fonts and images in it are still emitted as
 * files by Vite's `?inline` CSS handling.
 */
const PREFIX = '\0hop-lazy-css:';
// Ends in .js so neither Vite nor Astro takes the wrapper for a stylesheet.
const SUFFIX = '.lazy.js';

export function lazyMonacoCssPlugin() {
  return {
    name: 'hop:lazy-monaco-css',
    enforce: 'pre' as const,
    async resolveId(this: { resolve: (s: string, i?: string, o?: { skipSelf?: boolean }) => Promise<{ id: string } | null> }, source: string, importer?: string) {
      if (!importer || !source.endsWith('.css') || !/[\\/]node_modules[\\/]monaco-editor[\\/]/.test(importer)) return undefined;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${PREFIX}${resolved.id}${SUFFIX}` : undefined;
    },
    load(id: string) {
      if (!id.startsWith(PREFIX)) return undefined;
      const file = id.slice(PREFIX.length, -SUFFIX.length);
      return [
        `import css from ${JSON.stringify(`${file}?inline`)};`,
        `const style = document.createElement('style');`,
        `style.dataset.monaco = '';`,
        `style.textContent = css;`,
        `document.head.append(style);`,
      ].join('\n');
    },
  };
}

export function lazyMonacoCss(): AstroIntegration {
  return {
    name: 'hop:lazy-monaco-css',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [lazyMonacoCssPlugin()] } });
      },
    },
  };
}
