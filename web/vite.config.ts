import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is built from web/ into web/dist, which the API serves with an SPA fallback.
// In development (`npx vite --config web/vite.config.ts`) /api is proxied to a running API.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': process.env.SKUCAST_API_URL ?? 'http://127.0.0.1:3001',
    },
  },
});
