import type { Knex } from 'knex';
import type { McpContract, McpRiskClass } from '../contracts/contract';

/** How many contracts are kept per server (the newest). */
const KEPT_SNAPSHOTS = 50;

const TABLE = 'aigw_mcp_contract_snapshots';

/** A contract as seen, with when it was seen and how the last check went. */
export type ContractSnapshot = {
  server: string;
  seq: number;
  /** Undefined while no check of the server has succeeded. */
  hash?: string;
  contract?: McpContract;
  riskClass?: McpRiskClass;
  /** When this contract was first seen. */
  observedAt: string;
  /** When the server was last checked (newest snapshot only). */
  lastCheckedAt: string;
  /** What the last check failed with (newest snapshot only). */
  error?: string;
};

/** What recording a check changed. */
export type RecordedCheck = {
  snapshot: ContractSnapshot;
  /** True when this call stored a contract not seen before (a drift, or the first one). */
  changed: boolean;
  /** The contract before a change; undefined for the first one. */
  previous?: ContractSnapshot;
};

type Row = {
  server: string;
  seq: number | string;
  hash: string | null;
  contract: string | null;
  risk_class: string | null;
  observed_at: number | string;
  last_checked_at: number | string;
  error: string | null;
};

function toSnapshot(row: Row, withContract = true): ContractSnapshot {
  return {
    server: row.server,
    seq: Number(row.seq),
    ...(row.hash ? { hash: row.hash } : {}),
    ...(withContract && row.contract
      ? { contract: JSON.parse(row.contract) as McpContract }
      : {}),
    ...(row.risk_class ? { riskClass: row.risk_class as McpRiskClass } : {}),
    observedAt: new Date(Number(row.observed_at)).toISOString(),
    lastCheckedAt: new Date(Number(row.last_checked_at)).toISOString(),
    ...(row.error ? { error: row.error } : {}),
  };
}

/**
 * MCP server contract snapshots on knex. A new row only when the hash
 * changes; every write is a compare-and-set on the newest row, so replicas
 * checking the same server at once record a change once.
 */
export class McpContractStore {
  constructor(private readonly db: Knex) {}

  /** The newest snapshot of a server. */
  async latest(server: string): Promise<ContractSnapshot | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ server })
      .orderBy('seq', 'desc')
      .first();
    return row ? toSnapshot(row) : undefined;
  }

  /** Snapshots newest first; contracts only of the first `withContracts`. */
  async history(
    server: string,
    options: { limit: number; withContracts?: number },
  ): Promise<ContractSnapshot[]> {
    const rows = await this.db<Row>(TABLE)
      .where({ server })
      .whereNotNull('hash')
      .orderBy('seq', 'desc')
      .limit(options.limit);
    return rows.map((row, i) =>
      toSnapshot(row, i < (options.withContracts ?? 0)),
    );
  }

  /** Records a successful check. */
  async recordContract(
    server: string,
    seen: { hash: string; contract: McpContract; riskClass: McpRiskClass },
    now: Date,
  ): Promise<RecordedCheck> {
    const at = now.getTime();
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.latestRow(server);
      if (latest?.hash === seen.hash) {
        await this.db(TABLE)
          .where({ server, seq: latest.seq })
          .update({ last_checked_at: at, error: null });
        return {
          snapshot: toSnapshot({ ...latest, last_checked_at: at, error: null }),
          changed: false,
        };
      }
      const values = {
        hash: seen.hash,
        contract: JSON.stringify(seen.contract),
        risk_class: seen.riskClass,
        observed_at: at,
        last_checked_at: at,
        error: null,
      };
      if (latest && latest.hash === null) {
        // Only failed checks so far: the first contract takes their row.
        const updated = await this.db(TABLE)
          .where({ server, seq: latest.seq })
          .whereNull('hash')
          .update(values);
        if (updated === 1) {
          return {
            snapshot: toSnapshot({ ...latest, ...values }),
            changed: true,
          };
        }
        continue;
      }
      const seq = Number(latest?.seq ?? 0) + 1;
      const inserted = await this.db(TABLE)
        .insert({ server, seq, ...values })
        .onConflict(['server', 'seq'])
        .ignore()
        .returning('seq');
      if (inserted.length !== 1) continue; // another replica recorded first
      await this.db(TABLE)
        .where({ server })
        .where('seq', '<=', seq - KEPT_SNAPSHOTS)
        .delete();
      return {
        snapshot: toSnapshot({ server, seq, ...values }),
        changed: true,
        ...(latest ? { previous: toSnapshot(latest) } : {}),
      };
    }
    throw new Error(
      `Could not record the contract of MCP server '${server}': too many concurrent checks`,
    );
  }

  /** Records a failed check; the contract seen last stays. */
  async recordError(
    server: string,
    error: string,
    now: Date,
  ): Promise<ContractSnapshot> {
    const at = now.getTime();
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.latestRow(server);
      if (latest) {
        await this.db(TABLE)
          .where({ server, seq: latest.seq })
          .update({ last_checked_at: at, error });
        return toSnapshot({ ...latest, last_checked_at: at, error });
      }
      const row = {
        server,
        seq: 1,
        hash: null,
        contract: null,
        risk_class: null,
        observed_at: at,
        last_checked_at: at,
        error,
      };
      const inserted = await this.db(TABLE)
        .insert(row)
        .onConflict(['server', 'seq'])
        .ignore()
        .returning('seq');
      if (inserted.length === 1) return toSnapshot(row);
    }
    throw new Error(
      `Could not record the check of MCP server '${server}': too many concurrent checks`,
    );
  }

  /**
   * Every MCP server with its pool and the risk class of the newest contract
   * seen (undefined while none has been read): one query for the fleet.
   */
  async riskByServer(): Promise<
    Array<{ server: string; pool: string; riskClass?: McpRiskClass }>
  > {
    const newest = this.db(TABLE)
      .select('server')
      .max('seq as seq')
      .whereNotNull('hash')
      .groupBy('server')
      .as('newest');
    const rows = await this.db('aigw_mcp_servers as s')
      .leftJoin(newest, 'newest.server', 's.name')
      .leftJoin(`${TABLE} as c`, join =>
        join
          .on('c.server', '=', 'newest.server')
          .andOn('c.seq', '=', 'newest.seq'),
      )
      .select('s.name as server', 's.pool as pool', 'c.risk_class as risk');
    return rows.map(
      (r: { server: string; pool: string; risk: string | null }) => ({
        server: r.server,
        pool: r.pool,
        ...(r.risk ? { riskClass: r.risk as McpRiskClass } : {}),
      }),
    );
  }

  /** Forgets the snapshots of MCP servers that no longer exist. */
  async deleteOrphans(): Promise<number> {
    return this.db(TABLE)
      .whereNotIn('server', this.db('aigw_mcp_servers').select('name'))
      .delete();
  }

  private async latestRow(server: string): Promise<Row | undefined> {
    return this.db<Row>(TABLE).where({ server }).orderBy('seq', 'desc').first();
  }
}
