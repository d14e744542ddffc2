import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PoolDeliveryService } from './PoolDeliveryService';

/**
 * The scheduled pass over every pool: re-derives phase and conditions (so a
 * pool whose heartbeats stopped turns Stale without anyone asking), and
 * reconciles direct pools (applying what changed, reading health back).
 */
export class PoolHealthMonitor {
  constructor(
    private readonly deps: {
      delivery: PoolDeliveryService;
      logger: LoggerService;
    },
  ) {}

  async runOnce(): Promise<{ pools: number; failed: number }> {
    let pools = 0;
    let failed = 0;
    for await (const page of this.deps.delivery.poolPages()) {
      for (const { object, status } of page) {
        pools++;
        try {
          if (object.spec.delivery.mode === 'direct') {
            await this.deps.delivery.reconcileDirect(object.name, {
              reseed: false,
            });
          } else {
            await this.deps.delivery.refreshFrom(object, status);
          }
        } catch (error) {
          failed++;
          this.deps.logger.warn(
            `Pool health check of ${object.name} failed`,
            error as Error,
          );
        }
      }
    }
    return { pools, failed };
  }
}
