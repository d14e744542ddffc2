import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  ManifestBundle,
  Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  type ClusterConnector,
  KubernetesApplier,
  type ManifestObject,
  objectsOfStage,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AiGatewayClient } from '../AiGatewayClient';
import { describeConditions, waitForPool } from '../waitForPool';

/** The installer's field manager: it alone sets the token's value. */
export const INSTALL_FIELD_MANAGER = 'ai-gateway-install';

/**
 * `ai-gateway:pool:install`: drives the operator for the pool's delivery
 * mode. direct: the control plane applies the bundle, wait until applied.
 * agent: apply the bootstrap (ServiceAccount, Roles, token Secret, operator
 * Deployment) to the cluster, wait for the first heartbeat. gitops: write the
 * bundle into the workspace for the publish:* actions.
 *
 * @public
 */
export function installPoolAction(options: {
  client: AiGatewayClient;
  clusters: ClusterConnector;
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'ai-gateway:pool:install',
    description:
      "Installs a pool by its delivery mode: direct (the control plane applies, waits until its revision is applied), agent (applies the operator's bootstrap, waits for its first heartbeat) or gitops (writes the bundle as a kustomize directory into the workspace).",
    supportsDryRun: true,
    schema: {
      input: {
        pool: z => z.string().describe('The pool name'),
        enrollmentToken: z =>
          z
            .string()
            .optional()
            .describe(
              'agent mode: the token from ai-gateway:pool:create; without it a new one is issued',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .default(600)
            .describe(
              'How long to wait for the apply (direct) / the first heartbeat (agent)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              "gitops mode: the directory in the workspace (default: the pool's delivery.path, else clusters/<pool>)",
            ),
      },
      output: {
        mode: z => z.string().describe('direct, agent or gitops'),
        phase: z => z.string().optional().describe('The pool phase at the end'),
        revision: z => z.string().optional().describe('The bundle revision'),
        path: z =>
          z
            .string()
            .optional()
            .describe('gitops: where the bundle was written'),
      },
    },
    async handler(ctx) {
      const { client } = options;
      const credentials = await ctx.getInitiatorCredentials();
      const name = ctx.input.pool;
      // The scaffolder validates inputs without applying the schema's defaults.
      const { timeoutSeconds = 600 } = ctx.input;
      const pool = (
        await client.call(credentials, (api, o) =>
          api.getPool({ path: { name } }, o),
        )
      ).spec as Pool;
      const mode = pool.delivery.mode;
      ctx.output('mode', mode);
      ctx.logger.info(
        `Installing pool ${pool.name} (${mode} delivery) in cluster ${pool.cluster.name}, namespace ${pool.namespace}`,
      );
      const wait = (what: string, done: Parameters<typeof waitForPool>[2]) =>
        waitForPool(
          {
            client,
            credentials,
            pool: pool.name,
            logger: ctx.logger,
            timeoutSeconds,
            pollMs: options.pollMs,
            signal: ctx.signal,
          },
          what,
          done,
        );

      if (mode === 'gitops') {
        const body = await client.call(credentials, (api, o) =>
          api.getPoolGitops({ path: { name } }, o),
        );
        const target =
          ctx.input.targetPath ??
          (pool.delivery as { path?: string }).path ??
          `clusters/${pool.name}`;
        const dir = path.resolve(ctx.workspacePath, target);
        if (!dir.startsWith(path.resolve(ctx.workspacePath) + path.sep)) {
          throw new Error(`targetPath ${target} is outside the workspace`);
        }
        if (!ctx.isDryRun) {
          await fs.mkdir(dir, { recursive: true });
          for (const [file, content] of Object.entries(
            body.files as Record<string, string>,
          )) {
            await fs.writeFile(path.join(dir, file), content, 'utf8');
          }
        }
        ctx.logger.info(
          `Wrote ${Object.keys(body.files).length} files (revision ${
            body.revision
          }) to ${target}; publish them with a publish:* action`,
        );
        ctx.output('revision', body.revision);
        ctx.output('path', target);
        return;
      }

      const manifests = (await client.call(credentials, (api, o) =>
        api.getPoolManifests({ path: { name }, query: {} }, o),
      )) as ManifestBundle;
      ctx.output('revision', manifests.revision);
      if (ctx.isDryRun) {
        const bootstrap = objectsOfStage(manifests, 'bootstrap');
        ctx.logger.info(
          mode === 'agent'
            ? `Dry run: would apply ${bootstrap
                .map((o: ManifestObject) => `${o.kind}/${o.metadata.name}`)
                .join(', ')} and wait for the operator's first heartbeat`
            : `Dry run: the control plane would apply ${manifests.objects.length} objects (revision ${manifests.revision})`,
        );
        return;
      }

      if (mode === 'direct') {
        const sync = await client.call(credentials, (api, o) =>
          api.syncPool({ path: { name } }, o),
        );
        ctx.logger.info(
          `The control plane applied revision ${manifests.revision}: ${
            sync.result?.phase ?? 'requested'
          }`,
        );
        // Applied is what the install can promise: Active also needs the
        // workloads ready and the Gateway programmed, which is the cluster's
        // doing (and never happens on a cluster without nodes).
        const status = await wait(
          'be applied',
          s =>
            s.heartbeat?.runningRevision === s.desiredRevision &&
            s.conditions.some(c => c.type === 'Applied' && c.status === 'True'),
        );
        ctx.logger.info(
          `Revision ${status.desiredRevision} is applied; the pool is ${status.phase}`,
        );
        if (status.phase !== 'Active')
          ctx.logger.warn(describeConditions(status));
        ctx.output('phase', status.phase);
        return;
      }

      // agent: the bootstrap needs rights the operator's own Role lacks.
      const kubeConfig = options.clusters.kubeConfig(pool.cluster.name);
      if (!kubeConfig) {
        throw new Error(
          `cluster '${
            pool.cluster.name
          }' is not in kubernetes.clusterLocatorMethods (known: ${
            options.clusters.clusters.join(', ') || 'none'
          }); apply the bootstrap manifests yourself (GET /pools/${
            pool.name
          }/manifests) or add the cluster`,
        );
      }
      let token = ctx.input.enrollmentToken;
      if (!token || token.startsWith('<dry run')) {
        token = (
          await client.call(credentials, (api, o) =>
            api.rotatePoolEnrollmentToken({ path: { name } }, o),
          )
        ).enrollmentToken;
        ctx.logger.info('Issued a new enrollment token for the operator');
      }
      const applier = new KubernetesApplier(kubeConfig, {
        namespace: pool.namespace,
      });
      const bootstrap = objectsOfStage(
        manifests,
        'bootstrap',
      ) as ManifestObject[];
      const problems = await applier.preflight(bootstrap);
      if (problems.length)
        throw new Error(
          `Cannot install pool ${pool.name}: ${problems
            .map(p => p.message)
            .join('; ')}`,
        );
      const secret = bootstrap.find(o => o.kind === 'Secret');
      await ctx.checkpoint({
        key: `ai-gateway:pool:install:${pool.name}:bootstrap:${manifests.revision}`,
        fn: async () => {
          const result = await applier.apply(bootstrap);
          if (result.failed.length) {
            throw new Error(
              `Applying the bootstrap failed: ${result.failed
                .map(f => `${f.ref}: ${f.code} ${f.message}`)
                .join('; ')}`,
            );
          }
          ctx.logger.info(
            `Applied the bootstrap: ${result.applied
              .map(a => a.ref)
              .join(', ')}`,
          );
          if (secret) {
            // The token value has its own field manager, so later applies of
            // the bundle (which never carry it) leave it in place.
            const tokenResult = await applier.apply(
              [
                {
                  apiVersion: 'v1',
                  kind: 'Secret',
                  metadata: {
                    name: secret.metadata.name,
                    namespace: pool.namespace,
                  },
                  stringData: { token },
                },
              ],
              { fieldManager: INSTALL_FIELD_MANAGER },
            );
            if (tokenResult.failed.length)
              throw new Error(
                `Setting the enrollment token failed: ${tokenResult.failed[0].message}`,
              );
            ctx.logger.info(
              `Set the enrollment token in Secret ${secret.metadata.name}`,
            );
          }
        },
      });
      ctx.logger.info("Waiting for the operator's first heartbeat");
      const status = await wait(
        'send its first heartbeat',
        s => !!s.heartbeat && s.heartbeat.operatorVersion !== 'control-plane',
      );
      ctx.logger.info(
        `Operator ${status.heartbeat!.operatorVersion} connected; the pool is ${
          status.phase
        }`,
      );
      if (status.phase === 'Degraded')
        ctx.logger.warn(describeConditions(status));
      ctx.output('phase', status.phase);
    },
  });
}
