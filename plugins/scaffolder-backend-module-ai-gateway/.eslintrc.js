module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // The integration tests run the actions against the real control plane
    // (its exported testUtils); production code still may not import it.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      { excludedTargetPackages: ['@ai-gateway-backstage/plugin-ai-gateway-backend'] },
    ],
  },
});
