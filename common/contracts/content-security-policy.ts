/**
 * The renderer's CSP, shared by the web host (header) and Electron (header on every response).
 * Monaco injects inline styles and runs its language services in same-origin workers;
 * nothing is fetched from anywhere but the app itself.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')
