/**
 * WebContainers need SharedArrayBuffer, which browsers only allow in a cross-origin isolated
 * document. Isolation is per document, so every page (not just lab pages) carries both headers:
 * a learner who lands on a lesson and clicks through to a lab gets an isolated lab page.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
