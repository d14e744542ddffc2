/**
 * Test helpers of the control plane, for the tests of the suite's other
 * backend packages: a real backend with the plugin and the permission
 * framework on a test database, and request-body builders.
 *
 * @packageDocumentation
 */
export * from './startAiGatewayTestBackend';
export * from './fixtures';
