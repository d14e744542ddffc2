import { ListInWordsField } from './ListInWordsField';
import { McpPrefixField, validateMcpPrefix } from './McpPrefixField';
import { McpRegistryServerPickerField } from './McpRegistryServerPickerField';
import { PolicyTargetField, validatePolicyTarget } from './PolicyTargetField';
import { PoolPickerField } from './PoolPickerField';
import { ProvidersField } from './ProvidersField';
import { ProviderSummaryField } from './ProviderSummaryField';
import { QuantityField, validateQuantity } from './QuantityField';
import { SecretRefField, validateSecretRef } from './SecretRefField';

/** The scaffolder fields of the suite, by the name templates use in `ui:field`. */
export const aiGatewayFormFields = {
  AiGatewayPoolPicker: {
    name: 'AiGatewayPoolPicker',
    component: PoolPickerField,
  },
  AiGatewayMcpRegistryServerPicker: {
    name: 'AiGatewayMcpRegistryServerPicker',
    component: McpRegistryServerPickerField,
  },
  AiGatewayMcpPrefix: {
    name: 'AiGatewayMcpPrefix',
    component: McpPrefixField,
    validation: validateMcpPrefix as any,
  },
  AiGatewayQuantity: {
    name: 'AiGatewayQuantity',
    component: QuantityField,
    validation: validateQuantity as any,
  },
  AiGatewayPolicyTarget: {
    name: 'AiGatewayPolicyTarget',
    component: PolicyTargetField,
    validation: validatePolicyTarget as any,
  },
  AiGatewaySecretRef: {
    name: 'AiGatewaySecretRef',
    component: SecretRefField,
    validation: validateSecretRef as any,
  },
  AiGatewayProviders: {
    name: 'AiGatewayProviders',
    component: ProvidersField,
  },
  AiGatewayProviderSummary: {
    name: 'AiGatewayProviderSummary',
    component: ProviderSummaryField,
  },
  AiGatewayListInWords: {
    name: 'AiGatewayListInWords',
    component: ListInWordsField,
  },
} as const;
