import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { aiGatewayApiRef } from './api/AiGatewayApi';
import { AiGatewayClient } from './api/AiGatewayClient';
import { aiGatewayFormFields } from './scaffolder/fields';

const aiGatewayApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new AiGatewayClient({ discoveryApi, fetchApi }),
    }),
});

const poolPickerField = FormFieldBlueprint.make({
  name: 'pool-picker',
  params: {
    field: async () => createFormField(aiGatewayFormFields.AiGatewayPoolPicker as any),
  },
});

const mcpPrefixField = FormFieldBlueprint.make({
  name: 'mcp-prefix',
  params: {
    field: async () => createFormField(aiGatewayFormFields.AiGatewayMcpPrefix as any),
  },
});

const fleetPage = PageBlueprint.make({
  params: {
    path: '/ai-gateway',
    title: 'AI Gateway',
    loader: () => import('./fleet/FleetPage').then(m => <m.FleetPage />),
  },
});

/**
 * AI Gateway for Backstage in the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ai-gateway',
  extensions: [aiGatewayApi, fleetPage, poolPickerField, mcpPrefixField],
});

export { aiGatewayApiRef } from './api/AiGatewayApi';
