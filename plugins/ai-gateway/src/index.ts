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
  AiGatewayFleetPage,
} from './plugin';
export { FleetPage } from './fleet/FleetPage';
export { PoolOverviewCard } from './entity/PoolOverviewCard';
export { McpServerCard } from './entity/McpServerCard';
export { AiBackendCard } from './entity/AiBackendCard';
export { TopologyCard } from './entity/TopologyCard';
export {
  PoolClusterTab,
  PoolEndpointsTab,
  PoolIngressTab,
  PoolConfigurationTab,
  PoolTlsTab,
  PoolSiemTab,
  PoolEventsTab,
  PoolManifestsTab,
  PoolAccessTab,
} from './entity/pool';
export {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayEvent,
  type AiGatewayObject,
  type FleetEntry,
  type ManifestsYaml,
  type ObjectPlural,
} from './api/AiGatewayApi';
export { AiGatewayClient } from './api/AiGatewayClient';
export {
  PoolPickerField,
  type PoolPickerOptions,
} from './scaffolder/PoolPickerField';
export {
  McpPrefixField,
  type McpPrefixOptions,
} from './scaffolder/McpPrefixField';
