/**
 * The scale tier (`npm run test:scale`): a team-sized book through every bulk path. Its own
 * config because one run loads 50,000 customers and is longer than the unit suite's budget;
 * one worker, since its steps build on each other and the machine's other core serves the app.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/scale'],
  testMatch: ['**/*.scale.ts'],
  maxWorkers: 1,
  // Each step is one bulk operation on the whole book (a 50,000-customer sync, an export).
  testTimeout: 600_000,
};
