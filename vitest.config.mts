import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };

// Three projects: fast unit/integration tests under plain Node, the reliability suite, and end-to-end tests that drive the
// built renderer in Debian Chromium through the Node host (they need `npm run build` first).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Faults injected at named points (crashes, I/O errors, damaged files, races); prints its counts at the end.
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          globalSetup: ['tests/reliability/globalSetup.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      // PostgreSQL: only when a server is given (`npm run test:pg` starts a private one and sets the variable).
      ...(process.env.INCUBASE_TEST_DATABASE
        ? [
            {
              resolve: { alias },
              test: {
                name: 'pg',
                // tests/pg plus the integration suites that pass on PostgreSQL (the rest reach into SQLite directly)
                include: ['tests/pg/**/*.test.ts', 'tests/integration/organizations/records.test.ts', 'tests/integration/organizations/views.test.ts'],
                environment: 'node',
                pool: 'forks' as const,
                testTimeout: 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
