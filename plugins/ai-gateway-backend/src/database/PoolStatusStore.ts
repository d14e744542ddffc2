import type {
  Condition,
  Heartbeat,
  PoolPhase,
  PoolStatus,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestBundle } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { Knex } from 'knex';

/** How many delivered bundles a pool keeps for diffs. */
const KEPT_REVISIONS = 20;

export type StoredPoolStatus = PoolStatus & {
  /** Bumped by every save: replicas update a status with compare-and-set on it. */
  generation: number;
  syncRequestedAt?: string;
  reseedRequestedAt?: string;
  updatedAt: string;
};

type Row = {
  pool: string;
  phase: string;
  phase_since: string | Date;
  conditions: string;
  heartbeat: string | null;
  desired_revision: string | null;
  sync_requested_at: string | Date | null;
  reseed_requested_at: string | Date | null;
  updated_at: string | Date;
  generation: number;
};

const iso = (v: string | Date | null | undefined) =>
  v === null || v === undefined ? undefined : new Date(v).toISOString();

function toStatus(row: Row): StoredPoolStatus {
  return {
    pool: row.pool,
    phase: row.phase as PoolPhase,
    phaseSince: iso(row.phase_since)!,
    conditions: JSON.parse(row.conditions) as Condition[],
    ...(row.heartbeat
      ? { heartbeat: JSON.parse(row.heartbeat) as Heartbeat }
      : {}),
    ...(row.desired_revision ? { desiredRevision: row.desired_revision } : {}),
    ...(row.sync_requested_at
      ? { syncRequestedAt: iso(row.sync_requested_at) }
      : {}),
    ...(row.reseed_requested_at
      ? { reseedRequestedAt: iso(row.reseed_requested_at) }
      : {}),
    updatedAt: iso(row.updated_at)!,
    generation: Number(row.generation ?? 0),
  };
}

/** Pool delivery state on knex: status rows and delivered bundles. */
export class PoolStatusStore {
  /** The newest revision this process saved per pool (never pruned: it is the newest). */
  readonly #lastSaved = new Map<string, string>();

  constructor(private readonly db: Knex) {}

  async get(pool: string): Promise<StoredPoolStatus | undefined> {
    const row = await this.db<Row>('aigw_pool_status').where({ pool }).first();
    return row ? toStatus(row) : undefined;
  }

  async getMany(pools: string[]): Promise<Map<string, StoredPoolStatus>> {
    const out = new Map<string, StoredPoolStatus>();
    for (let i = 0; i < pools.length; i += 500) {
      const rows = await this.db<Row>('aigw_pool_status').whereIn(
        'pool',
        pools.slice(i, i + 500),
      );
      for (const row of rows) out.set(row.pool, toStatus(row));
    }
    return out;
  }

  /**
   * Writes the derived status (the heartbeat column only when given) if the
   * stored one is still `previous` (by generation); false when another
   * replica saved in between and the status must be derived again.
   */
  async save(
    status: Pick<
      PoolStatus,
      'pool' | 'phase' | 'phaseSince' | 'conditions' | 'desiredRevision'
    > & {
      heartbeat?: Heartbeat;
    },
    previous: Pick<StoredPoolStatus, 'generation'> | undefined,
    now: Date,
  ): Promise<boolean> {
    const values: Partial<Row> = {
      phase: status.phase,
      phase_since: status.phaseSince,
      conditions: JSON.stringify(status.conditions),
      desired_revision: status.desiredRevision ?? null,
      updated_at: now.toISOString(),
      generation: (previous?.generation ?? 0) + 1,
      ...(status.heartbeat
        ? { heartbeat: JSON.stringify(status.heartbeat) }
        : {}),
    };
    if (!previous) {
      const inserted = await this.db('aigw_pool_status')
        .insert({ pool: status.pool, heartbeat: null, ...values })
        .onConflict('pool')
        .ignore()
        .returning('pool');
      return inserted.length === 1;
    }
    const updated = await this.db('aigw_pool_status')
      .where({ pool: status.pool, generation: previous.generation })
      .update(values);
    return updated === 1;
  }

  async request(
    pool: string,
    what: 'sync' | 'reseed',
    now: Date,
  ): Promise<void> {
    const column =
      what === 'sync' ? 'sync_requested_at' : 'reseed_requested_at';
    const updated = await this.db('aigw_pool_status')
      .where({ pool })
      .update({ [column]: now.toISOString() });
    if (!updated) {
      await this.db('aigw_pool_status').insert({
        pool,
        phase: 'Pending',
        phase_since: now.toISOString(),
        conditions: '[]',
        [column]: now.toISOString(),
        updated_at: now.toISOString(),
      });
    }
  }

  /** Clears requests made up to `upTo` (a request made meanwhile stays). */
  async clearRequests(pool: string, upTo: string): Promise<void> {
    await this.db('aigw_pool_status')
      .where({ pool })
      .where('sync_requested_at', '<=', upTo)
      .update({ sync_requested_at: null });
    await this.db('aigw_pool_status')
      .where({ pool })
      .where('reseed_requested_at', '<=', upTo)
      .update({ reseed_requested_at: null });
  }

  /** After any change to the pool (it may have been deleted and created again). */
  forgetSavedRevision(pool: string): void {
    this.#lastSaved.delete(pool);
  }

  async delete(pool: string): Promise<void> {
    this.#lastSaved.delete(pool);
    await this.db('aigw_pool_status').where({ pool }).delete();
    await this.db('aigw_pool_revisions').where({ pool }).delete();
  }

  /** Keeps a delivered bundle (its objects) for later diffs. */
  async saveRevision(bundle: ManifestBundle, now: Date): Promise<void> {
    // Pulls and heartbeats serve the same revision again and again: skip the
    // serialisation and the round trips when this process saved it last.
    if (this.#lastSaved.get(bundle.pool) === bundle.revision) return;
    const inserted = await this.db('aigw_pool_revisions')
      .insert({
        pool: bundle.pool,
        revision: bundle.revision,
        bundle: JSON.stringify(bundle.objects),
        created_at: now.toISOString(),
      })
      .onConflict(['pool', 'revision'])
      .ignore()
      .returning('revision');
    this.#lastSaved.set(bundle.pool, bundle.revision);
    if (inserted.length === 0) return;
    const old = await this.db('aigw_pool_revisions')
      .where({ pool: bundle.pool })
      .orderBy('created_at', 'desc')
      .offset(KEPT_REVISIONS)
      .select('revision');
    if (old.length) {
      await this.db('aigw_pool_revisions')
        .where({ pool: bundle.pool })
        .whereIn(
          'revision',
          old.map(r => r.revision),
        )
        .delete();
    }
  }

  async getRevision(
    pool: string,
    revision: string,
  ): Promise<unknown[] | undefined> {
    const row = await this.db('aigw_pool_revisions')
      .where({ pool, revision })
      .first('bundle');
    return row ? JSON.parse(row.bundle) : undefined;
  }
}
