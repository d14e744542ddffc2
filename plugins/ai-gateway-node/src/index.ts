/**
 * Node library of AI Gateway for Backstage, shared by the control plane and
 * the operator: renderers and their extension point, manifest bundles and
 * revisions, RBAC of a pool.
 *
 * @packageDocumentation
 */
export * from './manifests/types';
export * from './manifests/canonical';
export * from './manifests/labels';
export * from './manifests/ManifestBundle';
export * from './render/ManifestRenderer';
export * from './render/extensionPoint';
export * from './render/RendererRegistry';
export * from './render/rbac';
export { AgentgatewayRenderer } from './render/agentgateway/AgentgatewayRenderer';
export { AGENTGATEWAY_RUNTIME_RULES } from './render/agentgateway/operator';
export * from './manifests/diff';
export * from './apply/KubernetesApplier';
export * from './apply/componentHealth';
export * from './manifests/gitops';
export * from './apply/ClusterConnector';
