import { ServiceUnavailableError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** A held lease; renewed while the work runs, released when it ends. */
export type Lease = {
  key: string;
  holder: string;
};

export type LeaseOptions = {
  /** How long the lease holds without renewal (a crashed holder frees it after this). */
  ttlMs: number;
  /** How long to wait for a lease another replica holds; 0 = give up at once. */
  waitMs?: number;
  /** How often to try again while waiting. */
  retryMs?: number;
};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Leases in the shared database: work that must run once across backend
 * replicas (a pool's reconcile, the demo-data load) runs under a lease that
 * only one replica holds at a time. Leases expire, so a replica killed while
 * holding one blocks the others for at most its TTL.
 */
export class LeaseStore {
  constructor(private readonly db: Knex) {}

  /** The lease if it was free (or expired), undefined if another holder has it. */
  async tryAcquire(key: string, ttlMs: number): Promise<Lease | undefined> {
    const holder = randomUUID();
    const now = Date.now();
    await this.db('aigw_leases')
      .where({ key })
      .where('expires_at', '<', now)
      .delete();
    await this.db('aigw_leases')
      .insert({ key, holder, expires_at: now + ttlMs })
      .onConflict('key')
      .ignore();
    const row = await this.db('aigw_leases').where({ key }).first('holder');
    return row?.holder === holder ? { key, holder } : undefined;
  }

  /** Extends a held lease; false if it was lost (expired and taken). */
  async renew(lease: Lease, ttlMs: number): Promise<boolean> {
    const n = await this.db('aigw_leases')
      .where({ key: lease.key, holder: lease.holder })
      .update({ expires_at: Date.now() + ttlMs });
    return n === 1;
  }

  async release(lease: Lease): Promise<void> {
    await this.db('aigw_leases')
      .where({ key: lease.key, holder: lease.holder })
      .delete();
  }

  /**
   * Runs `fn` holding the lease `key`, renewing it meanwhile. Waits up to
   * `waitMs` for another holder; throws ServiceUnavailableError if the lease
   * stays taken.
   */
  async withLease<T>(
    key: string,
    options: LeaseOptions,
    fn: () => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    let lease = await this.tryAcquire(key, options.ttlMs);
    while (!lease) {
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableError(
          `'${key}' is in progress on another backend replica; try again shortly`,
        );
      }
      await sleep(options.retryMs ?? 200);
      lease = await this.tryAcquire(key, options.ttlMs);
    }
    const held = lease;
    const renewal = setInterval(() => {
      this.renew(held, options.ttlMs).catch(() => undefined);
    }, Math.max(options.ttlMs / 3, 50));
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      await this.release(held).catch(() => undefined);
    }
  }
}
