/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, keeping V8's compiled code of each module for the worker's next files.
  testEnvironment: '<rootDir>/test/support/code-cache-environment.cjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/wait-report.ts'],
  // The longest files first, also on a fresh clone with no timings in jest's cache.
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.cjs',
};
