import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { aiGatewayApiRef } from './api/AiGatewayApi';
import { AiGatewayClient } from './api/AiGatewayClient';
import { aiGatewayFormFields } from './scaffolder/fields';

export const fleetRouteRef = createRouteRef({ id: 'ai-gateway:fleet' });
export const usageRouteRef = createRouteRef({ id: 'ai-gateway:usage' });

/**
 * AI Gateway for Backstage in the legacy frontend system.
 *
 * @public
 */
export const aiGatewayPlugin = createPlugin({
  id: 'ai-gateway',
  routes: { fleet: fleetRouteRef, usage: usageRouteRef },
  apis: [
    createApiFactory({
      api: aiGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AiGatewayClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * `ui:field: AiGatewayPoolPicker` (legacy app: put it in `<ScaffolderFieldExtensions>`).
 *
 * @public
 */
export const AiGatewayPoolPickerFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(
    aiGatewayFormFields.AiGatewayPoolPicker as any,
  ),
);

/**
 * `ui:field: AiGatewayMcpRegistryServerPicker` (legacy app).
 *
 * @public
 */
export const AiGatewayMcpRegistryServerPickerFieldExtension =
  aiGatewayPlugin.provide(
    createScaffolderFieldExtension(
      aiGatewayFormFields.AiGatewayMcpRegistryServerPicker as any,
    ),
  );

/**
 * `ui:field: AiGatewayMcpPrefix` (legacy app).
 *
 * @public
 */
export const AiGatewayMcpPrefixFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(aiGatewayFormFields.AiGatewayMcpPrefix as any),
);

/**
 * `ui:field: AiGatewayQuantity` (legacy app).
 *
 * @public
 */
export const AiGatewayQuantityFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(aiGatewayFormFields.AiGatewayQuantity as any),
);

/**
 * `ui:field: AiGatewayPolicyTarget` (legacy app).
 *
 * @public
 */
export const AiGatewayPolicyTargetFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(
    aiGatewayFormFields.AiGatewayPolicyTarget as any,
  ),
);

/**
 * `ui:field: AiGatewaySecretRef` (legacy app).
 *
 * @public
 */
export const AiGatewaySecretRefFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(aiGatewayFormFields.AiGatewaySecretRef as any),
);

/**
 * `ui:field: AiGatewayProviders` (legacy app).
 *
 * @public
 */
export const AiGatewayProvidersFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(aiGatewayFormFields.AiGatewayProviders as any),
);

/**
 * `ui:field: AiGatewayProviderSummary` (legacy app).
 *
 * @public
 */
export const AiGatewayProviderSummaryFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(
    aiGatewayFormFields.AiGatewayProviderSummary as any,
  ),
);

/**
 * `ui:field: AiGatewayListInWords` (legacy app).
 *
 * @public
 */
export const AiGatewayListInWordsFieldExtension = aiGatewayPlugin.provide(
  createScaffolderFieldExtension(
    aiGatewayFormFields.AiGatewayListInWords as any,
  ),
);

/**
 * The fleet page (legacy app: `<Route path="/ai-gateway" element={<AiGatewayFleetPage />} />`).
 *
 * @public
 */
export const AiGatewayFleetPage: () => JSX.Element = aiGatewayPlugin.provide(
  createRoutableExtension({
    name: 'AiGatewayFleetPage',
    component: () =>
      import('./fleet/LegacyFleetPage').then(m => m.LegacyFleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * The usage page per team (legacy app:
 * `<Route path="/ai-gateway/usage" element={<AiGatewayUsagePage />} />`,
 * before the fleet page's route).
 *
 * @public
 */
export const AiGatewayUsagePage: () => JSX.Element = aiGatewayPlugin.provide(
  createRoutableExtension({
    name: 'AiGatewayUsagePage',
    component: () =>
      import('./usage/LegacyUsagePage').then(m => m.LegacyUsagePage),
    mountPoint: usageRouteRef,
  }),
);
