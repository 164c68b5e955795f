import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
    // Element Plus ships ESM with CSS side effects: let Vite transform it inside tests.
    server: { deps: { inline: ['element-plus'] } },
  },
});
