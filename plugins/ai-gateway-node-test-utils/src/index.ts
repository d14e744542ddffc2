/**
 * Test kit of AI Gateway for Backstage, for the tests of the suite's
 * packages and of modules that extend it (e.g. another gateway's renderer):
 * a Kubernetes API server on 127.0.0.1, a validator of rendered manifests
 * against the real schemas and CRDs, generated pool desired states, and a
 * real backend with the control plane and the permission framework.
 * Not for production code.
 *
 * @packageDocumentation
 */
export * from './AgentgatewayMetricsExporter';
export * from './KubernetesApiTestServer';
export * from './KubernetesFaultProxy';
export * from './McpRegistryTestServer';
export * from './ManifestSchemaValidator';
export * from './crds';
export * from './desiredStateArbitraries';
export * from './eventually';
export * from './startAiGatewayTestBackend';
export * from './fixtures';
export * from './TestPrometheus';
