import {
  createTemplateAction,
  type ActionContext,
} from '@backstage/plugin-scaffolder-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  bootstrapFileName,
  catalogEntityPath,
  CONTROL_PLANE_OPERATOR,
  explainPoolStatus,
  isBeingDelivered,
  isDesiredRevisionApplied,
  gitopsCommitCommand,
  gitopsFolder,
  type InstallOutcome,
  type ManifestBundle,
  type Pool,
  type PoolStatus,
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
import { readPoolStatus, waitForPool } from '../waitForPool';

/** The installer's field manager: it alone sets the token's value. */
export const INSTALL_FIELD_MANAGER = 'ai-gateway-install';

/** The event log keeps messages of at most this many characters. */
const EVENT_MESSAGE_LIMIT = 2000;

/** The pool page's Install tab, where a person installs what the portal could not. */
export function installUrlOf(pool: string): string {
  return catalogEntityPath('pool', pool, 'install')!;
}

/**
 * What a person runs after downloading from the Install tab, when the portal
 * did not install the pool; no secret ever goes into it.
 */
function installCommandOf(pool: Pool): string | undefined {
  switch (pool.delivery.mode) {
    case 'agent':
      return `kubectl apply -f ${bootstrapFileName(pool.name)}`;
    case 'gitops':
      return gitopsCommitCommand(pool);
    default:
      // Direct: the portal itself applies once it can reach the cluster.
      return undefined;
  }
}

/** Messages of the cluster libraries speak of REST paths; the task speaks of pages. */
const inWords = (message: string) =>
  message.replace(
    /\s*\(GET \/pools\/:name\/rbac\/deployer-role\)/g,
    " (on the pool page's Access tab)",
  );

