import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { aiGatewayPermissionList } from '@internal/plugin-ai-gateway-common';
import path from 'node:path';
import { AiGatewayStore } from './database/AiGatewayStore';
import { loadDemoData } from './demo/DemoDataLoader';
import {
  aiGatewayPermissionRules,
  aiGatewayResourceRef,
} from './permissions/rules';
import { createRouter } from './router';
import { ResourceService } from './service/ResourceService';

/**
 * The AI Gateway control plane: REST API under /api/ai-gateway.
 *
 * @public
 */
export const aiGatewayPlugin = createBackendPlugin({
  pluginId: 'ai-gateway',
  register(env) {
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
        events: eventsServiceRef,
      },
      async init(deps) {
        const store = await AiGatewayStore.create({ database: deps.database });
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
          getResources: async refs =>
            resources.permissionResources(refs),
        });

        deps.httpRouter.use(
          await createRouter({
            resources,
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
              auth: deps.auth,
              logger: deps.logger,
            });
          });
        }
      },
    });
  },
});
