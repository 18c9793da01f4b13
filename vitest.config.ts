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
          // The SDK warns once per process that its 2027 releases will need Node 22; not news in test output.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
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
