/**
 * The agentgateway renderer of AI Gateway for Backstage, as a module of the
 * control plane: turns a pool's desired state into Gateway API and
 * agentgateway.dev objects.
 *
 * @packageDocumentation
 */
export { aiGatewayModuleAgentgateway as default } from './module';
export { AgentgatewayRenderer } from './renderer/AgentgatewayRenderer';
export { AGENTGATEWAY_RUNTIME_RULES } from './renderer/operator';
