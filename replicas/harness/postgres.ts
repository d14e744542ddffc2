import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { freePort } from './ports';
import { repoRoot, stateFile, type TierState } from './paths';

const postgresScript = path.join(repoRoot, 'scripts', 'postgres.sh');
const ownServer = (port: number) => ({
  ...process.env,
  AIGW_PG_PORT: String(port),
  AIGW_PG_DIR: `/tmp/aigw-pg-replicas-${port}`,
});

/**
 * The PostgreSQL of a run: the one scripts/test-all.sh started
 * (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), else a throw-away
 * one from scripts/postgres.sh on a free port. Written to the state file.
 */
export async function preparePostgres(databasePrefix: string) {
  let postgresUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  let postgresStartedOnPort: number | undefined;
  if (!postgresUrl) {
    postgresStartedOnPort = await freePort();
    postgresUrl = execFileSync('bash', [postgresScript, 'start'], {
      env: ownServer(postgresStartedOnPort),
      encoding: 'utf8',
    }).trim();
  }
  const state: TierState = {
    postgresUrl,
    postgresStartedOnPort,
    databasePrefix,
  };
  return state;
}

/**
 * Undoes what the run in the state file set up: stops its own PostgreSQL,
 * or drops its databases on the shared one (unless
 * AIGW_REPLICAS_KEEP_DATABASES=1). Also called at the start of a run, for
 * a run that was interrupted before its teardown.
 */
export async function cleanUpRun(): Promise<void> {
  if (!existsSync(stateFile)) return;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as TierState;
  rmSync(stateFile, { force: true });
  if (state.postgresStartedOnPort) {
    execFileSync('bash', [postgresScript, 'stop'], {
      env: ownServer(state.postgresStartedOnPort),
      stdio: 'ignore',
    });
    return;
  }
  if (process.env.AIGW_REPLICAS_KEEP_DATABASES === '1') {
    console.log(`Kept the databases ${state.databasePrefix}*`);
    return;
  }
  const admin = knexFactory({
    client: 'pg',
    connection: { connectionString: state.postgresUrl, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  try {
    const rows: Array<{ datname: string }> = await admin('pg_database')
      .select('datname')
      .whereLike('datname', `${state.databasePrefix}%`);
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } catch (error) {
    console.warn(`Could not drop the replicas' databases: ${error}`);
  } finally {
    await admin.destroy();
  }
}
