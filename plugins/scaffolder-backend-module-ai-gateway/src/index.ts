/**
 * Scaffolder actions of AI Gateway for Backstage.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAiGateway as default } from './module';
export { AiGatewayClient, type AiGatewayCall } from './AiGatewayClient';
export { createPoolAction } from './actions/createPool';
export { installPoolAction } from './actions/installPool';
export { deployMcpServerAction } from './actions/deployMcpServer';
export { importMcpServerAction } from './actions/importMcpServer';
export {
  registerAiBackendAction,
  attachPolicyAction,
} from './actions/createObjects';
export { poolManifestsAction } from './actions/poolManifests';
export { setBudgetAction } from './actions/setBudget';
