/**
 * The AI Gateway control plane backend plugin.
 *
 * @packageDocumentation
 */
export { aiGatewayPlugin as default } from './plugin';
export {
  aiGatewayConditions,
  createAiGatewayConditionalDecision,
  aiGatewayPermissionRules,
  aiGatewayResourceRef,
  type AiGatewayPermissionResource,
  type AiGatewayAccessQuery,
} from './permissions/rules';
export { AiGatewayPermissionPolicy } from './permissions/AiGatewayPermissionPolicy';
export { aiGatewayPermissionPolicyModule } from './permissions/policyModule';
