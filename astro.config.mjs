import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import { contentCheck } from './src/integrations/content-check.ts';
import { ISOLATION_HEADERS } from './src/lib/isolation-headers.ts';

export default defineConfig({
  trailingSlash: 'always',
  build: { format: 'directory' },
  // Applies to `astro dev` and `astro preview`; `npm start` and the static-host files set the same.
  server: { headers: ISOLATION_HEADERS },
  integrations: [contentCheck(), mdx()],
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light', dark: 'github-dark' },
      defaultColor: false,
    },
  },
  devToolbar: { enabled: false },
});
