/**
 * AI Gateway for Backstage: the frontend plugin (legacy frontend system; the
 * new system's plugin is the `/alpha` export).
 *
 * @packageDocumentation
 */
export {
  aiGatewayPlugin,
  AiGatewayPoolPickerFieldExtension,
  AiGatewayMcpRegistryServerPickerFieldExtension,
  AiGatewayMcpPrefixFieldExtension,
  AiGatewayQuantityFieldExtension,
  AiGatewayPolicyTargetFieldExtension,
  AiGatewaySecretRefFieldExtension,
  AiGatewayProvidersFieldExtension,
  AiGatewayProviderSummaryFieldExtension,
  AiGatewayListInWordsFieldExtension,
  AiGatewayFleetPage,
  AiGatewayUsagePage,
} from './plugin';
export { FleetPage } from './fleet/FleetPage';
export { AiGatewayHomeContent } from './home/AiGatewayHomeContent';
export { PoolOverviewCard } from './entity/PoolOverviewCard';
export { McpServerCard } from './entity/McpServerCard';
export { AiBackendCard } from './entity/AiBackendCard';
export { TopologyCard } from './entity/TopologyCard';
export { ConnectCard } from './entity/connect/ConnectCard';
export { UsageCard } from './entity/UsageCard';
export { BudgetCard } from './entity/BudgetCard';
export { DeployFromCatalogCard } from './entity/DeployFromCatalogCard';
export { isMcpRegistryEntryEntity } from './entity/mcpRegistryEntry';
export { isBudgetCardAvailable } from './entity/budgetScope';
export { UsagePage } from './usage/UsagePage';
export { McpDefinitionContent } from './entity/connect/McpDefinitionContent';
export { McpContractContent } from './entity/contract/McpContractContent';
export { ServedState } from './components/ServedState';
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
  PoolInstallTab,
} from './entity/pool';
export {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayEvent,
  type AiGatewayObject,
  type FleetEntry,
  type ManifestsYaml,
  type McpRegistryEntry,
  type McpRegistryEntryInput,
  type McpRegistryEntryPage,
  type McpRegistrySource,
  type McpServerContract,
  type ObjectPlural,
  type UsageRequest,
} from './api/AiGatewayApi';
export { AiGatewayClient } from './api/AiGatewayClient';
export {
  PoolPickerField,
  type PoolPickerOptions,
} from './scaffolder/PoolPickerField';
export {
  McpRegistryServerPickerField,
  type McpRegistryServerPickerValue,
} from './scaffolder/McpRegistryServerPickerField';
export {
  McpPrefixField,
  type McpPrefixOptions,
} from './scaffolder/McpPrefixField';
export { QuantityField } from './scaffolder/QuantityField';
export {
  PolicyTargetField,
  type PolicyTargetOptions,
} from './scaffolder/PolicyTargetField';
export {
  SecretRefField,
  type SecretRefOptions,
  type SecretRefValue,
} from './scaffolder/SecretRefField';
export { ProvidersField } from './scaffolder/ProvidersField';
export {
  ProviderSummaryField,
  type ProviderSummaryOptions,
} from './scaffolder/ProviderSummaryField';
export {
  ListInWordsField,
  type ListInWordsOptions,
} from './scaffolder/ListInWordsField';
