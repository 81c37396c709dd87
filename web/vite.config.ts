/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// The dev server proxies the API (REST and WebSocket) to a locally running ListSync server, so the app is same-origin in
// development exactly as it is when the server serves the built files.
const apiTarget = process.env.LISTSYNC_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [
    react(),
    // An installable app whose shell opens with no network: the service worker precaches the built files and answers
    // every page navigation with index.html. It never touches /api: answers come from the network (or the app's own
    // IndexedDB cache), never from a stale service-worker copy. A new deployment waits for "Reload" (UpdatePrompt).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'ListSync',
        short_name: 'ListSync',
        description: 'Shared shopping and to-do lists that work offline',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#0f766e',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/observe/, /^\/openapi/],
        cleanupOutdatedCaches: true,
        runtimeCaching: [],
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
  build: {
    // Maven builds straight into target/classes/web, the jar's web/ folder; a plain `npm run build` goes to dist/.
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
