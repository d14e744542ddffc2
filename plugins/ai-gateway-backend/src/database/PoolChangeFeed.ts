import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** PostgreSQL channel of pool changes; payload `{"o":origin,"p":[pools]}`. */
const CHANNEL = 'aigw_pool_changes';
/** NOTIFY payloads must stay under 8,000 bytes; pool names are at most 63. */
const POOLS_PER_NOTIFY = 100;
const KEEPALIVE_MS = 30_000;
const RECONNECT_DELAYS_MS = [250, 1_000, 2_000, 5_000];

/**
 * Pools changed on some replica: their names, or `'all'` when notifications
 * may have been missed (the feed reconnected) and anything may have changed.
 */
export type PoolChanges = string[] | 'all';

/**
 * Tells every backend replica which pools changed, so each can drop what it
 * rendered for them and wake the operators long-polling it. The replica that
 * made a change has already reacted in-process; it publishes for the others.
 */
export interface PoolChangeFeed {
  publish(pools: string[]): Promise<void>;
  /** `listener` hears changes made on other replicas. */
  subscribe(listener: (changes: PoolChanges) => void): void;
  stop(): Promise<void>;
}

/** One process is the whole cluster (SQLite): nobody else to tell. */
export class LocalPoolChangeFeed implements PoolChangeFeed {
  async publish(): Promise<void> {}
  subscribe(): void {}
  async stop(): Promise<void> {}
}

type RawConnection = {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): void;
  removeAllListeners(): void;
};

/**
 * Pool changes over PostgreSQL LISTEN/NOTIFY: every replica holds one
 * listening connection; a notification reaches all of them within
 * milliseconds of the publishing transaction.
 */
export class PostgresPoolChangeFeed implements PoolChangeFeed {
  readonly #origin = randomUUID();
  readonly #listeners: Array<(changes: PoolChanges) => void> = [];
  #connection?: RawConnection;
  #keepalive?: NodeJS.Timeout;
  #stopped = false;
  #connecting?: Promise<void>;

  private constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
  ) {}

  /** Holds its listening connection from the start. */
  static async connect(db: Knex, logger: LoggerService) {
    const feed = new PostgresPoolChangeFeed(db, logger);
    await feed.#connect();
    return feed;
  }

  async publish(pools: string[]): Promise<void> {
    const unique = [...new Set(pools)];
    for (let i = 0; i < unique.length; i += POOLS_PER_NOTIFY) {
      const payload = JSON.stringify({
        o: this.#origin,
        p: unique.slice(i, i + POOLS_PER_NOTIFY),
      });
      await this.db.raw('select pg_notify(?, ?)', [CHANNEL, payload]);
    }
  }

  subscribe(listener: (changes: PoolChanges) => void): void {
    this.#listeners.push(listener);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#connecting?.catch(() => undefined);
    this.#drop();
  }

  #emit(changes: PoolChanges) {
    for (const listener of this.#listeners) {
      try {
        listener(changes);
      } catch (error) {
        this.logger.warn('A pool change listener failed', error as Error);
      }
    }
  }

  #onNotification(payload: string | undefined) {
    try {
      const message = JSON.parse(payload ?? '') as { o: string; p: string[] };
      if (message.o === this.#origin || !Array.isArray(message.p)) return;
      this.#emit(message.p.filter(p => typeof p === 'string'));
    } catch (error) {
      this.logger.warn(
        'Ignored a malformed pool change notification',
        error as Error,
      );
    }
  }

  #connect(): Promise<void> {
    this.#connecting = (async () => {
      const client = this.db.client as {
        acquireRawConnection(): Promise<RawConnection>;
      };
      const connection = await client.acquireRawConnection();
      try {
        connection.on('notification', (event: { payload?: string }) =>
          this.#onNotification(event.payload),
        );
        connection.on('error', error => this.#lost(error));
        connection.on('end', () => this.#lost(new Error('connection ended')));
        await connection.query(`LISTEN ${CHANNEL}`);
      } catch (error) {
        this.#destroy(connection);
        throw error;
      }
      this.#connection = connection;
      this.#keepalive = setInterval(() => {
        connection.query('select 1').catch(error => this.#lost(error as Error));
      }, KEEPALIVE_MS);
      this.#keepalive.unref();
    })();
    return this.#connecting;
  }

  /** The listening connection failed: reconnect, and assume anything changed meanwhile. */
  #lost(error: Error) {
    if (this.#stopped || !this.#connection) return;
    this.logger.warn(
      'Pool change feed lost its connection; reconnecting',
      error,
    );
    this.#drop();
    void this.#reconnect();
  }

  async #reconnect() {
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        await this.#connect();
        this.#emit('all');
        return;
      } catch (error) {
        const delay =
          RECONNECT_DELAYS_MS[
            Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)
          ];
        this.logger.warn(
          `Pool change feed could not reconnect; retrying in ${delay} ms`,
          error as Error,
        );
        await new Promise(resolve => setTimeout(resolve, delay));
      }
    }
  }

  #drop() {
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) this.#destroy(connection);
  }

  #destroy(connection: RawConnection) {
    connection.removeAllListeners();
    // A dead connection may still emit 'error' while it is torn down.
    connection.on('error', () => undefined);
    (this.db.client as any)
      .destroyRawConnection(connection)
      .catch((error: Error) =>
        this.logger.warn(
          'Could not close the pool change feed connection',
          error,
        ),
      );
  }
}

/** The PostgreSQL feed when the plugin's database is PostgreSQL, else the local one. */
export async function createPoolChangeFeed(options: {
  database: DatabaseService;
  logger: LoggerService;
}): Promise<PoolChangeFeed> {
  const db = await options.database.getClient();
  return db.client.config.client === 'pg'
    ? PostgresPoolChangeFeed.connect(db, options.logger)
    : new LocalPoolChangeFeed();
}
