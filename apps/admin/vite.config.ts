import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
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
