import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import { coiServiceWorker } from './src/components/site/coi-serviceworker.ts';
import { contentCheck } from './src/integrations/content-check.ts';
import { lazyMonacoCss } from './src/integrations/lazy-monaco-css.ts';
import { pagefindSearch } from './src/integrations/pagefind.ts';
import { storedShapesIntegration } from './src/integrations/stored-shapes.ts';
import { ISOLATION_HEADERS } from './src/lib/isolation-headers.ts';

export default defineConfig({
  trailingSlash: 'always',
  build: { format: 'directory' },
  // Applies to `astro dev` and `astro preview`; `npm start` and the static-host files set the same.
  server: { headers: ISOLATION_HEADERS },
  integrations: [
    contentCheck(),
    mdx(),
    // virtual:hop/stored-shapes: stored progress is checked in the browser without shipping zod.
    storedShapesIntegration(),
    // Monaco's CSS comes with Monaco (after the first paint) instead of blocking the lab page.
    lazyMonacoCss(),
    // Search index in dist/pagefind/, built after every `astro build`.
    pagefindSearch(),
    // GitHub Pages only (it cannot send headers): HOP_COI_SERVICEWORKER=1 npm run build.
    coiServiceWorker({ enabled: process.env.HOP_COI_SERVICEWORKER === '1' }),
  ],
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light', dark: 'github-dark' },
      defaultColor: false,
    },
  },
  devToolbar: { enabled: false },
});
