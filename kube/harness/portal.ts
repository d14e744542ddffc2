import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aProject,
  eventually,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  ControlPlaneClient,
  OperatorAgent,
} from '@ai-gateway-backstage/ai-gateway-operator';
import {
  isDesiredRevisionApplied,
  type ManifestBundle,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  objectsOfStage,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tierState } from './cluster';

/** The operator's log, one file per namespace, for a look after a failure. */
function operatorLogger(namespace: string) {
  const file = path.join(
    path.dirname(tierState().kubeconfig),
    '..',
    `operator-${namespace}.log`,
  );
  const write = (level: string) => (message: string) =>
    appendFileSync(file, `${new Date().toISOString()} ${level} ${message}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** The cluster's name in the portal's `kubernetes.clusterLocatorMethods`. */
export const CLUSTER = 'local';

export type Portal = Awaited<ReturnType<typeof startPortal>>;

// Registers its clean-up hooks, so it is created as the test file loads.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The control plane (the real backend plugin on SQLite, started in-process by
 * the test kit) with the tier's API server as cluster `local`, and the
 * project `payments` the pools belong to.
 */
export async function startPortal(
  options: {
    controlPlaneToken?: string;
    /** Where cluster `local` is reached, e.g. a fault proxy (default: the API server itself). */
    cluster?: { url: string; caData?: string; skipTLSVerify?: boolean };
  } = {},
) {
  const { server, caData } = tierState();
  const t = await startAiGatewayTestBackend({
    databases,
    databaseId: 'SQLITE_3',
    config: {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: CLUSTER,
                ...(options.cluster ?? { url: server, caData }),
                // direct delivery acts as this identity; without one, nothing is allowed
                serviceAccountToken: options.controlPlaneToken ?? 'none',
              },
            ],
          },
        ],
      },
    },
  });
  await t
    .api('admin')
    .create('/projects', aProject('payments', 'group:default/team-payments'));
  const port = (t.backend.server.address() as AddressInfo).port;

  const status = async (pool: string) =>
    (await t.api('payments').get(`/pools/${pool}/status`)).body;

  const waitFor = (
    pool: string,
    what: string,
    done: (s: any) => boolean,
  ): Promise<any> =>
    eventually(
      `pool ${pool} ${what} on its desired revision`,
      async () => {
        const s = await status(pool);
        if (s.heartbeat?.runningRevision === s.desiredRevision && done(s))
          return s;
        // The reason, for the timeout's message.
        throw new Error(
          `${s.phase}: ${(s.conditions ?? [])
            .filter((c: { status: string }) => c.status !== 'True')
            .map(
              (c: { type: string; message: string }) =>
                `${c.type}: ${c.message}`,
            )
            .join('; ')}`,
        );
      },
      60_000,
      200,
    );

  return {
    t,
    api: t.api('payments'),
    baseUrl: `http://localhost:${port}/api/ai-gateway`,
    status,
    /**
     * Waits until the newest revision is applied (condition Applied True,
     * running the desired revision). Without controllers no workload ever
     * becomes ready, so an applied pool is not Active until a test writes
     * the objects' status.
     */
    waitForApplied: (pool: string) =>
      waitFor(pool, 'applied', isDesiredRevisionApplied),
    /** Waits until the pool is Active on its newest revision. */
    waitForActive: (pool: string) =>
      waitFor(pool, 'Active', s => s.phase === 'Active'),
    async bundle(pool: string): Promise<ManifestBundle> {
      const response = await t.api('payments').get(`/pools/${pool}/manifests`);
      if (response.status !== 200)
        throw new Error(
          `manifests of ${pool}: ${JSON.stringify(response.body)}`,
        );
      return response.body;
    },
    async stage(pool: string, stage: 'bootstrap' | 'runtime') {
      return objectsOfStage(await this.bundle(pool), stage) as ManifestObject[];
    },
    /** The real operator, in-process, holding the given cluster identity. */
    operator(
      kubeConfig: KubeConfig,
      namespace: string,
      enrollmentToken: string,
    ) {
      return new OperatorAgent({
        controlPlane: new ControlPlaneClient({
          baseUrl: `http://localhost:${port}/api/ai-gateway`,
          token: enrollmentToken,
        }),
        kubeConfig,
        namespace,
        pollSeconds: 2,
        backoffMs: 100,
        logger: operatorLogger(namespace),
      });
    },
    stop: () => t.backend.stop(),
  };
}
