import type { ResourceKind } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { AiGatewayStore, StoredObject } from '../database/AiGatewayStore';
import { conflict, UnprocessableError, type FieldIssue } from './errors';

/**
 * Referential rules between objects: what an object must refer to, what must
 * be unique beyond its name, and what depends on it. Runs inside the write's
 * transaction so the answer cannot change before the write lands.
 */

type AnySpec = Record<string, any>;

/** 422 when a referenced object is missing or lives elsewhere. */
export async function checkReferences(
  store: AiGatewayStore,
  kind: ResourceKind,
  spec: AnySpec,
  previous?: StoredObject<AnySpec>,
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (kind === 'project') return;

  if (previous && previous.spec.project !== spec.project) {
    issues.push({
      field: 'project',
      message: `an existing ${kind} cannot move to another project (it is in '${previous.spec.project}')`,
    });
  }
  if (previous && kind !== 'pool' && previous.spec.pool !== spec.pool) {
    issues.push({
      field: 'pool',
      message: `an existing ${kind} cannot move to another pool (it is in '${previous.spec.pool}'); create a new one instead`,
    });
  }
  const project = await store.get('project', spec.project);
  if (!project) {
    issues.push({
      field: 'project',
      message: `project '${spec.project}' does not exist`,
    });
  }
  if (kind !== 'pool') {
    const pool = await store.get<AnySpec>('pool', spec.pool);
    if (!pool) {
      issues.push({
        field: 'pool',
        message: `pool '${spec.pool}' does not exist`,
      });
    } else if (pool.spec.project !== spec.project) {
      issues.push({
        field: 'pool',
        message: `pool '${spec.pool}' belongs to project '${pool.spec.project}', not '${spec.project}'`,
      });
    }
    if (kind === 'policy' && issues.length === 0) {
      const problem = await checkPolicyTarget(store, spec);
      if (problem) issues.push(problem);
    }
  }
  if (issues.length > 0) {
    throw new UnprocessableError(issues.map(i => i.message).join('; '), issues);
  }
}

async function checkPolicyTarget(
  store: AiGatewayStore,
  policy: AnySpec,
): Promise<FieldIssue | undefined> {
  const { kind, name } = policy.target;
  // The schema already ties a gateway target to the policy's own pool.
  if (kind === 'gateway') return undefined;
  // Every AI backend and MCP server has a backend and a route of its own name.
  for (const targetKind of ['aiBackend', 'mcpServer'] as const) {
    const target = await store.get<AnySpec>(targetKind, name);
    if (target && target.spec.pool === policy.pool) return undefined;
  }
  return {
    field: 'target.name',
    message: `no AI backend or MCP server named '${name}' exists in pool '${policy.pool}' to be the policy's ${kind} target`,
  };
}

/** 409 when something other than the name must be unique and is not. */
export async function checkUniqueness(
  store: AiGatewayStore,
  kind: ResourceKind,
  spec: AnySpec,
): Promise<void> {
  if (kind === 'mcpServer') {
    const clash = (
      await store.list<AnySpec>('mcpServer', {
        filters: { pool: spec.pool, prefix: spec.prefix },
        limit: 1,
      })
    ).items[0];
    if (clash && clash.name !== spec.name) {
      throw conflict(
        `prefix '${spec.prefix}' is already used by MCP server '${clash.name}' in pool '${spec.pool}'`,
        [
          {
            field: 'prefix',
            message: `is already used by MCP server '${clash.name}' in pool '${spec.pool}'`,
          },
        ],
      );
    }
  }
  // Pools and AI backends are both catalog Resources in the default
  // namespace: one name may not serve both.
  if (kind === 'pool' || kind === 'aiBackend') {
    const other = kind === 'pool' ? 'aiBackend' : 'pool';
    if (await store.get(other, spec.name)) {
      const user = other === 'pool' ? 'a pool' : 'an AI backend';
      throw conflict(
        `name '${spec.name}' is already used by ${user}; pools and AI backends share the catalog's Resource names`,
        [
          {
            field: 'name',
            message: `is already used by ${user}; pools and AI backends share the catalog's Resource names`,
          },
        ],
      );
    }
  }
  if (kind === 'pool') {
    const clash = (
      await store.list<AnySpec>('pool', {
        filters: { cluster: spec.cluster.name, namespace: spec.namespace },
        limit: 1,
      })
    ).items[0];
    if (clash && clash.name !== spec.name) {
      throw conflict(
        `namespace '${spec.namespace}' of cluster '${spec.cluster.name}' is already used by pool '${clash.name}'`,
        [
          {
            field: 'namespace',
            message: `is already used in cluster '${spec.cluster.name}' by pool '${clash.name}'`,
          },
        ],
      );
    }
  }
}

export type Dependent = { kind: ResourceKind; name: string };

/** What would be left dangling if the object were deleted, children first. */
export async function findDependents(
  store: AiGatewayStore,
  kind: ResourceKind,
  name: string,
): Promise<Dependent[]> {
  const names = async (k: ResourceKind, filters: Record<string, string>) =>
    (await listAll(store, k, filters)).map(n => ({ kind: k, name: n }));

  switch (kind) {
    case 'project': {
      const pools = await names('pool', { project: name });
      const nested = [];
      for (const pool of pools) {
        nested.push(...(await findDependents(store, 'pool', pool.name)));
      }
      return [...nested, ...pools];
    }
    case 'pool':
      return [
        ...(await names('policy', { pool: name })),
        ...(await names('mcpServer', { pool: name })),
        ...(await names('aiBackend', { pool: name })),
      ];
    case 'mcpServer':
    case 'aiBackend':
      return names('policy', {
        target_name: name,
        target_kind: 'backend',
      }).then(async backendTargets => [
        ...backendTargets,
        ...(await names('policy', { target_name: name, target_kind: 'route' })),
      ]);
    default:
      return [];
  }
}

async function listAll(
  store: AiGatewayStore,
  kind: ResourceKind,
  filters: Record<string, string>,
): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.list(kind, { filters, after, limit: 500 });
    out.push(...page.items.map(i => i.name));
    if (!page.hasMore) return out;
    after = out[out.length - 1];
  }
}
