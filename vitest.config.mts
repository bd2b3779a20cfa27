import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };

const UNIT_FILES = ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'];

/**
 * The ONE list of unit/integration files not yet run by the `pg` project (`npm run test:pg` runs the same files as
 * `unit`, on PostgreSQL). Each entry names its owner and why; the owner removes the entry when the file is green on
 * PostgreSQL. A test that is truly about the SQLite file itself is not listed here: it is marked in the file with
 * `sqliteOnly.describe/it(name, reason, …)` from tests/helpers/engine.ts.
 */
const PG_PENDING: { file: string; owner: string; why: string }[] = [
];

// Three projects: fast unit/integration tests under plain Node, the reliability suite, and end-to-end tests that drive the
// built renderer in Debian Chromium through the Node host (they need `npm run build` first).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: UNIT_FILES,
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
                // The whole unit + integration suite, on PostgreSQL, plus tests/pg; minus PG_PENDING (below).
                include: [...UNIT_FILES, 'tests/pg/**/*.test.ts'],
                exclude: [...configDefaults.exclude, ...PG_PENDING.map((p) => p.file)],
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
