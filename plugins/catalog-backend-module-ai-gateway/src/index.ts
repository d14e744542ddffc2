/**
 * Catalog module of AI Gateway for Backstage.
 *
 * @packageDocumentation
 */
export { catalogModuleAiGateway as default } from './module';
export { AiGatewayEntityProvider } from './AiGatewayEntityProvider';
export { ControlPlaneClient } from './ControlPlaneClient';
export {
  toEntity,
  type ControlPlaneObject,
  type OwnerLookup,
} from './entities';
export { AiGatewayEntityProcessor } from './AiGatewayEntityProcessor';
