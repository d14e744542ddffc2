// The real-cluster tier: delivery against a real kube-apiserver and etcd built
// from the Go module proxy (scripts/kube.sh; see README.md). Run by
// scripts/test-all.sh after the unit tier; on its own:
//   source scripts/env.sh && jest -c kube/jest.config.js
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
