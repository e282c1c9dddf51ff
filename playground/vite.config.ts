import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The page may load only its own files: no fonts, CDNs or analytics, and it may not send anything
// anywhere (connect-src 'none': the page itself fetches nothing; the worker loads the wasm under its
// own policy, from the same origin). Added to the built index.html only: the dev server needs
// a websocket for hot reload.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'", // CodeMirror injects its styles
  "img-src 'self' data: blob:", // the lint squiggles are data: SVGs
  "font-src 'none'",
  "connect-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'ward-csp',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<meta charset="utf-8" />',
        `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
      );
    },
  };
}

export default defineConfig({
  // Relative URLs: dist/ works from any folder of any static server.
  base: './',
  plugins: [contentSecurityPolicy()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The examples and the wasm glue stay separate files; no inlining of the .wasm as base64.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: ['..'] }, // ../examples
  },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
