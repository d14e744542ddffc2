// The Jest config of the test tiers outside the packages (replicas/, kube/):
// TypeScript and the ESM packages in node_modules (e.g. @kubernetes/client-node)
// become CommonJS as Backstage's Jest config does for Node packages; one worker,
// a global setup and teardown of the tier's own.
const swc = require.resolve('@backstage/cli/config/jestSwcTransform.js');
const nodeModule = {
  module: { ignoreDynamic: true, exportInteropAnnotation: true },
};

/** @param {string} rootDir the tier's folder (globalSetup.ts, globalTeardown.ts, *.test.ts) */
module.exports = function tierJestConfig(rootDir) {
  return {
    rootDir,
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
};