/**
 * `ai-gateway:pool:install`: installs a pool by its delivery mode where the
 * portal can. direct: the control plane applies the bundle, wait until
 * applied. agent: apply the bootstrap (ServiceAccount, Roles, token Secret,
 * operator Deployment) to the cluster, wait for the first heartbeat. gitops:
 * write the bundle into the workspace for the publish:* actions. Where the
 * portal cannot reach the cluster (or the install does not come up), the
 * step still succeeds: it reports the state, the next step and the Install
 * tab, and records the outcome in the pool's event log.
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
      "Installs a pool by its delivery mode: direct (the control plane applies, waits until its revision is applied), agent (applies the operator's bootstrap, waits for its first heartbeat) or gitops (writes the bundle as a kustomize directory into the workspace). When the portal cannot install it (no access to the cluster, gitops, a failed apply), the step ends successfully with installed=false, the state, the next step, the pool's Install tab and the command to run, and records that in the pool's events.",
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
              'How long to wait for the apply (direct) / the first heartbeat (agent); then the step reports what it sees',
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
        installed: z =>
          z
            .boolean()
            .describe(
              'True when the portal installed the pool (direct: applied; agent: the operator connected)',
            ),
        phase: z => z.string().optional().describe('The pool phase at the end'),
        state: z =>
          z
            .string()
            .describe('One paragraph: what was installed, and the pool state'),
        nextStep: z =>
          z
            .string()
            .optional()
            .describe('What to do next; absent when nothing is needed'),
        installUrl: z =>
          z
            .string()
            .describe(
              "The pool page's Install tab (bootstrap download, enrollment token, GitOps folder)",
            ),
        command: z =>
          z
            .string()
            .optional()
            .describe(
              'agent and gitops, when not installed: the command to run after downloading from the Install tab',
            ),
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
      const where = `cluster ${pool.cluster.name}, namespace ${pool.namespace}`;
      ctx.output('mode', mode);
      ctx.output('installUrl', installUrlOf(pool.name));
      ctx.logger.info(
        `Installing pool ${pool.name} (${mode} delivery) in ${where}`,
      );
      const finish = (outcome: InstallOutcome, report: InstallReport) =>
        finishInstall(ctx, { client, credentials, pool, outcome, ...report });
      const wait = (done: (s: PoolStatus) => boolean) =>
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
          done,
        );

      if (mode === 'gitops') {
        const body = await client.call(credentials, (api, o) =>
          api.getPoolGitops({ path: { name } }, o),
        );
        const target = ctx.input.targetPath ?? gitopsFolder(pool);
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
          }) to ${target} in the task's workspace, for a publish:* step`,
        );
        ctx.output('revision', body.revision);
        ctx.output('path', target);
        await finish('awaiting-install', {
          reason:
            'With GitOps delivery the portal does not write to the cluster: Argo CD or Flux applies what is committed to the repository.',
        });
        return;
      }

      const manifests = (await client.call(credentials, (api, o) =>
        api.getPoolManifests({ path: { name }, query: {} }, o),
      )) as ManifestBundle;
      ctx.output('revision', manifests.revision);
      const kubeConfig = options.clusters.kubeConfig(pool.cluster.name);
      const noAccess = `The portal has no access to cluster ${
        pool.cluster.name
      }: it is not in kubernetes.clusterLocatorMethods (known: ${
        options.clusters.clusters.join(', ') || 'none'
      }).`;

      if (ctx.isDryRun) {
        ctx.logger.info(
          mode === 'agent'
            ? `Dry run: would apply ${objectsOfStage(manifests, 'bootstrap')
                .map(o => `${o.kind}/${o.metadata.name}`)
                .join(
                  ', ',
                )} to ${where} and wait for the operator's first heartbeat`
            : `Dry run: the control plane would apply ${manifests.objects.length} objects (revision ${manifests.revision}) to ${where}`,
        );
        await finish('awaiting-install', {
          reason: kubeConfig
            ? 'Dry run: nothing was applied.'
            : `Dry run: nothing was applied. ${noAccess}`,
        });
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
        const applied = isDesiredRevisionApplied;
        const { status, reached } = await wait(
          s => applied(s) || !isBeingDelivered(mode, s),
        );
        if (applied(status)) {
          await finish('installed', {
            status,
            reason: `The control plane applied revision ${status.desiredRevision} to ${where}.`,
          });
        } else if (!kubeConfig) {
          await finish('awaiting-install', { status, reason: noAccess });
        } else {
          await finish('install-failed', {
            status,
            reason: reached
              ? `The control plane could not apply the pool to ${where}.`
              : `The control plane did not apply the pool to ${where} within ${timeoutSeconds} s.`,
          });
        }
        return;
      }

      // agent: the bootstrap needs rights the operator's own Role lacks.
      const bootstrap = objectsOfStage(
        manifests,
        'bootstrap',
      ) as ManifestObject[];
      if (!kubeConfig) {
        await finish('awaiting-install', { reason: noAccess });
        return;
      }
      const cannotApply = await applyBootstrap(ctx, {
        client,
        credentials,
        pool,
        bootstrap,
        revision: manifests.revision,
        applier: new KubernetesApplier(kubeConfig, {
          namespace: pool.namespace,
        }),
      });
      if (cannotApply) {
        await finish('install-failed', {
          reason: `The portal could not apply the bootstrap to ${where}: ${inWords(
            cannotApply,
          )}`,
        });
        return;
      }
      ctx.logger.info("Waiting for the operator's first heartbeat");
      const { status, reached } = await wait(
        s =>
          !!s.heartbeat &&
          s.heartbeat.operatorVersion !== CONTROL_PLANE_OPERATOR,
      );
      if (reached) {
        await finish('installed', {
          status,
          reason: `Operator ${
            status.heartbeat!.operatorVersion
          } runs in ${where} and has connected.`,
        });
      } else {
        await finish('install-failed', {
          status,
          reason: `The portal applied the bootstrap to ${where}, but the operator has not reported within ${timeoutSeconds} s.`,
          nextStep: `Check that the operator pod runs in namespace ${pool.namespace} of cluster ${pool.cluster.name} (kubectl -n ${pool.namespace} get pods) and can reach the portal (aiGateway.controlPlaneUrl); the pool turns from Pending once it reports.`,
        });
      }
    },
  });
}

type Context = ActionContext<any, any>;

/**
 * Applies an agent pool's bootstrap and the enrollment token; the reason it
 * could not, if it could not (the install then ends with instructions).
 */
