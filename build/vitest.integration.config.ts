import { defineConfig } from 'vitest/config';

// Integration tests talk to the real Slurm test bed (tests/testbed) over real SSH; globalSetup starts it.
export default defineConfig({
  test: {
    name: 'integration',
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/integration/**/*.test.ts'],
    globalSetup: ['tests/integration/global-setup.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // One test bed, shared state: files run one after another.
    fileParallelism: false,
  },
});
