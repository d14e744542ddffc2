import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AiGatewayApi } from './api';
import { BackendReplica } from './BackendReplica';
import { LoadBalancer } from './LoadBalancer';
import { outputDir, stateFile, type TierState } from './paths';
import { freePort } from './ports';

/** How the simultaneous start on the empty database went (check 5). */
export type StartupReport = {
  /** Milliseconds from the common start until each replica was ready. */
  readyMs: Record<string, number>;
  /** Replicas that did not come up when started together, and why. */
  failures: Array<{ replica: string; reason: string }>;
  /** Lines logged at level error by each replica during start-up. */
  errorLines: Record<string, string[]>;
};

export type Tier = {
  replicas: BackendReplica[];
  lb: LoadBalancer;
  /** Direct clients of each replica, in `replicas` order, and of the load balancer. */
  direct: AiGatewayApi[];
  api: AiGatewayApi;
  startup: StartupReport;
  replica(name: string): BackendReplica;
  stop(): Promise<void>;
};

/**
 * Starts the load balancer, then replicas `a` and `b` of packages/backend
 * behind it at the same moment on the run's empty PostgreSQL databases.
 * When either fails to start, the failure is recorded (check 5 fails) and
 * both start again one after the other on fresh databases, so the other
 * checks still run.
 */
export async function startTier(): Promise<Tier> {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as TierState;
  const token = randomBytes(24).toString('base64url');
  const ports = { a: await freePort(), b: await freePort() };
  // First, so its URL is the portal's URL in both replicas' config.
  const lb = await LoadBalancer.start(
    Object.entries(ports).map(([name, port]) => ({ name, port })),
    { logFile: path.join(outputDir, 'load-balancer.log') },
  );
  const replicas = Object.entries(ports).map(
    ([name, port]) =>
      new BackendReplica({
        name,
        port,
        externalUrl: lb.url,
        postgresUrl: state.postgresUrl,
        databasePrefix: state.databasePrefix,
        token,
      }),
  );
  const stopAll = async () => {
    await lb.stop();
    await Promise.all(replicas.map(r => r.stop()));
  };
  const startup: StartupReport = { readyMs: {}, failures: [], errorLines: {} };
  try {
    const started = Date.now();
    replicas.forEach(r => r.start());
    const outcomes = await Promise.allSettled(
      replicas.map(async r => {
        await r.waitUntilReady();
        startup.readyMs[r.name] = Date.now() - started;
      }),
    );
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'rejected') {
        startup.failures.push({
          replica: replicas[i].name,
          reason: String(outcome.reason?.message ?? outcome.reason).slice(
            0,
            3000,
          ),
        });
      }
    }
    if (startup.failures.length) {
      // So the other checks can run: both again, one after the other, on
      // fresh databases (a lone restart on the databases of a failed start
      // was once seen failing on a migration lock still taken).
      await Promise.all(replicas.map(r => r.stop()));
      for (const r of replicas) {
        r.useDatabases(`${state.databasePrefix}staggered_`);
        r.start();
        await r.waitUntilReady();
      }
    }
    for (const r of replicas) startup.errorLines[r.name] = r.errorLines();
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    replicas,
    lb,
    direct: replicas.map(r => new AiGatewayApi(r.url, token, r.name)),
    api: new AiGatewayApi(lb.url, token, 'load balancer'),
    startup,
    replica(name) {
      const found = replicas.find(r => r.name === name);
      if (!found) throw new Error(`no replica ${name}`);
      return found;
    },
    stop: stopAll,
  };
}