async function applyBootstrap(
  ctx: Context,
  options: {
    client: AiGatewayClient;
    credentials: BackstageCredentials;
    pool: Pool;
    bootstrap: ManifestObject[];
    revision: string;
    applier: KubernetesApplier;
  },
): Promise<string | undefined> {
  const { client, credentials, pool, bootstrap, applier } = options;
  try {
    const problems = await applier.preflight(bootstrap);
    if (problems.length) return problems.map(p => p.message).join('; ');
    let token: string | undefined = ctx.input.enrollmentToken;
    if (!token || token.startsWith('<dry run')) {
      token = (
        await client.call(credentials, (api, o) =>
          api.rotatePoolEnrollmentToken({ path: { name: pool.name } }, o),
        )
      ).enrollmentToken;
      ctx.logger.info('Issued a new enrollment token for the operator');
    }
    const secret = bootstrap.find(o => o.kind === 'Secret');
    await ctx.checkpoint({
      key: `ai-gateway:pool:install:${pool.name}:bootstrap:${options.revision}`,
      fn: async () => {
        const result = await applier.apply(bootstrap);
        if (result.failed.length) {
          throw new Error(
            result.failed
              .map(f => `${f.ref}: ${f.code} ${f.message}`)
              .join('; '),
          );
        }
        ctx.logger.info(
          `Applied the bootstrap: ${result.applied.map(a => a.ref).join(', ')}`,
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
              `setting the enrollment token in Secret ${secret.metadata.name} failed: ${tokenResult.failed[0].message}`,
            );
          ctx.logger.info(
            `Set the enrollment token in Secret ${secret.metadata.name}`,
          );
        }
      },
    });
    return undefined;
  } catch (error) {
    // Only what the cluster answered: the control plane's refusals fail the step.
    if ((error as { statusCode?: number }).statusCode !== undefined)
      throw error;
    return (error as Error).message;
  }
}

type InstallReport = {
  /** Why the pool is (or is not) installed, in one or two sentences. */
  reason: string;
  /** The status to report; read now when absent. */
  status?: PoolStatus;
  /** Overrides the next step of the pool's phase. */
  nextStep?: string;
};

/**
 * Ends the install: the outputs, a log line per fact, and (outside dry
 * runs) the outcome in the pool's event log.
 */
async function finishInstall(
  ctx: Context,
  options: InstallReport & {
    client: AiGatewayClient;
    credentials: BackstageCredentials;
    pool: Pool;
    outcome: InstallOutcome;
  },
): Promise<void> {
  const { client, credentials, pool, outcome } = options;
  const status =
    options.status ??
    (await readPoolStatus({ client, credentials, pool: pool.name }));
  const guidance = explainPoolStatus(pool, status);
  const installed = outcome === 'installed';
  const state = `${
    installed
      ? `Pool ${pool.name} is installed.`
      : `Pool ${pool.name} is created but not installed.`
  } ${options.reason} Now ${status.phase}: ${guidance.cause}`;
  const nextStep = options.nextStep ?? guidance.nextStep;
  const command = installed ? undefined : installCommandOf(pool);

  if (installed && guidance.served) ctx.logger.info(state);
  else ctx.logger.warn(state);
  if (nextStep) ctx.logger.info(`Next step: ${nextStep}`);
  if (command) {
    ctx.logger.info(
      `After downloading from the pool's Install tab (${installUrlOf(
        pool.name,
      )}), run: ${command}`,
    );
  }
  ctx.output('installed', installed);
  ctx.output('phase', status.phase);
  ctx.output('state', state);
  if (nextStep) ctx.output('nextStep', nextStep);
  if (command) ctx.output('command', command);
  if (ctx.isDryRun) return;

  const message = [state, nextStep && `Next step: ${nextStep}`]
    .filter(Boolean)
    .join(' ');
  try {
    await ctx.checkpoint({
      key: `ai-gateway:pool:install:${pool.name}:report:${outcome}`,
      fn: async () => {
        await client.call(credentials, (api, o) =>
          api.reportPoolInstall(
            {
              path: { name: pool.name },
              body: {
                outcome,
                message:
                  message.length > EVENT_MESSAGE_LIMIT
                    ? `${message.slice(0, EVENT_MESSAGE_LIMIT - 1)}…`
                    : message,
              },
            },
            o,
          ),
        );
      },
    });
    ctx.logger.info(`Recorded the outcome (${outcome}) in the pool's events`);
  } catch (error) {
    // The pool is created and the task's report stands without the entry.
    ctx.logger.warn(
      `Could not record the outcome in the pool's events: ${
        (error as Error).message
      }`,
    );
  }
}
