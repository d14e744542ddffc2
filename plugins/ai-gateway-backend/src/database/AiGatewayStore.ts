import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { ResourceKind } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { Knex } from 'knex';
import type { AiGatewayAccessQuery } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { BudgetStore } from './BudgetStore';
import { LeaseStore } from './LeaseStore';
import { McpContractStore } from './McpContractStore';
import { PoolStatusStore } from './PoolStatusStore';
import { isRetryable, storeError, type WriteContext } from './storeErrors';
import { kindTables } from './tables';

const migrationsDir = resolvePackagePath(
  '@ai-gateway-backstage/plugin-ai-gateway-backend',
  'migrations',
);

/**
 * Runs the migrations. Replicas starting together race for knex's migration
 * lock; the losers wait for the winner instead of failing their start-up.
 */
async function migrateLatest(client: Knex): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.migrate.latest({
        directory: migrationsDir,
        tableName: 'aigw_knex_migrations',
      });
      return;
    } catch (error) {
      // Also the race to create knex's own bookkeeping tables.
      const raced =
        /already locked|already exists|pg_type_typname_nsp_index/i.test(
          String(error),
        );
      if (!raced || attempt >= 120) throw error;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}

/** An object as stored: the validated spec plus bookkeeping. */
export type StoredObject<T = unknown> = {
  kind: ResourceKind;
  name: string;
  /** The project the object lives in (a project's own name for projects). */
  project: string;
  /** The pool the object lives in, for kinds that live in a pool. */
  pool?: string;
  /** An MCP server's path prefix. */
  prefix?: string;
  version: number;
  /** The validated object; parsed from `specJson` on first access. */
  readonly spec: T;
  /** The object as stored (JSON text), so lists can be served without a parse. */
  specJson: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** One entry of an object's event log. */
export type StoredEvent = {
  id: number;
  kind: ResourceKind;
  name: string;
  project?: string;
  action: string;
  actor: string;
  version?: number;
  at: string;
  /** RFC 6902 JSON patch from the previous version to this one. */
  changes?: unknown;
  message?: string;
};

export type ListOptions = {
  /** Column filters, already mapped from query parameters. */
  filters?: Record<string, string>;
  /** Keyset pagination: return names after this one. */
  after?: string;
  limit: number;
  /** Permission conditions to apply in SQL; undefined = everything. */
  access?: PermissionCriteria<AiGatewayAccessQuery>;
};

/** The largest version the `version` column holds (a 32-bit integer). */
const MAX_VERSION = 2_147_483_647;
/** How often a transaction that lost a deadlock or serialization race is run again. */
const TRANSACTION_ATTEMPTS = 3;

export type UpdateResult<T> =
  | { outcome: 'updated'; object: StoredObject<T> }
  | { outcome: 'missing' }
  | { outcome: 'conflict'; currentVersion: number };

/**
 * The control plane's persistence on knex (SQLite or PostgreSQL). It knows
 * tables and SQL, not rules: validation, integrity and permissions live in
 * the services that call it. What the database refuses (a constraint, a
 * value a column cannot hold) leaves the store as the API's answer (409, 422
 * or 400, see storeErrors.ts), never as a driver error.
 */
export class AiGatewayStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<AiGatewayStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateLatest(client);
    }
    if (client.client.config.client === 'better-sqlite3') {
      // SQLite (the embedded default): write-ahead logging lets readers run
      // during writes and commits append instead of rewriting pages; with WAL,
      // synchronous=NORMAL stays consistent after a crash of the process.
      await client.raw('PRAGMA journal_mode = WAL');
      await client.raw('PRAGMA synchronous = NORMAL');
    }
    return new AiGatewayStore(client);
  }

  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The delivery state of pools, in the same database. */
  poolStatus(): PoolStatusStore {
    return new PoolStatusStore(this.db as Knex);
  }

  /** Leases for work that must run once across backend replicas. */
  leases(): LeaseStore {
    return new LeaseStore(this.db as Knex);
  }

  /** Budgets and their state per window, in the same database. */
  budgets(): BudgetStore {
    return new BudgetStore(this.db as Knex);
  }

  /** Snapshots of MCP servers' live contracts, in the same database. */
  mcpContracts(): McpContractStore {
    return new McpContractStore(this.db as Knex);
  }

  private get inTransaction(): boolean {
    return Boolean((this.db as Knex.Transaction).isTransaction);
  }

  /**
   * Runs `fn` in one transaction; everything it does commits or none of it.
   * A transaction that loses a deadlock or serialization race (PostgreSQL
   * picks one of two) runs again, so that `fn` must not have effects
   * outside the store.
   */
  async transaction<T>(fn: (store: AiGatewayStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      return fn(this);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.db as Knex).transaction(trx =>
          fn(new AiGatewayStore(trx)),
        );
      } catch (error) {
        if (isRetryable(error) && attempt < TRANSACTION_ATTEMPTS) continue;
        throw storeError(error);
      }
    }
  }

  /**
   * Runs one statement; a database error becomes the API's answer, except a
   * lost race inside a transaction, which `transaction` runs again.
   */
  private async run<R>(
    statement: () => PromiseLike<R>,
    context?: WriteContext,
  ): Promise<R> {
    try {
      return await statement();
    } catch (error) {
      if (this.inTransaction && isRetryable(error)) throw error;
      throw storeError(error, context);
    }
  }

  async get<T>(
    kind: ResourceKind,
    name: string,
  ): Promise<StoredObject<T> | undefined> {
    const row = await this.run(() =>
      this.db(kindTables[kind].table).where({ name }).first(),
    );
    return row ? toObject<T>(kind, row) : undefined;
  }

  /**
   * Locks an object's row until the transaction ends (PostgreSQL; SQLite runs
   * one write transaction at a time anyway). A delete takes it first, so
   * creates that reference the object wait for the delete instead of slipping
   * in dependents between its check and its commit.
   */
  async lock(kind: ResourceKind, name: string): Promise<void> {
    if (this.db.client.config.client !== 'pg') return;
    await this.run(() =>
      this.db(kindTables[kind].table).where({ name }).forUpdate().first('name'),
    );
  }

  async getMany<T>(
    kind: ResourceKind,
    names: string[],
  ): Promise<StoredObject<T>[]> {
    if (names.length === 0) return [];
    const rows = await this.run(() =>
      this.db(kindTables[kind].table).whereIn('name', names),
    );
    return rows.map((r: any) => toObject<T>(kind, r));
  }

  async list<T>(
    kind: ResourceKind,
    options: ListOptions,
  ): Promise<{ items: StoredObject<T>[]; hasMore: boolean }> {
    const { table } = kindTables[kind];
    const query = this.db(table)
      .where(options.filters ?? {})
      .orderBy('name', 'asc')
      .limit(options.limit + 1);
    if (options.after) {
      query.where('name', '>', options.after);
    }
    if (options.access) {
      const access = options.access;
      query.where(qb => this.applyAccess(qb, kind, access));
    }
    const rows: any[] = await this.run(() => query);
    const hasMore = rows.length > options.limit;
    return {
      items: rows.slice(0, options.limit).map(r => toObject<T>(kind, r)),
      hasMore,
    };
  }

  /** How many objects of `kind` each pool holds. */
  async countByPool(
    kind: 'mcpServer' | 'aiBackend' | 'policy',
  ): Promise<Map<string, number>> {
    const rows = await this.run(() =>
      this.db(kindTables[kind].table)
        .select('pool')
        .count({ n: '*' })
        .groupBy('pool'),
    );
    return new Map(rows.map((r: any) => [r.pool as string, Number(r.n)]));
  }

  /**
   * Name, project and pool of every object of `kind`, without their specs
   * (what budgets need to know which pools they cover).
   */
  async placements(
    kind: 'mcpServer' | 'aiBackend',
  ): Promise<Array<{ name: string; project: string; pool: string }>> {
    const rows = await this.run(() =>
      this.db(kindTables[kind].table).select('name', 'project', 'pool'),
    );
    return rows.map((r: any) => ({
      name: r.name as string,
      project: r.project as string,
      pool: r.pool as string,
    }));
  }

  /** Every project's owner group, by project name. */
  async projectOwners(): Promise<Map<string, string>> {
    const rows = await this.run(() =>
      this.db(kindTables.project.table).select('name', 'owner'),
    );
    return new Map(rows.map((r: any) => [r.name as string, r.owner as string]));
  }

  async count(
    kind: ResourceKind,
    filters: Record<string, string>,
  ): Promise<number> {
    const [{ n }] = await this.run(() =>
      this.db(kindTables[kind].table).where(filters).count({ n: '*' }),
    );
    return Number(n);
  }

  async insert<T>(
    kind: ResourceKind,
    spec: T & { name: string },
    actor: string,
    now: Date,
  ): Promise<StoredObject<T>> {
    const { table, columns } = kindTables[kind];
    const row = {
      name: spec.name,
      ...columns(spec),
      version: 1,
      spec: JSON.stringify(spec),
      created_by: actor,
      updated_by: actor,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.run(() => this.db(table).insert(row), {
      kind,
      operation: 'insert',
      name: spec.name,
      columns: columns(spec),
    });
    return toObject<T>(kind, row);
  }

  /**
   * Compare-and-set on the version: a stale version changes nothing. A
   * version no row can have (not a whole number, beyond the column) is
   * stale without asking the database.
   */
  async update<T>(
    kind: ResourceKind,
    spec: T & { name: string },
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<UpdateResult<T>> {
    const { table, columns } = kindTables[kind];
    const possible =
      Number.isSafeInteger(expectedVersion) &&
      expectedVersion >= 1 &&
      expectedVersion < MAX_VERSION;
    const changed = possible
      ? await this.run(
          () =>
            this.db(table)
              .where({ name: spec.name, version: expectedVersion })
              .update({
                ...columns(spec),
                version: expectedVersion + 1,
                spec: JSON.stringify(spec),
                updated_by: actor,
                updated_at: now.toISOString(),
              }),
          {
            kind,
            operation: 'update',
            name: spec.name,
            columns: columns(spec),
          },
        )
      : 0;
    if (changed === 1) {
      const object = await this.get<T>(kind, spec.name);
      return { outcome: 'updated', object: object! };
    }
    const current = await this.run(() =>
      this.db(table).where({ name: spec.name }).first('version'),
    );
    return current
      ? { outcome: 'conflict', currentVersion: Number(current.version) }
      : { outcome: 'missing' };
  }

  async delete(kind: ResourceKind, name: string): Promise<boolean> {
    const n = await this.run(
      () => this.db(kindTables[kind].table).where({ name }).delete(),
      { kind, operation: 'delete', name },
    );
    return n > 0;
  }

  async setPoolToken(pool: string, tokenHash: string, now: Date) {
    await this.run(() =>
      this.db('aigw_pools')
        .where({ name: pool })
        .update({ token_hash: tokenHash, token_issued_at: now.toISOString() }),
    );
  }

  async getPoolTokenHash(pool: string): Promise<string | undefined> {
    const row = await this.run(() =>
      this.db('aigw_pools').where({ name: pool }).first('token_hash'),
    );
    return row?.token_hash ?? undefined;
  }

  async appendEvent(event: Omit<StoredEvent, 'id' | 'at'>, now: Date) {
    await this.run(() =>
      this.db('aigw_events').insert({
        kind: event.kind,
        name: event.name,
        project: event.project ?? null,
        action: event.action,
        actor: event.actor,
        version: event.version ?? null,
        changes:
          event.changes === undefined ? null : JSON.stringify(event.changes),
        message: event.message ?? null,
        at: now.toISOString(),
      }),
    );
  }

  async listEvents(
    kind: ResourceKind,
    name: string,
    options: { limit: number; before?: number },
  ): Promise<{ items: StoredEvent[]; hasMore: boolean }> {
    const query = this.db('aigw_events')
      .where({ kind, name })
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.before !== undefined) {
      query.where('id', '<', options.before);
    }
    const rows: any[] = await this.run(() => query);
    return {
      items: rows.slice(0, options.limit).map(toEvent),
      hasMore: rows.length > options.limit,
    };
  }
  /** Translates permission criteria into SQL over the object's project owner. */
  private applyAccess(
    qb: Knex.QueryBuilder,
    kind: ResourceKind,
    criteria: PermissionCriteria<AiGatewayAccessQuery>,
  ): void {
    const projectColumn = kind === 'project' ? 'name' : 'project';
    if (isAndCriteria(criteria)) {
      for (const c of criteria.allOf) {
        qb.andWhere(q => this.applyAccess(q, kind, c));
      }
    } else if (isOrCriteria(criteria)) {
      for (const c of criteria.anyOf) {
        qb.orWhere(q => this.applyAccess(q, kind, c));
      }
    } else if (isNotCriteria(criteria)) {
      qb.whereNot(q => this.applyAccess(q, kind, criteria.not));
    } else if ('ownerIn' in criteria) {
      if (kind === 'project') {
        qb.whereIn('owner', criteria.ownerIn);
      } else {
        qb.whereIn(
          projectColumn,
          this.db('aigw_projects')
            .select('name')
            .whereIn('owner', criteria.ownerIn),
        );
      }
    } else {
      qb.whereIn(projectColumn, criteria.projectIn);
    }
  }
}

function toIso(value: unknown): string {
  // Written as ISO-8601 UTC; SQLite hands the text back, PostgreSQL a Date.
  if (typeof value === 'string' && value.length === 24 && value.endsWith('Z')) {
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  // SQLite returns what was written; normalise to ISO-8601.
  return new Date(String(value)).toISOString();
}

function toObject<T>(kind: ResourceKind, row: any): StoredObject<T> {
  const specJson: string =
    typeof row.spec === 'string' ? row.spec : JSON.stringify(row.spec);
  let spec: T | undefined;
  return {
    kind,
    name: row.name,
    project: kind === 'project' ? row.name : row.project,
    pool: row.pool ?? undefined,
    prefix: row.prefix ?? undefined,
    version: Number(row.version),
    get spec() {
      spec ??= JSON.parse(specJson) as T;
      return spec;
    },
    specJson,
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

function toEvent(row: any): StoredEvent {
  return {
    id: Number(row.id),
    kind: row.kind,
    name: row.name,
    project: row.project ?? undefined,
    action: row.action,
    actor: row.actor,
    version: row.version === null ? undefined : Number(row.version),
    at: toIso(row.at),
    changes: row.changes ? JSON.parse(row.changes) : undefined,
    message: row.message ?? undefined,
  };
}
