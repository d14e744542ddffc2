/**
 * AI Gateway for Backstage: the frontend plugin for the new frontend system
 * (pages, entity cards and tabs, scaffolder fields as extensions).
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  type FrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityContentLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import { aiGatewayApiRef } from './api/AiGatewayApi';
import { AiGatewayClient } from './api/AiGatewayClient';
import { AI_GATEWAY_KIND_ANNOTATION } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { aiGatewayFormFields } from './scaffolder/fields';
import { isBudgetCardAvailable } from './entity/budgetScope';
import { isMcpRegistryEntryEntity } from './entity/mcpRegistryEntry';

const aiGatewayApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AiGatewayClient({ discoveryApi, fetchApi }),
    }),
});

const poolPickerField = FormFieldBlueprint.make({
  name: 'pool-picker',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayPoolPicker as any),
  },
});

const mcpRegistryServerPickerField = FormFieldBlueprint.make({
  name: 'mcp-registry-server-picker',
  params: {
    field: async () =>
      createFormField(
        aiGatewayFormFields.AiGatewayMcpRegistryServerPicker as any,
      ),
  },
});

const mcpPrefixField = FormFieldBlueprint.make({
  name: 'mcp-prefix',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayMcpPrefix as any),
  },
});

const quantityField = FormFieldBlueprint.make({
  name: 'quantity',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayQuantity as any),
  },
});

const policyTargetField = FormFieldBlueprint.make({
  name: 'policy-target',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayPolicyTarget as any),
  },
});

const secretRefField = FormFieldBlueprint.make({
  name: 'secret-ref',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewaySecretRef as any),
  },
});

const providersField = FormFieldBlueprint.make({
  name: 'providers',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayProviders as any),
  },
});

const providerSummaryField = FormFieldBlueprint.make({
  name: 'provider-summary',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayProviderSummary as any),
  },
});

const listInWordsField = FormFieldBlueprint.make({
  name: 'list-in-words',
  params: {
    field: async () =>
      createFormField(aiGatewayFormFields.AiGatewayListInWords as any),
  },
});

/** The fleet page: the plugin's root, so the app's sidebar links to it. */
const rootRouteRef = createRouteRef();

const fleetPage = PageBlueprint.make({
  params: {
    path: '/ai-gateway',
    title: 'AI Gateway',
    icon: <DeviceHubIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () => import('./fleet/FleetPage').then(m => <m.FleetPage />),
  },
});

/**
 * Usage and cost per team (`?team=group:default/team-a`), linked from the
 * fleet and home pages. No route ref and title of its own: the sidebar keeps
 * one AI Gateway item, and the header is the plugin's, linking to the fleet.
 */
const usagePage = PageBlueprint.make({
  name: 'usage',
  params: {
    path: '/ai-gateway/usage',
    loader: () => import('./usage/UsagePage').then(m => <m.UsagePage />),
  },
});

const kindIs =
  (kind: string) =>
  (entity: { metadata: { annotations?: Record<string, string> } }) =>
    entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION] === kind;
const isSuiteEntity = (entity: {
  metadata: { annotations?: Record<string, string> };
}) =>
  ['pool', 'mcpServer', 'aiBackend'].includes(
    entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION] ?? '',
  );

const poolOverviewCard = EntityCardBlueprint.make({
  name: 'pool-overview',
  params: {
    filter: kindIs('pool'),
    loader: () =>
      import('./entity/PoolOverviewCard').then(m => <m.PoolOverviewCard />),
  },
});
const mcpServerCard = EntityCardBlueprint.make({
  name: 'mcp-server',
  params: {
    filter: kindIs('mcpServer'),
    loader: () =>
      import('./entity/McpServerCard').then(m => <m.McpServerCard />),
  },
});
const aiBackendCard = EntityCardBlueprint.make({
  name: 'ai-backend',
  params: {
    filter: kindIs('aiBackend'),
    loader: () =>
      import('./entity/AiBackendCard').then(m => <m.AiBackendCard />),
  },
});
/** How to call an MCP server or AI backend: URL, auth, rules in words, snippets. */
const connectCard = EntityCardBlueprint.make({
  name: 'connect',
  params: {
    filter: (entity: { metadata: { annotations?: Record<string, string> } }) =>
      kindIs('mcpServer')(entity) || kindIs('aiBackend')(entity),
    loader: () =>
      import('./entity/connect/ConnectCard').then(m => <m.ConnectCard />),
  },
});
/** The Definition tab of an MCP server's API entity (spec.definition in words). */
const mcpDefinitionContent = EntityContentBlueprint.make({
  name: 'mcp-definition',
  params: {
    // Not 'definition': the api-docs plugin's tab of API entities has that path.
    path: 'mcp-definition',
    title: 'Definition',
    filter: (entity: {
      kind: string;
      metadata: { annotations?: Record<string, string> };
    }) => entity.kind === 'API' && kindIs('mcpServer')(entity),
    loader: () =>
      import('./entity/connect/McpDefinitionContent').then(m => (
        <m.McpDefinitionContent />
      )),
  },
});
/** Usage (tokens, cost, MCP calls, errors, latency) of a project, pool, AI backend or MCP server. */
const usageCard = EntityCardBlueprint.make({
  name: 'usage',
  params: {
    // Charts need the main column's width.
    type: 'content',
    filter: (entity: { metadata: { annotations?: Record<string, string> } }) =>
      ['project', 'pool', 'mcpServer', 'aiBackend'].includes(
        entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION] ?? '',
      ),
    loader: () => import('./entity/UsageCard').then(m => <m.UsageCard />),
  },
});
/**
 * Budgets of a team (catalog Group), an AI Gateway project or an AI backend:
 * spend in the current window against the limit, with add, edit and delete.
 */
