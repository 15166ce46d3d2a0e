/**
 * `unit` needs nothing running; `firestore` checks the Firestore emulator itself behaves like
 * Firestore; `integration` and `serial` talk to the local stack.
 */
const transform = { '^.+\\.(t|j|mj)s$': ['@swc/jest'] };
// jose 6 and eventsource-parser are ESM-only; let swc turn them into CommonJS for Jest.
const transformIgnorePatterns = ['/node_modules/(?!(jose|eventsource-parser)/)'];

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests go through the emulators, whose workers start on demand.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      // Conformance of the local Firestore emulator to Firestore (queries, transactions, writes,
      // the index check): the ground the integration tests stand on.
      displayName: 'firestore',
      testMatch: ['<rootDir>/test/firestore/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.serial\\.test\\.ts$', '<rootDir>/test/firestore/'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      // Tests that break shared infrastructure on purpose (Redis down, keys unreachable):
      // run alone, after the others, with --runInBand.
      displayName: 'serial',
      testMatch: ['<rootDir>/test/**/*.serial.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
  ],
};
