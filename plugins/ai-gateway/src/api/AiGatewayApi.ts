import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AiGatewayObject as ControlPlaneObject,
  BudgetInput,
  BudgetObject,
  BudgetState,
  DeployerRole,
  FleetEntry,
  GitopsFiles,
  LiveDiff,
  ManifestBundle,
  Page,
  PoolStatus,
  ResourceEvent,
  UsageStatus,
  UsageTimeSeriesResponse,
  UsageTotalsResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

// The wire types are those of plugin-ai-gateway-common (the OpenAPI document
// is generated from them); re-exported under the names the UI uses.
export type {
  BudgetInput,
  BudgetObject,
  BudgetState,
  DeployerRole,
  FleetEntry,
  GitopsFiles,
  JsonPatchOperation,
  LiveDiff,
  ManifestBundle,
  ManifestObject,
  ObjectDiff,
  Page,
  PolicyRule,
  UsageStatus,
  UsageTimeSeriesResponse,
  UsageTotalsResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * An object as the REST API returns it; the UI treats `kind` as text.
 *
 * @public
 */
export type AiGatewayObject<TSpec = Record<string, any>> = Omit<
  ControlPlaneObject<TSpec>,
  'kind'
> & {
  kind: string;
};

/**
 * One entry of an object's event log.
 *
 * @public
 */
export type AiGatewayEvent = ResourceEvent;

/**
 * The bundle as multi-document YAML (GET /pools/:name/manifests?format=yaml).
 *
 * @public
 */
export type ManifestsYaml = { revision: string; yaml: string };

/**
 * The kinds the portal reads, by their REST path segment.
 *
 * @public
 */
export type ObjectPlural = 'pools' | 'mcp-servers' | 'ai-backends' | 'policies';

/**
 * A usage query (GET /usage/totals and /usage/timeseries): a `range` or
 * `from`/`to`, measures and dimensions as comma lists, and filters.
 *
 * @public
 */
export type UsageRequest = {
  range?: '1h' | '6h' | '24h' | '7d' | '30d' | '90d';
  from?: string;
  to?: string;
  measures?: string;
  groupBy?: string;
  pool?: string;
  project?: string;
  team?: string;
  consumer?: string;
  model?: string;
  aiBackend?: string;
  mcpServer?: string;
  tool?: string;
};

/**
 * An MCP server's live contract as the control plane last read it
 * (`GET /mcp-servers/{name}/contract`).
 *
 * @public
 */
export type McpServerContract = {
  server: string;
  lastCheckedAt?: string;
  /** What the last check failed with; `snapshot` is then the contract seen before. */
  error?: string;
  snapshot?: {
    hash: string;
    riskClass: 'destructive' | 'open-world' | 'additive' | 'read-only';
    observedAt: string;
    destructiveTools: string[];
    contract: {
      tools: Array<{
        name: string;
        description?: string;
        inputSchema: Record<string, unknown>;
        annotations?: {
          readOnlyHint?: boolean;
          destructiveHint?: boolean;
          idempotentHint?: boolean;
          openWorldHint?: boolean;
        };
      }>;
      resources: Array<{
        uri: string;
        name: string;
        description?: string;
        mimeType?: string;
      }>;
      prompts: Array<{ name: string; description?: string }>;
    };
  };
  previous: Array<{ hash: string; riskClass?: string; observedAt: string }>;
  /** From the previous contract to `snapshot`. */
  changes: Array<{
    type: string;
    tool?: string;
    annotation?: string;
    from?: boolean;
    to?: boolean;
    uri?: string;
    prompt?: string;
  }>;
  /** After a check: whether the contract differs from the one seen before. */
  changed?: boolean;
};

/**
 * The control plane, as the portal's pages and fields use it (as the signed-in user).
 *
 * @public
 */
export interface AiGatewayApi {
  getFleet(): Promise<FleetEntry[]>;
  getObject(plural: ObjectPlural, name: string): Promise<AiGatewayObject>;
  /** Every object of a kind in a pool (all pages). */
  listInPool(
    plural: Exclude<ObjectPlural, 'pools'>,
    pool: string,
  ): Promise<AiGatewayObject[]>;
  /** Force sync or reseed a pool. */
  requestPool(pool: string, what: 'sync' | 'reseed'): Promise<void>;
  listPools(filters?: { project?: string }): Promise<AiGatewayObject[]>;
  /** Every object of a kind the user may see (all pages). */
  listObjects(
    plural: Exclude<ObjectPlural, 'pools'> | 'projects',
  ): Promise<AiGatewayObject[]>;
  getPoolStatus(pool: string): Promise<PoolStatus>;
  /** MCP servers of a pool using a prefix (at most one). */
  findMcpServerByPrefix(
    pool: string,
    prefix: string,
  ): Promise<AiGatewayObject | undefined>;
  /** One page of an object's event log, newest first; pass the previous page's nextCursor for older ones. */
  listEvents(
    plural: ObjectPlural,
    name: string,
    cursor?: string,
  ): Promise<Page<AiGatewayEvent>>;
  getManifests(pool: string): Promise<ManifestBundle>;
  getManifestsYaml(pool: string): Promise<ManifestsYaml>;
  /** What applying the pool's bundle would change (see LiveDiff.against for what it is compared with). */
  diffLive(pool: string): Promise<LiveDiff>;
  getDeployerRole(pool: string): Promise<DeployerRole>;
  /** The deployer Role as YAML, ready for `kubectl apply -f`. */
  getDeployerRoleYaml(pool: string): Promise<string>;
  /** The pool's GitOps folder (gitops delivery): file path to content. */
  getGitopsFiles(pool: string): Promise<GitopsFiles>;
  /**
   * Issues a new enrollment token for the pool's operator and returns it; the
   * previous token stops working. The control plane keeps only its hash, so
   * this is the only time it can be shown.
   */
  issueEnrollmentToken(pool: string): Promise<string>;
  /**
   * The names of the clusters the portal's Kubernetes plugin reads
   * (kubernetes-backend GET /clusters); undefined when the portal has no
   * Kubernetes backend.
   */
  getKubernetesClusters(): Promise<string[] | undefined>;
  /** Whether usage can be read (a metrics source is configured), and if not, what to configure. */
  getUsageStatus(pool?: string): Promise<UsageStatus>;
  getUsageTotals(request: UsageRequest): Promise<UsageTotalsResponse>;
  getUsageTimeSeries(
    request: UsageRequest & { maxPoints?: number },
  ): Promise<UsageTimeSeriesResponse>;
  /** The totals or series as CSV, with a header row. */
  getUsageCsv(
    what: 'totals' | 'timeseries',
    request: UsageRequest,
  ): Promise<string>;
  /** Every budget the user may see (a team's members see its budgets, a project's owners the project's). */
  listBudgets(): Promise<BudgetObject[]>;
  getBudget(name: string): Promise<BudgetObject>;
  /** The budget's current window: spend, thresholds notified, whether it is exceeded. */
  getBudgetState(name: string): Promise<BudgetState>;
  createBudget(budget: BudgetInput): Promise<BudgetObject>;
  /** Replaces a budget; `version` is the one read (a 409 says it changed since). */
  updateBudget(
    name: string,
    budget: BudgetInput,
    version: number,
  ): Promise<BudgetObject>;
  deleteBudget(name: string): Promise<void>;
  /** The MCP server's live contract as last read (tools, risk class, drift). */
  getMcpServerContract(name: string): Promise<McpServerContract>;
  /**
   * Reads the MCP server's contract now (needs the right to change it).
   * `authorization` is sent to the MCP server as its Authorization header,
   * for this check only.
   */
  checkMcpServerContract(
    name: string,
    authorization?: string,
  ): Promise<McpServerContract>;
  /** The MCP registries users deploy from. */
  listMcpRegistrySources(): Promise<McpRegistrySource[]>;
  /** A page of a registry's latest entries, each marked importable or not. */
  listMcpRegistryEntries(
    source: string,
    query?: { search?: string; cursor?: string; limit?: number },
  ): Promise<McpRegistryEntryPage>;
}

/**
 * An MCP registry users deploy from (`aiGateway.mcpRegistry.sources`), or the
 * software catalog (`catalog`, with a title instead of a URL to show).
 *
 * @public
 */
export type McpRegistrySource = { name: string; url: string; title?: string };

/**
 * An input a registry entry needs from the one who deploys it.
 *
 * @public
 */
export type McpRegistryEntryInput = {
  name: string;
  in: 'environmentVariable' | 'header' | 'urlVariable';
  description?: string;
  required: boolean;
};

/**
 * An entry of an MCP registry (its latest server.json) and whether the
 * gateway can serve it.
 *
 * @public
 */
export type McpRegistryEntry = {
  server: {
    name: string;
    title?: string;
    description: string;
    version: string;
    [key: string]: unknown;
  };
  importable: boolean;
  reason?: string;
  kind?: 'remote' | 'package';
  /** Secret inputs: given as Kubernetes Secret references by name. */
  secrets: McpRegistryEntryInput[];
  /** Non-secret inputs without a value or default. */
  values: McpRegistryEntryInput[];
};

/**
 * A page of a registry's entries.
 *
 * @public
 */
export type McpRegistryEntryPage = {
  servers: McpRegistryEntry[];
  nextCursor?: string;
  /** Entries of the page that are no valid server.json, left out. */
  invalid: number;
};

/** @public */
export const aiGatewayApiRef = createApiRef<AiGatewayApi>({
  id: 'plugin.ai-gateway.api',
});
