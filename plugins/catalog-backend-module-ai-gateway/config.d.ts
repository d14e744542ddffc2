import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  aiGateway?: {
    catalog?: {
      /**
       * How often the full sync of the entity provider runs (changes arrive
       * as deltas in between). Default: every 10 minutes, 5 s after start-up.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
