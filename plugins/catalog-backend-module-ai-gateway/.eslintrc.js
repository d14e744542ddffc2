module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // The integration tests run the catalog with the real control plane
    // plugin; production code still may not import it.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      {
        excludedTargetPackages: [
          '@ai-gateway-backstage/plugin-ai-gateway-backend',
        ],
      },
    ],
  },
});
