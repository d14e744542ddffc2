import { ConfigSources } from '@backstage/config-loader';
import knexFactory from 'knex';

/** The advisory lock replicas of this backend take while they start (any constant, ours). */
const STARTUP_LOCK = 0x616967772d7374n; // "aigw-st"

/**
 * Runs `start` holding a PostgreSQL advisory lock, so replicas started at the
 * same moment on one database take turns. Backstage's plugins run their
 * migrations while they start, and knex fails a migration that finds its
 * lock taken ("Migration table is already locked") instead of waiting. On
 * SQLite (one process) it just runs `start`.
 */
export async function withStartupLock<T>(start: () => Promise<T>): Promise<T> {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({ argv: process.argv, env: process.env }),
  );
  const database = config.getOptionalConfig('backend.database');
  const connection = database?.getOptional<string | object>('connection');
  config.close();
  if (database?.getOptionalString('client') !== 'pg' || !connection) {
    return start();
  }
  // One connection: the session holds the lock until it is closed.
  const db = knexFactory({
    client: 'pg',
    connection:
      typeof connection === 'string'
        ? connection
        : { database: 'postgres', ...connection },
    pool: { min: 1, max: 1 },
  });
  try {
    await db.raw('select pg_advisory_lock(?)', [STARTUP_LOCK.toString()]);
    return await start();
  } finally {
    // Closing the session releases the lock.
    await db.destroy().catch(() => undefined);
  }
}
