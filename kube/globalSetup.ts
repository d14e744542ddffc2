import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outputDir, TierState } from './harness/cluster';
import { startRealApiServer } from './harness/realApiServer';

/**
 * Builds (or takes from its cache) and starts the real API server with the
 * CRDs every bundle needs, for every test file of the run, in a folder of
 * this run's own (test-output/kube/run-<pid>/cluster, logs kept).
 */
export default async function globalSetup() {
  const runDir = path.join(outputDir, `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const dir = path.join(runDir, 'cluster');
  const { kubeconfig, server, caData } = await startRealApiServer(dir);
  const state: TierState = { dir, kubeconfig, server, caData };
  const stateFile = path.join(runDir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  // Test workers start after this and inherit it.
  process.env.AIGW_KUBE_STATE = stateFile;
}
