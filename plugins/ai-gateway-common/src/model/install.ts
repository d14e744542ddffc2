import type { ManifestBundle, ManifestObject } from './api';
import type { Pool } from './pool';

/**
 * The label that tells a pool's bootstrap objects (applied once by whoever
 * installs the pool) from its runtime objects (applied by the operator).
 *
 * @public
 */
export const POOL_STAGE_LABEL = 'ai-gateway.backstage.io/stage';

/**
 * The objects the installer applies before the operator can run (agent and
 * gitops pools): ServiceAccount, Roles, the token Secret, the operator.
 *
 * @public
 */
export function bootstrapObjects(
  bundle: Pick<ManifestBundle, 'objects'>,
): ManifestObject[] {
  return bundle.objects.filter(
    o => o.metadata.labels?.[POOL_STAGE_LABEL] === 'bootstrap',
  );
}

/**
 * What the agent install commands name, read from the bootstrap itself.
 *
 * @public
 */
export type BootstrapNames = {
  /** The operator's Deployment. */
  deployment?: string;
  /** The Secret the enrollment token goes in (key `token`). */
  tokenSecret?: string;
};

/** @public */
export function bootstrapNames(objects: ManifestObject[]): BootstrapNames {
  return {
    deployment: objects.find(o => o.kind === 'Deployment')?.metadata.name,
    tokenSecret: objects.find(o => o.kind === 'Secret')?.metadata.name,
  };
}

/**
 * The file name of a pool's bootstrap download (the Install tab's, and what the
 * install task tells a person to apply).
 *
 * @public
 */
export const bootstrapFileName = (pool: string) => `${pool}-bootstrap.yaml`;

/**
 * The file name of a gitops pool's folder download.
 *
 * @public
 */
export const gitopsArchiveName = (pool: string) => `${pool}-gitops.zip`;

/**
 * Where a gitops pool's folder goes in its repository (the install action's
 * default target too).
 *
 * @public
 */
export function gitopsFolder(pool: Pick<Pool, 'name' | 'delivery'>): string {
  const path = pool.delivery.mode === 'gitops' ? pool.delivery.path : undefined;
  return (path ?? `clusters/${pool.name}`).replace(/\/+$/, '');
}

/**
 * The commands that give a running bootstrap its enrollment token and wait
 * for the operator. The token is read from an environment variable, so it
 * never lands in a page, a task log or the shell history.
 *
 * @public
 */
export function tokenCommands(
  pool: Pick<Pool, 'namespace'>,
  names: BootstrapNames,
): string[] {
  const ns = pool.namespace;
  const commands: string[] = [];
  if (names.tokenSecret) {
    commands.push(
      `kubectl -n ${ns} patch secret ${names.tokenSecret} --type merge -p "{\\"stringData\\":{\\"token\\":\\"$AIGW_ENROLLMENT_TOKEN\\"}}"`,
    );
  }
  if (names.deployment) {
    commands.push(`kubectl -n ${ns} rollout status deploy/${names.deployment}`);
  }
  return commands;
}

/**
 * The commands that install a pool's operator from its bootstrap file: the
 * namespace, the bootstrap objects, then the token and the wait.
 *
 * @public
 */
export function agentInstallCommands(
  pool: Pick<Pool, 'name' | 'namespace'>,
  names: BootstrapNames,
): string[] {
  return [
    `kubectl create namespace ${pool.namespace} --dry-run=client -o yaml | kubectl apply -f -`,
    `kubectl apply -f ${bootstrapFileName(pool.name)}`,
    ...tokenCommands(pool, names),
  ];
}

/**
 * The command that commits a downloaded GitOps folder to the repository
 * Argo CD or Flux syncs.
 *
 * @public
 */
export function gitopsCommitCommand(
  pool: Pick<Pool, 'name' | 'delivery'>,
): string {
  const folder = gitopsFolder(pool);
  return `unzip ${gitopsArchiveName(
    pool.name,
  )} && git add ${folder} && git commit -m "AI gateway pool ${
    pool.name
  }" && git push`;
}
