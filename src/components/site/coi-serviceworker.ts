import { copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/**
 * Opt-in cross-origin isolation through a service worker, for hosts that cannot send headers
 * (GitHub Pages). Off by default; `HOP_COI_SERVICEWORKER=1 npm run build` turns it on, which
 * copies ./coi-serviceworker.js to dist/coi-serviceworker.js and adds REGISTER_SCRIPT to every
 * page's <head>. Hosts that send the headers (npm start, Cloudflare Pages, Netlify, Vercel) never
 * need it, and a default build contains neither.
 */
export const SERVICE_WORKER_PATH = '/coi-serviceworker.js';

/** Registers the worker, then reloads once when it takes control of a page that is not isolated yet. */
export const REGISTER_SCRIPT = `(function () {
  var KEY = 'hop:coi-reloaded';
  if (window.crossOriginIsolated) { try { sessionStorage.removeItem(KEY); } catch (e) {} }
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('${SERVICE_WORKER_PATH}').then(function () {
    if (window.crossOriginIsolated) return;
    function reloadOnce() {
      try { if (sessionStorage.getItem(KEY)) return; sessionStorage.setItem(KEY, '1'); } catch (e) { return; }
      location.reload();
    }
    if (navigator.serviceWorker.controller) reloadOnce();
    else navigator.serviceWorker.addEventListener('controllerchange', reloadOnce);
  }, function (err) { console.warn('Cross-origin isolation service worker not registered:', err); });
})();`;

export function coiServiceWorker(options: { enabled: boolean }): AstroIntegration {
  let root: URL;
  return {
    name: 'hop-coi-serviceworker',
    hooks: {
      'astro:config:setup': ({ config, injectScript, logger }) => {
        root = config.root;
        if (!options.enabled) return;
        injectScript('head-inline', REGISTER_SCRIPT);
        logger.info('HOP_COI_SERVICEWORKER=1: pages register a service worker that adds the isolation headers.');
      },
      'astro:build:done': async ({ dir }) => {
        if (!options.enabled) return;
        await copyFile(
          fileURLToPath(new URL('src/components/site/coi-serviceworker.js', root)),
          fileURLToPath(new URL(SERVICE_WORKER_PATH.slice(1), dir)),
        );
      },
    },
  };
}
