import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: real server jars, real Chromium. Not part of `npm test`; run with `npm run e2e`
// after building server/target/listsync.jar. One file at a time: each starts its own servers on free ports.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
