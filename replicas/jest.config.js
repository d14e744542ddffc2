// The two-replica tier: two real packages/backend processes on one PostgreSQL
// behind a round-robin load balancer (see replicas.test.ts). Run by
// scripts/test-all.sh after the e2e tier; on its own:
//   source scripts/env.sh && jest -c replicas/jest.config.js
const swc = require.resolve('@backstage/cli/config/jestSwcTransform.js');
// As Backstage's Jest config does for Node packages: TypeScript and the ESM
// packages in node_modules (e.g. @kubernetes/client-node) become CommonJS.
const nodeModule = {
  module: { ignoreDynamic: true, exportInteropAnnotation: true },
};

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.ts'],
  transform: {
    '\\.(mjs|cjs|js)$': [
      swc,
      { ...nodeModule, jsc: { parser: { syntax: 'ecmascript' } } },
    ],
    '\\.(mts|cts|ts)$': [
      swc,
      { ...nodeModule, jsc: { parser: { syntax: 'typescript' } } },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?:@material-ui|ajv|core-js|jest-.*|jsdom|knex|react|react-dom|typescript)/',
  ],
  moduleFileExtensions: [
    'ts',
    'js',
    'mts',
    'cts',
    'mjs',
    'cjs',
    'json',
    'node',
  ],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/globalSetup.ts',
  globalTeardown: '<rootDir>/globalTeardown.ts',
  maxWorkers: 1,
  testTimeout: 300_000,
};