const budgetCard = EntityCardBlueprint.make({
  name: 'budgets',
  params: {
    filter: isBudgetCardAvailable,
    loader: () => import('./entity/BudgetCard').then(m => <m.BudgetCard />),
  },
});
/**
 * On an API entity defined by a server.json (an MCP registry entry kept in
 * the catalog): what the gateway would run and a button to deploy it.
 */
const deployFromCatalogCard = EntityCardBlueprint.make({
  name: 'deploy-from-catalog',
  params: {
    filter: isMcpRegistryEntryEntity,
    loader: () =>
      import('./entity/DeployFromCatalogCard').then(m => (
        <m.DeployFromCatalogCard />
      )),
  },
});
const topologyCard = EntityCardBlueprint.make({
  name: 'topology',
  params: {
    filter: isSuiteEntity,
    loader: () => import('./entity/TopologyCard').then(m => <m.TopologyCard />),
  },
});

/**
 * The Overview of pool entities: the pool's status (with the install while
 * nothing runs) and its topology full width, above the other cards (the
 * catalog's relations graph, About). The catalog uses the first layout whose
 * filter matches, so other entities keep the app's default layout.
 */
const poolOverviewLayout = EntityContentLayoutBlueprint.make({
  name: 'pool-overview',
  params: {
    filter: kindIs('pool'),
    loader: () =>
      import('./entity/pool/PoolOverviewLayout').then(
        m => m.PoolOverviewLayout,
      ),
  },
});

/** The live contract of an MCP server (tools, risk class, drift) on its API entity. */
const mcpContractContent = EntityContentBlueprint.make({
  name: 'mcp-contract',
  params: {
    path: 'mcp-contract',
    title: 'Contract',
    filter: (entity: {
      kind: string;
      metadata: { annotations?: Record<string, string> };
    }) => entity.kind === 'API' && kindIs('mcpServer')(entity),
    loader: () =>
      import('./entity/contract/McpContractContent').then(m => (
        <m.McpContractContent />
      )),
  },
});

/**
 * The pool page's tabs, in the order a platform engineer checks a pool; the
 * Overview tab is the catalog's own (with the cards above) and the
 * Kubernetes tab comes from the Kubernetes plugin.
 */
const poolTab = (
  name: string,
  path: string,
  title: string,
  load: () => Promise<JSX.Element>,
) =>
  EntityContentBlueprint.make({
    name: `pool-${name}`,
    params: { path, title, filter: kindIs('pool'), loader: load },
  });
const poolTabs = [
  poolTab('install', 'install', 'Install', () =>
    import('./entity/pool/PoolInstallTab').then(m => <m.PoolInstallTab />),
  ),
  poolTab('cluster', 'cluster', 'Cluster', () =>
    import('./entity/pool/PoolClusterTab').then(m => <m.PoolClusterTab />),
  ),
  poolTab('endpoints', 'endpoints', 'Endpoints', () =>
    import('./entity/pool/PoolEndpointsTab').then(m => <m.PoolEndpointsTab />),
  ),
  poolTab('ingress', 'ingress', 'Ingress', () =>
    import('./entity/pool/PoolIngressTab').then(m => <m.PoolIngressTab />),
  ),
  poolTab('configuration', 'configuration', 'Configuration', () =>
    import('./entity/pool/PoolConfigurationTab').then(m => (
      <m.PoolConfigurationTab />
    )),
  ),
  poolTab('tls', 'tls', 'TLS & Domains', () =>
    import('./entity/pool/PoolTlsTab').then(m => <m.PoolTlsTab />),
  ),
  poolTab('siem', 'siem', 'SIEM', () =>
    import('./entity/pool/PoolSiemTab').then(m => <m.PoolSiemTab />),
  ),
  poolTab('events', 'events', 'Events', () =>
    import('./entity/pool/PoolEventsTab').then(m => <m.PoolEventsTab />),
  ),
  poolTab('manifests', 'manifests', 'Manifests', () =>
    import('./entity/pool/PoolManifestsTab').then(m => <m.PoolManifestsTab />),
  ),
  poolTab('access', 'access', 'Access', () =>
    import('./entity/pool/PoolAccessTab').then(m => <m.PoolAccessTab />),
  ),
];

/**
 * AI Gateway for Backstage in the new frontend system.
 *
 * @alpha
 */
const aiGatewayPlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'ai-gateway',
  title: 'AI Gateway',
  icon: <DeviceHubIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [
    aiGatewayApi,
    fleetPage,
    usagePage,
    poolOverviewCard,
    mcpServerCard,
    aiBackendCard,
    connectCard,
    topologyCard,
    usageCard,
    budgetCard,
    deployFromCatalogCard,
    poolOverviewLayout,
    mcpDefinitionContent,
    mcpContractContent,
    ...poolTabs,
    poolPickerField,
    mcpRegistryServerPickerField,
    mcpPrefixField,
    quantityField,
    policyTargetField,
    secretRefField,
    providersField,
    providerSummaryField,
    listInWordsField,
  ],
});
export default aiGatewayPlugin;

export { PoolOverviewLayout } from './entity/pool/PoolOverviewLayout';
export {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayEvent,
  type AiGatewayObject,
  type ManifestsYaml,
  type McpRegistryEntry,
  type McpRegistryEntryInput,
  type McpRegistryEntryPage,
  type McpRegistrySource,
  type McpServerContract,
  type ObjectPlural,
  type UsageRequest,
} from './api/AiGatewayApi';
