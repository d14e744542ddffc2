import { createApiRef } from '@backstage/core-plugin-api';
import type { FleetEntry, PoolStatus } from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** An object as the control plane's REST API returns it. */
export type AiGatewayObject<TSpec = Record<string, any>> = {
  kind: string;
  name: string;
  project: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  spec: TSpec;
  derived?: Record<string, string>;
};

export type Page<T> = { items: T[]; nextCursor?: string };

export type { FleetEntry };

/** One RFC 6902 JSON patch operation (what the control plane records and diffs in). */
export type JsonPatchOperation = {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  /** JSON pointer; '' is the whole document. */
  path: string;
  value?: unknown;
  from?: string;
};

/**
 * One entry of an object's event log (GET /:plural/:name/events): audit
 * entries (created, updated, deleted) and, for pools, what the control plane
 * and operator did (phase-changed, applied, apply-failed, sync-requested, ...).
 */
export type AiGatewayEvent = {
  id: number;
  kind: string;
  name: string;
  project?: string;
  action: string;
  /** A user entity ref, `service:<subject>`, `control-plane` or `operator:<pool>`. */
  actor: string;
  version?: number;
  /** ISO time. */
  at: string;
  /** For created and updated: the patch from the previous version to this one. */
  changes?: JsonPatchOperation[];
  message?: string;
};

/** A Kubernetes object as the renderer produced it. */
export type ManifestObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
};

/** A pool's rendered desired state (GET /pools/:name/manifests). */
export type ManifestBundle = {
  pool: string;
  namespace: string;
  /** The renderer that produced it, e.g. agentgateway. */
  renderer: string;
  /** sha256 of the canonical objects: equal bundles, equal revisions. */
  revision: string;
  /** In apply order. */
  objects: ManifestObject[];
  /** What the renderer could not express for this gateway. */
  warnings: string[];
  kinds: Array<{ apiVersion: string; kind: string }>;
};

/** The bundle as multi-document YAML (GET /pools/:name/manifests?format=yaml). */
export type ManifestsYaml = { revision: string; yaml: string };

/** One object's difference between the bundle and what it was compared with. */
export type ObjectDiff = {
  /** `Kind/name`. */
  ref: string;
  apiVersion: string;
  kind: string;
  name: string;
  /** Turns the live object (the fields the bundle manages) into the desired one. */
  patch: JsonPatchOperation[];
};

/** What applying the bundle would do (GET /pools/:name/manifests?diff=live). */
export type LiveDiff = {
  pool: string;
  revision: string;
  /**
   * `cluster`: compared with the cluster itself (direct delivery). Agent and
   * gitops pools' clusters are out of the control plane's reach, so these are
   * compared with the bundle the operator last reported running, or with
   * nothing when none has run yet.
   */
  against: 'cluster' | 'running-revision' | 'nothing-running';
  runningRevision?: string;
  diff: {
    /** Will be created. */
    added: ObjectDiff[];
    /** Will be updated. */
    changed: ObjectDiff[];
    /** Labelled for the pool but no longer desired: will be pruned. */
    removed: ObjectDiff[];
    unchanged: number;
  };
};

export type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/** The namespace-scoped Role a person needs to install a pool (GET /pools/:name/rbac/deployer-role). */
export type DeployerRole = {
  apiVersion: string;
  kind: 'Role';
  metadata: { name: string; namespace: string };
  rules: PolicyRule[];
};

/** The control plane, as the portal's pages and fields use it (as the signed-in user). */
export type ObjectPlural = 'pools' | 'mcp-servers' | 'ai-backends' | 'policies';

export interface AiGatewayApi {
  getFleet(): Promise<FleetEntry[]>;
  getObject(plural: ObjectPlural, name: string): Promise<AiGatewayObject>;
  /** Every object of a kind in a pool (all pages). */
  listInPool(plural: Exclude<ObjectPlural, 'pools'>, pool: string): Promise<AiGatewayObject[]>;
  /** Force sync or reseed a pool. */
  requestPool(pool: string, what: 'sync' | 'reseed'): Promise<void>;
  listPools(filters?: { project?: string }): Promise<AiGatewayObject[]>;
  getPoolStatus(pool: string): Promise<PoolStatus>;
  /** MCP servers of a pool using a prefix (at most one). */
  findMcpServerByPrefix(pool: string, prefix: string): Promise<AiGatewayObject | undefined>;
  /** One page of an object's event log, newest first; pass the previous page's nextCursor for older ones. */
  listEvents(plural: ObjectPlural, name: string, cursor?: string): Promise<Page<AiGatewayEvent>>;
  getManifests(pool: string): Promise<ManifestBundle>;
  getManifestsYaml(pool: string): Promise<ManifestsYaml>;
  /** What applying the pool's bundle would change (see LiveDiff.against for what it is compared with). */
  diffLive(pool: string): Promise<LiveDiff>;
  getDeployerRole(pool: string): Promise<DeployerRole>;
  /** The deployer Role as YAML, ready for `kubectl apply -f`. */
  getDeployerRoleYaml(pool: string): Promise<string>;
}

export const aiGatewayApiRef = createApiRef<AiGatewayApi>({ id: 'plugin.ai-gateway.api' });
