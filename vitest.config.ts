import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships both index.mjs and index.js; Node loads index.js for the libraries
  // (Yoga, Pothos), so sources must use the same copy or types fail across "realms".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
