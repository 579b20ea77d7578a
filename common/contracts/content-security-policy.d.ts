/**
 * The renderer's CSP, shared by the web host (header) and Electron (header on every response).
 * Monaco injects inline styles and runs its language services in same-origin workers;
 * nothing is fetched from anywhere but the app itself.
 */
export declare const RENDERER_CSP: string;
