import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, tierState } from './harness/cluster';

/** Stops this run's API server and etcd; their logs stay in test-output/kube/run-<pid>/. */
export default async function globalTeardown() {
  if (process.env.AIGW_KUBE_KEEP === '1') return;
  execFileSync('bash', [
    path.join(repoRoot, 'scripts/kube.sh'),
    'stop',
    tierState().dir,
  ]);
}
