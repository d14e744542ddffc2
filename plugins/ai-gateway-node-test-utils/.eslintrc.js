module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The test backend runs the real control plane, loaded only when a test
    // starts one; a test kit, like @backstage/backend-test-utils, may do that.
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
