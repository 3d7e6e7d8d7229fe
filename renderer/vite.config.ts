import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Development only: the React refresh preamble is an inline script, which the page's CSP
 * (script-src 'self') rightly refuses. The built page keeps its CSP untouched.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'kontor-relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
  };
}

// A running web host to talk to in development:
//   node bin/kontor.js web --port 5199, then
//   KONTOR_WEB=http://127.0.0.1:5199 npx vite --config renderer/vite.config.ts
// and open http://localhost:5173/?token=<the token it printed>.
const webHost = process.env.KONTOR_WEB;

// base './': the same build is loaded from Electron's app:// protocol and from the loopback
// web host, so every asset URL must be relative to index.html.
export default defineConfig({
  root,
  base: './',
  plugins: [react(), relaxCspInDev()],
  build: {
    outDir: fileURLToPath(new URL('../build/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
    // Inlined assets would become data: URLs for scripts, which the CSP forbids.
    assetsInlineLimit: 0,
    // One local bundle read from disk (app:// or loopback): splitting buys nothing here.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: webHost
      ? {
          '/api': {
            target: webHost,
            changeOrigin: true,
            // The web host refuses requests whose Origin is another site; the dev server is one.
            headers: { origin: webHost },
          },
        }
      : undefined,
  },
});
