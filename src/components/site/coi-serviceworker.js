/*
 * Cross-origin isolation for hosts that cannot send headers (GitHub Pages). Only built with
 * `HOP_COI_SERVICEWORKER=1 npm run build` (see README, "Deploy"); hosts that send the headers
 * themselves do not need it.
 *
 * This service worker answers every same-origin request by fetching it as usual and adding the
 * two headers a WebContainer needs, Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy
 * (plus Cross-Origin-Resource-Policy, as the other deploy targets send). The first visit is not
 * isolated yet — the page arrived before the worker — so the registration script in every page's
 * <head> reloads once, after the worker takes control; a sessionStorage flag keeps that to one
 * reload even if isolation still fails (an old browser, or a hard reload that skips the worker).
 */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Chrome throws on this combination; leave such requests to the browser.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      // Redirects (status 0, opaqueredirect) and opaque responses cannot be rebuilt; pass them on.
      if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
