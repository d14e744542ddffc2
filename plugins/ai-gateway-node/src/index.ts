/**
 * Node library of AI Gateway for Backstage, shared by the control plane, its
 * modules and the operator: renderers and their extension point, manifest
 * bundles and revisions, RBAC of a pool, the permission rules and conditions.
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
export * from './manifests/diff';
export * from './apply/KubernetesApplier';
export * from './apply/componentHealth';
export * from './manifests/gitops';
export * from './apply/ClusterConnector';
export {
  aiGatewayConditions,
  createAiGatewayConditionalDecision,
  aiGatewayPermissionRules,
  aiGatewayResourceRef,
  type AiGatewayPermissionResource,
  type AiGatewayAccessQuery,
} from './permissions/rules';
