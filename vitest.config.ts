import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Test files share their worker's module cache: importing the server's module graph once
    // per worker rather than once per file saves most of the suite's collect time. Tests keep
    // no module-level state (no mocks, no fake timers, no environment changes).
    isolate: false,
    // Most of a test's time is waiting (runc, mmdebstrap, installers, the browser), so two files
    // run at once even on two cores; vitest would otherwise run one at a time there (cores - 1).
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
