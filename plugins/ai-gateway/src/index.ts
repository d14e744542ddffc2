/**
 * AI Gateway for Backstage: the frontend plugin (legacy frontend system; the
 * new system's plugin is the `/alpha` export).
 *
 * @packageDocumentation
 */
export {
  aiGatewayPlugin,
  AiGatewayPoolPickerFieldExtension,
  AiGatewayMcpPrefixFieldExtension,
} from './plugin';
export { aiGatewayApiRef, type AiGatewayApi, type AiGatewayObject } from './api/AiGatewayApi';
export { AiGatewayClient } from './api/AiGatewayClient';
export { PoolPickerField } from './scaffolder/PoolPickerField';
export { McpPrefixField } from './scaffolder/McpPrefixField';
