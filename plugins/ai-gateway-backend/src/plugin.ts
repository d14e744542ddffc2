import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  aiGatewayPermissionList,
  gatewayFlavours,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  aiGatewayPermissionRules,
  aiGatewayRenderersExtensionPoint,
  aiGatewayResourceRef,
  type ManifestRenderer,
  missingRendererMessage,
  RendererRegistry,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import path from 'node:path';
import { BudgetEvaluator } from './budgets/BudgetEvaluator';
import { BudgetService } from './budgets/BudgetService';
import { ModelPrices } from './budgets/modelPrices';
import { AiGatewayStore } from './database/AiGatewayStore';
import { createPoolChangeFeed } from './database/PoolChangeFeed';
import { ConfigClusterConnector } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { PoolDeliveryService } from './delivery/PoolDeliveryService';
import { PoolHealthMonitor } from './delivery/PoolHealthMonitor';
import { loadDemoData } from './demo/DemoDataLoader';
import { createRouter } from './router';
import { McpContractReader } from './contracts/McpContractReader';
import { McpContractService } from './contracts/McpContractService';
import { registerAiGatewayActions } from './actions/registerAiGatewayActions';
import { ResourceService } from './service/ResourceService';
import { McpRegistryService } from './mcpRegistry/McpRegistryService';
import { CatalogRegistrySource } from './mcpRegistry/CatalogRegistrySource';
import { McpRegistrySources } from './mcpRegistry/McpRegistrySources';
import { createUsageService, usageNotConfiguredMessage } from './usage';
import { UsageReportService } from './usageApi/UsageReportService';

/**
 * The AI Gateway control plane: REST API under /api/ai-gateway.
 *
 * @public
 */
