import { McpPrefixField, validateMcpPrefix } from './McpPrefixField';
import { PoolPickerField } from './PoolPickerField';

/** The scaffolder fields of the suite, by the name templates use in `ui:field`. */
export const aiGatewayFormFields = {
  AiGatewayPoolPicker: {
    name: 'AiGatewayPoolPicker',
    component: PoolPickerField,
  },
  AiGatewayMcpPrefix: {
    name: 'AiGatewayMcpPrefix',
    component: McpPrefixField,
    validation: validateMcpPrefix as any,
  },
} as const;
