/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, keeping V8's compiled code of each module for the worker's next files.
  testEnvironment: '<rootDir>/test/support/code-cache-environment.cjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  maxWorkers: 2,
  testTimeout: 30000,
  // How long a worker may take to exit once its files are done before jest kills it and says it
  // "failed to exit gracefully" (default 500 ms). A worker run with `nice -n 19` while other work
  // takes both cores gets a few percent of one: its ordinary exit then takes seconds, with no
  // handle left open (the same files run in band exit at once). A worker that stays up for a
  // leaked server or timer is still killed, and named, after this.
  workerGracefulExitTimeout: 10_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/wait-report.ts'],
  // The longest files first, also on a fresh clone with no timings in jest's cache.
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.cjs',
};
