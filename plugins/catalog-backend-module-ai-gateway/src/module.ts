import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AiGatewayEntityProcessor } from './AiGatewayEntityProcessor';
import { AiGatewayEntityProvider } from './AiGatewayEntityProvider';
import { ControlPlaneClient } from './ControlPlaneClient';

/**
 * Catalog module: the AI gateway entity provider and the processor that
 * checks the suite's entity types.
 *
 * @public
 */
export const catalogModuleAiGateway = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-gateway',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        scheduler,
        logger,
        events,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'aiGateway.catalog.schedule',
        );
        const schedule = scheduleConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
          : { frequency: { minutes: 10 }, timeout: { minutes: 5 } };
        catalog.addProcessor(new AiGatewayEntityProcessor());
        catalog.addEntityProvider(
          new AiGatewayEntityProvider({
            client: new ControlPlaneClient({ discovery, auth }),
            events,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
          }),
        );
      },
    });
  },
});
