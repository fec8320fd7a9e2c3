/** Jest runs the TypeScript sources directly as ES modules through ts-jest. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Runners (*.test.ts) each load the *.spec.ts of one area into one module registry (test/specs.ts);
  // `npm run test:spec -- <file>` runs one spec on its own.
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true, diagnostics: false }],
  },
  // Jest's default leaves one core idle (cores − 1 workers: a single, serial worker on the 2-core CI
  // machines); the suites are independent (each works in its own temp folders), so use every core.
  maxWorkers: '100%',
  testTimeout: 60000,
};
