import type { ResourceKind } from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * How each kind of object maps onto its table: the columns derived from the
 * validated object (used for filters and unique rules) and the query
 * parameters a list request may filter on.
 */
export type KindTable = {
  table: string;
  /** Columns copied out of the object so they can be indexed and filtered. */
  columns(object: any): Record<string, string>;
  /** List filters: query parameter name -> column. */
  filters: Record<string, string>;
};

export const kindTables: Record<ResourceKind, KindTable> = {
  project: {
    table: 'aigw_projects',
    columns: p => ({ owner: p.owner }),
    filters: { owner: 'owner' },
  },
  pool: {
    table: 'aigw_pools',
    columns: p => ({
      project: p.project,
      cluster: p.cluster.name,
      namespace: p.namespace,
      delivery_mode: p.delivery.mode,
    }),
    filters: {
      project: 'project',
      cluster: 'cluster',
      namespace: 'namespace',
      deliveryMode: 'delivery_mode',
    },
  },
  mcpServer: {
    table: 'aigw_mcp_servers',
    columns: m => ({ project: m.project, pool: m.pool, prefix: m.prefix }),
    filters: { project: 'project', pool: 'pool', prefix: 'prefix' },
  },
  aiBackend: {
    table: 'aigw_ai_backends',
    columns: b => ({ project: b.project, pool: b.pool }),
    filters: { project: 'project', pool: 'pool' },
  },
  policy: {
    table: 'aigw_policies',
    columns: p => ({
      project: p.project,
      pool: p.pool,
      target_kind: p.target.kind,
      target_name: p.target.name,
    }),
    filters: {
      project: 'project',
      pool: 'pool',
      targetKind: 'target_kind',
      targetName: 'target_name',
    },
  },
};
