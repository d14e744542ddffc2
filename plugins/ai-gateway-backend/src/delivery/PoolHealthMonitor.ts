import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Pool } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import type { PoolDeliveryService } from './PoolDeliveryService';

/**
 * The scheduled pass over every pool: re-derives phase and conditions (so a
 * pool whose heartbeats stopped turns Stale without anyone asking), and
 * reconciles direct pools (applying what changed, reading health back).
 */
export class PoolHealthMonitor {
  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      delivery: PoolDeliveryService;
      logger: LoggerService;
    },
  ) {}

  async runOnce(): Promise<{ pools: number; failed: number }> {
    const names = await this.deps.delivery.poolNames();
    let failed = 0;
    for (const name of names) {
      try {
        const pool = await this.deps.store.get<Pool>('pool', name);
        if (!pool) continue;
        if (pool.spec.delivery.mode === 'direct') {
          await this.deps.delivery.reconcileDirect(name, { reseed: false });
        } else {
          await this.deps.delivery.refresh(name);
        }
      } catch (error) {
        failed++;
        this.deps.logger.warn(
          `Pool health check of ${name} failed`,
          error as Error,
        );
      }
    }
    return { pools: names.length, failed };
  }
}
