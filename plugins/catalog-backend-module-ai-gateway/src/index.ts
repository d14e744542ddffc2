/**
 * Catalog module of AI Gateway for Backstage.
 *
 * @packageDocumentation
 */
export { catalogModuleAiGateway as default } from './module';
export { AiGatewayEntityProvider } from './AiGatewayEntityProvider';
export { toEntity } from './entities';
export { AiGatewayEntityProcessor } from './AiGatewayEntityProcessor';
