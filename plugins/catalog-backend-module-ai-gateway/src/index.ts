/**
 * Catalog module of AI Gateway for Backstage.
 *
 * @packageDocumentation
 */
export { catalogModuleAiGateway as default } from './module';
export { AiGatewayEntityProvider } from './AiGatewayEntityProvider';
export { toEntity, ANNOTATION_AI_GATEWAY_KIND, ANNOTATION_AI_GATEWAY_POOL, POOL_LABEL } from './entities';
export { AiGatewayEntityProcessor } from './AiGatewayEntityProcessor';
