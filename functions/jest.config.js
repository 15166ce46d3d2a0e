/** Two projects: `unit` needs nothing running; `integration` talks to the local stack. */
const transform = { '^.+\\.(t|j|mj)s$': ['@swc/jest'] };
// jose 6 is ESM-only; let swc turn it into CommonJS for Jest.
const transformIgnorePatterns = ['/node_modules/(?!(jose)/)'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
  ],
};
