import type { ViteDevServer } from 'vite';

/**
 * Renders .astro components inside Vitest. The repo's vitest.config.ts has no Astro plugin, so
 * `.astro` files cannot be imported directly; instead this starts a middleware-only Vite server
 * with Astro's own Vite config and loads both the container API and the components through it,
 * so they share one module graph (one copy of Astro's runtime). Takes about a second.
 */
export type Renderer = {
  render: (component: string, props: Record<string, unknown>, opts?: { path?: string; slot?: string }) => Promise<string>;
  load: (path: string) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
};

export async function startRenderer(): Promise<Renderer> {
  const { getViteConfig } = await import('astro/config');
  const { createServer } = await import('vite');
  // configFile: false keeps the site's integrations (content checks over every lesson) out of
  // these tests: a broken lesson elsewhere must not fail a component test.
  const config = await getViteConfig(
    { logLevel: 'silent', server: { middlewareMode: true, hmr: false, ws: false } },
    { configFile: false, logLevel: 'silent' },
  )({ mode: 'test', command: 'serve' });
  const server: ViteDevServer = await createServer({ ...config, configFile: false });
  const { experimental_AstroContainer: AstroContainer } = await server.ssrLoadModule('astro/container');
  const container = await AstroContainer.create();
  return {
    async render(component, props, opts = {}) {
      const mod = await server.ssrLoadModule(component);
      return container.renderToString(mod.default, {
        props,
        slots: opts.slot ? { default: opts.slot } : undefined,
        request: new Request(`http://localhost${opts.path ?? '/lessons/dns/'}`),
      });
    },
    load: (path) => server.ssrLoadModule(path),
    close: () => server.close(),
  };
}