export const aiGatewayPlugin = createBackendPlugin({
  pluginId: 'ai-gateway',
  register(env) {
    // Renderers come from modules (e.g. the agentgateway module).
    const renderers: ManifestRenderer[] = [];
    env.registerExtensionPoint(aiGatewayRenderersExtensionPoint, {
      addRenderer(renderer) {
        renderers.push(renderer);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const store = await AiGatewayStore.create({ database: deps.database });
        const feed = await createPoolChangeFeed({
          database: deps.database,
          logger: deps.logger,
        });
        deps.lifecycle.addShutdownHook(() => feed.stop());
        const resources = new ResourceService({
          store,
          permissions: deps.permissions,
          auditor: deps.auditor,
          events: deps.events,
          logger: deps.logger,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: aiGatewayResourceRef,
          permissions: aiGatewayPermissionList,
          rules: Object.values(aiGatewayPermissionRules),
          getResources: async refs => resources.permissionResources(refs),
        });

        const registry = new RendererRegistry(renderers);
        for (const gateway of gatewayFlavours) {
          if (!registry.gateways.includes(gateway)) {
            deps.logger.warn(
              `${missingRendererMessage(
                gateway,
                registry.gateways,
              )}. Until then pools of this gateway cannot be rendered or delivered.`,
            );
          }
        }

        const budgets = new BudgetService({
          store,
          permissions: deps.permissions,
          auditor: deps.auditor,
        });
        const delivery = new PoolDeliveryService({
          store,
          resources,
          budgets,
          registry,
          renderOptions: {
            controlPlaneUrl:
              deps.config.getOptionalString('aiGateway.controlPlaneUrl') ??
              (await deps.discovery.getExternalBaseUrl('ai-gateway')),
          },
          clusters: ConfigClusterConnector.fromConfig(deps.config),
          feed,
          logger: deps.logger,
        });
        const monitor = new PoolHealthMonitor({
          delivery,
          logger: deps.logger,
        });
        const healthSeconds =
          deps.config.getOptionalNumber('aiGateway.health.intervalSeconds') ??
          15;
        await deps.scheduler.scheduleTask({
          id: 'ai-gateway-pool-health',
          frequency: { seconds: healthSeconds },
          timeout: { minutes: 10 },
          initialDelay: { seconds: Math.min(healthSeconds, 5) },
          // One replica checks every pool; its results are in the database.
          scope: 'global',
          fn: async () => {
            await monitor.runOnce();
          },
        });

        // Usage from the gateways' metrics (Prometheus); undefined when not configured.
        const usageSource = createUsageService({
          config: deps.config,
          logger: deps.logger,
        });
        // Budgets: one replica at a time evaluates them; their state is in the database.
        const budgetEvaluator = new BudgetEvaluator({
          store,
          usage: usageSource,
          prices: ModelPrices.fromConfig(deps.config),
          notifications: deps.notifications,
          onPoolsChanged: pools => delivery.renderAgain(pools),
          logger: deps.logger,
        });
        const budgetInterval = deps.config.has(
          'aiGateway.usage.budgetEvaluationInterval',
        )
          ? readDurationFromConfig(deps.config, {
              key: 'aiGateway.usage.budgetEvaluationInterval',
            })
          : { seconds: 30 };
        await deps.scheduler.scheduleTask({
          id: 'ai-gateway-budget-evaluation',
          frequency: budgetInterval,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          scope: 'global',
          fn: async () => {
            await budgetEvaluator.evaluateAll();
          },
        });

        // The operator authenticates with its pool's enrollment token.
        deps.httpRouter.addAuthPolicy({
          path: '/agent',
          allow: 'unauthenticated',
        });
        // MCP servers' live contracts: one replica at a time checks them all;
        // snapshots and drift are in the database.
        const contractsConfig = deps.config.getOptionalConfig(
          'aiGateway.contracts',
        );
        const connectVia =
          contractsConfig?.getOptionalString('connectVia') ?? 'target';
        if (connectVia !== 'target' && connectVia !== 'gateway') {
          throw new Error(
            `aiGateway.contracts.connectVia must be 'target' or 'gateway', not '${connectVia}'`,
          );
        }
        const contractTimeout = contractsConfig?.has('timeout')
          ? readDurationFromConfig(contractsConfig, { key: 'timeout' })
          : { seconds: 15 };
        const gatewayAuthorization = contractsConfig?.getOptionalConfig(
          'gatewayAuthorization',
        );
        const contracts = new McpContractService({
          store,
          resources,
          reader: new McpContractReader({
            timeoutMs: durationToMilliseconds(contractTimeout),
          }),
          connectVia,
          gatewayAuthorization: pool =>
            gatewayAuthorization?.getOptionalString(pool),
          notifications: deps.notifications,
          logger: deps.logger,
        });
        await deps.scheduler.scheduleTask({
          id: 'ai-gateway-mcp-contract-check',
          frequency: contractsConfig?.has('checkInterval')
            ? readDurationFromConfig(contractsConfig, { key: 'checkInterval' })
            : { hours: 1 },
          // Eight servers at a time, each within the check timeout.
          timeout: { minutes: 50 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: async () => {
            await contracts.checkAll();
          },
        });

        const usage = new UsageReportService({
          usage: usageSource,
          resources,
          permissions: deps.permissions,
          notConfiguredMessage: usageNotConfiguredMessage,
        });
        // The same operations for agents (MCP tools via the actions registry).
        registerAiGatewayActions({
          actionsRegistry: deps.actionsRegistry,
          auth: deps.auth,
          resources,
          delivery,
          budgets,
        });
        deps.httpRouter.use(
          await createRouter({
            resources,
            delivery,
            usage,
            budgets,
            contracts,
            mcpRegistry: new McpRegistryService({
              resources,
              namespace: deps.config.getOptionalString(
                'aiGateway.mcpRegistry.namespace',
              ),
              // Served state as the health monitor last derived it.
              poolPhases: async (pools, caller) => {
                const fleet = await delivery.fleet(caller);
                return new Map(
                  fleet
                    .filter(entry => pools.includes(entry.pool))
                    .map(entry => [entry.pool, entry.phase]),
                );
              },
            }),
            mcpRegistrySources: McpRegistrySources.fromConfig(
              deps.config,
              new CatalogRegistrySource(deps.catalog),
            ),
            httpAuth: deps.httpAuth,
            auth: deps.auth,
          }),
        );

        const demo = deps.config.getOptionalConfig('aiGateway.demoData');
        if (demo?.getOptionalBoolean('enabled')) {
          const directory = path.resolve(
            demo.getOptionalString('directory') ?? 'examples/demo',
          );
          deps.lifecycle.addStartupHook(async () => {
            await loadDemoData({
              directory,
              resources,
              leases: store.leases(),
              auth: deps.auth,
              logger: deps.logger,
            });
          });
        }
      },
    });
  },
});
