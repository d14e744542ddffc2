import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { ConfigClusterConnector } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AiGatewayClient } from './AiGatewayClient';
import {
  attachPolicyAction,
  registerAiBackendAction,
} from './actions/createObjects';
import { createPoolAction } from './actions/createPool';
import { deployMcpServerAction } from './actions/deployMcpServer';
import { importMcpServerAction } from './actions/importMcpServer';
import { installPoolAction } from './actions/installPool';
import { poolManifestsAction } from './actions/poolManifests';
import { setBudgetAction } from './actions/setBudget';

/**
 * Scaffolder actions of AI Gateway for Backstage (`ai-gateway:*`).
 *
 * @public
 */
export const scaffolderModuleAiGateway = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ai-gateway',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        const client = new AiGatewayClient({ discovery, auth });
        const pollMs = config.getOptionalNumber(
          'aiGateway.scaffolder.pollIntervalMs',
        );
        scaffolder.addActions(
          createPoolAction({ client }),
          installPoolAction({
            client,
            clusters: ConfigClusterConnector.fromConfig(config),
            pollMs,
          }),
          deployMcpServerAction({ client, pollMs }),
          importMcpServerAction({ client, pollMs }),
          registerAiBackendAction({ client, pollMs }),
          attachPolicyAction({ client, pollMs }),
          poolManifestsAction({ client }),
          setBudgetAction({ client }),
        );
      },
    });
  },
});
