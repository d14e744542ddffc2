import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';

/**
 * `backend.database` for a test backend with several plugins on the given
 * database: SQLite in memory (a database per plugin), or a fresh PostgreSQL
 * database from `TestDatabases` with a schema per plugin, since the
 * catalog's and the control plane's migrations would clash in one schema.
 *
 * Call `release` after stopping the backend: the plugins' connection pools
 * outlive a stopped test backend, and `TestDatabases` cannot drop a
 * database that still has connections.
 */
export async function testDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<{
  config: {
    client: string;
    connection: string | Record<string, string | number>;
    pluginDivisionMode?: string;
  };
  release: () => Promise<void>;
}> {
  if (databaseId === 'SQLITE_3') {
    return {
      config: { client: 'better-sqlite3', connection: ':memory:' },
      release: async () => {},
    };
  }
  const knex = await databases.init(databaseId);
  return {
    config: {
      client: knex.client.config.client,
      connection: knex.client.config.connection,
      pluginDivisionMode: 'schema',
    },
    release: async () => {
      await knex.raw(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
    },
  };
}
