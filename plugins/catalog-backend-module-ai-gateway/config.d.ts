import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  aiGateway?: {
    catalog?: {
      /**
       * How often the full sync of the entity provider runs (changes arrive
       * as deltas in between). Default: every 10 minutes, the first at start-up.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
