/**
 * Test helpers of the node library, for the tests of the backend and the
 * operator: the Kubernetes API test server, the manifest schema validator
 * and generated desired states. Not for production code.
 *
 * @packageDocumentation
 */
export * from './testing/KubernetesApiTestServer';
export * from './testing/ManifestSchemaValidator';
export * from './testing/desiredStateArbitraries';
