// Browser and whole-portal tests: run by scripts/test-all.sh after the unit and
// integration tests, against the portal started exactly as the README says.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e.test.ts'],
  transform: {
    '\\.ts$': require.resolve('@backstage/cli/config/jestSwcTransform.js'),
  },
  testEnvironment: 'node',
  maxWorkers: 1,
};
