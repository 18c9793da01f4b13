import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Two projects: everything under test/ runs in Node against real local components;
// test/web/ runs Vue component and composable tests in happy-dom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/web/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
})
