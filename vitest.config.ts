import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Two projects: everything under test/ runs in Node against real local components;
// test/web/ runs Vue component and composable tests in happy-dom.
export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: one worker on a 2-core machine. The suites
    // mostly wait on DynamoDB Local, local SES and Chromium rather than compute, so three files at
    // once take the whole run from about 9.5 to about 5.7 minutes on 2 cores. Override with
    // `npx vitest run --maxWorkers=1` when chasing a problem.
    maxWorkers: 3,
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
