import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
  // dist/.vite/manifest.json maps each route's chunk to what it imports: the admin bench reads it
  // to weigh exactly the JavaScript a route loads.
  build: { manifest: true },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // The admin talks to the API on the same origin in production (the API serves the built SPA);
    // in development the dev server forwards the API's paths to it.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
    },
  },
});
