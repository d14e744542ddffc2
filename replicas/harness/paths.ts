import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** Logs of every replica, the load balancer and the operator; pid files. */
export const outputDir = path.join(repoRoot, 'test-output', 'replicas');
export const pidDir = path.join(outputDir, 'pids');
/** What globalSetup started for globalTeardown (PostgreSQL, database prefix). */
export const stateFile = path.join(outputDir, 'state.json');

export type TierState = {
  /** PostgreSQL connection string the replicas share. */
  postgresUrl: string;
  /** Set when globalSetup started its own PostgreSQL (no test-all.sh server). */
  postgresStartedOnPort?: number;
  /** Databases of this run are named `<prefix><pluginId>`. */
  databasePrefix: string;
};
