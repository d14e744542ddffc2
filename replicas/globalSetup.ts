import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outputDir, repoRoot, stateFile } from './harness/paths';
import { cleanUpRun, preparePostgres } from './harness/postgres';
import { killLeftovers } from './harness/processes';

/**
 * Cleans up after an interrupted earlier run (Ctrl-C or a killed Jest has no
 * teardown), prepares test-output/replicas/ and the PostgreSQL the replicas
 * share, with a fresh database prefix so they start on empty databases.
 */
export default async function globalSetup() {
  const killed = killLeftovers();
  if (killed.length) {
    console.warn(
      `Killed what an earlier run left running: ${killed.join(', ')}`,
    );
  }
  await cleanUpRun();
  // The API server and etcd an interrupted run left (their pid files are there).
  const cluster = path.join(outputDir, 'cluster');
  if (existsSync(cluster))
    execFileSync('bash', [
      path.join(repoRoot, 'scripts/kube.sh'),
      'stop',
      cluster,
    ]);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const state = await preparePostgres(
    `aigw_replicas_${randomBytes(4).toString('hex')}_`,
  );
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}
