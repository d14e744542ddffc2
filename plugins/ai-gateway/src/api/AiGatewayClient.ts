import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  AiGatewayRestClient,
  kindOperations,
  listAllObjects,
  okResponse,
  resourceKindOfPlural,
  type AiGatewayObject,
  type BudgetInput,
  type BudgetObject,
  type BudgetState,
  type DeployerRole,
  type FleetEntry,
  type GitopsFiles,
  type LiveDiff,
  type ManifestBundle,
  type Page,
  type PoolStatus,
  type ResourceEvent,
  type TypedResponse,
  type UsageStatus,
  type UsageTimeSeriesResponse,
  type UsageTotalsResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type {
  AiGatewayApi,
  ManifestsYaml,
  McpRegistryEntryPage,
  McpRegistrySource,
  McpServerContract,
  ObjectPlural,
  UsageRequest,
} from './AiGatewayApi';

/** Events per page: the backend's default, small enough for a quick first paint. */
const EVENTS_PAGE_SIZE = 50;

/** The body of a successful response; a ResponseError (status, server message) otherwise. */
async function body<T>(response: Promise<TypedResponse<T>>): Promise<T> {
  return (await okResponse(response)).json();
}

/** The text of a successful response and its ETag (without quotes). */
async function text(
  response: Promise<TypedResponse<unknown>>,
): Promise<{ text: string; etag?: string }> {
  const res = await okResponse(response);
  const etag =
    res.headers.get('etag')?.replace(/^W\//, '').replace(/"/g, '') || undefined;
  return { text: await res.text(), etag };
}

/**
 * The control plane as the portal's pages use it, as the signed-in user: the
 * generated REST client (plugin-ai-gateway-common) behind the AiGatewayApi
 * the UI asks for.
 *
 * @public
 */
export class AiGatewayClient implements AiGatewayApi {
  readonly #api: AiGatewayRestClient;
  readonly #deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi };

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#deps = deps;
    this.#api = new AiGatewayRestClient({
      discoveryApi: deps.discoveryApi,
      fetchApi: deps.fetchApi,
    });
  }

  #kind(plural: ObjectPlural) {
    return kindOperations(this.#api, resourceKindOfPlural(plural)!);
  }

  /** Every page of a list. */
  #all(
    plural: ObjectPlural,
    filters: Record<string, string | undefined>,
  ): Promise<AiGatewayObject[]> {
    return listAllObjects(this.#kind(plural), filters);
  }

  listPools(filters: { project?: string } = {}): Promise<AiGatewayObject[]> {
    return this.#all('pools', { project: filters.project });
  }

  listObjects(
    plural: Exclude<ObjectPlural, 'pools'> | 'projects',
  ): Promise<AiGatewayObject[]> {
    return listAllObjects(
      kindOperations(this.#api, resourceKindOfPlural(plural)!),
      {},
    );
  }

  getObject(plural: ObjectPlural, name: string): Promise<AiGatewayObject> {
    return body(this.#kind(plural).get(name));
  }

  listInPool(
    plural: Exclude<ObjectPlural, 'pools'>,
    pool: string,
  ): Promise<AiGatewayObject[]> {
    return this.#all(plural, { pool });
  }

  async requestPool(pool: string, what: 'sync' | 'reseed'): Promise<void> {
    const request = { path: { name: pool } };
    await body(
      what === 'sync'
        ? this.#api.syncPool(request)
        : this.#api.reseedPool(request),
    );
  }

  async getFleet(): Promise<FleetEntry[]> {
    return (await body(this.#api.getFleet({}))).items;
  }

  getPoolStatus(pool: string): Promise<PoolStatus> {
    return body(this.#api.getPoolStatus({ path: { name: pool } }));
  }

  async findMcpServerByPrefix(
    pool: string,
    prefix: string,
  ): Promise<AiGatewayObject | undefined> {
    return (
      await body(this.#kind('mcp-servers').list({ pool, prefix, limit: 1 }))
    ).items[0];
  }

  listEvents(
    plural: ObjectPlural,
    name: string,
    cursor?: string,
  ): Promise<Page<ResourceEvent>> {
    return body(
      this.#kind(plural).events(name, { limit: EVENTS_PAGE_SIZE, cursor }),
    );
  }

  async getManifests(pool: string): Promise<ManifestBundle> {
    return (await body(
      this.#api.getPoolManifests({ path: { name: pool }, query: {} }),
    )) as ManifestBundle;
  }

  async getManifestsYaml(pool: string): Promise<ManifestsYaml> {
    const { text: yaml, etag } = await text(
      this.#api.getPoolManifests({
        path: { name: pool },
        query: { format: 'yaml' },
      }),
    );
    // Cross-origin, the ETag header is hidden unless CORS exposes it; the YAML's header comment says the same.
    const revision = etag ?? yaml.match(/^# revision: (\S+)$/m)?.[1] ?? '';
    return { revision, yaml };
  }

  async diffLive(pool: string): Promise<LiveDiff> {
    return (await body(
      this.#api.getPoolManifests({
        path: { name: pool },
        query: { diff: 'live' },
      }),
    )) as LiveDiff;
  }

  getDeployerRole(pool: string): Promise<DeployerRole> {
    return body(
      this.#api.getPoolDeployerRole({ path: { name: pool }, query: {} }),
    );
  }

  getGitopsFiles(pool: string): Promise<GitopsFiles> {
    return body(this.#api.getPoolGitops({ path: { name: pool } }));
  }

  async issueEnrollmentToken(pool: string): Promise<string> {
    return (
      await body(this.#api.rotatePoolEnrollmentToken({ path: { name: pool } }))
    ).enrollmentToken;
  }

  async getKubernetesClusters(): Promise<string[] | undefined> {
    const baseUrl = await this.#deps.discoveryApi.getBaseUrl('kubernetes');
    const res = await this.#deps.fetchApi.fetch(`${baseUrl}/clusters`);
    // No Kubernetes backend in this portal: nothing reads any cluster.
    if (res.status === 404) return undefined;
    const { items } = (await (await okResponse(res)).json()) as {
      items: Array<{ name: string }>;
    };
    return items.map(cluster => cluster.name);
  }

  getUsageStatus(pool?: string): Promise<UsageStatus> {
    return body(this.#api.getUsageStatus({ query: { pool } }));
  }

  getUsageTotals(request: UsageRequest): Promise<UsageTotalsResponse> {
    return body(this.#api.getUsageTotals({ query: request }));
  }

  getUsageTimeSeries(
    request: UsageRequest & { maxPoints?: number },
  ): Promise<UsageTimeSeriesResponse> {
    return body(this.#api.getUsageTimeSeries({ query: request }));
  }

  async getUsageCsv(
    what: 'totals' | 'timeseries',
    request: UsageRequest,
  ): Promise<string> {
    const query = { ...request, format: 'csv' as const };
    return (
      await text(
        what === 'totals'
          ? this.#api.getUsageTotals({ query })
          : this.#api.getUsageTimeSeries({ query }),
      )
    ).text;
  }

  async listBudgets(): Promise<BudgetObject[]> {
    return (
      (await body(this.#api.listBudgets({}))) as { items: BudgetObject[] }
    ).items;
  }

  async getBudget(name: string): Promise<BudgetObject> {
    return (await body(
      this.#api.getBudget({ path: { name } }),
    )) as BudgetObject;
  }

  getBudgetState(name: string): Promise<BudgetState> {
    return body(this.#api.getBudgetState({ path: { name } }));
  }

  // The control plane checks the body (400 naming the field), so it is passed on as given.
  async createBudget(budget: BudgetInput): Promise<BudgetObject> {
    return (await body(
      this.#api.createBudget({ body: budget as any }),
    )) as BudgetObject;
  }

  async updateBudget(
    name: string,
    budget: BudgetInput,
    version: number,
  ): Promise<BudgetObject> {
    return (await body(
      this.#api.updateBudget({
        path: { name },
        body: { ...budget, version } as any,
        header: {},
      }),
    )) as BudgetObject;
  }

  async deleteBudget(name: string): Promise<void> {
    await body(this.#api.deleteBudget({ path: { name } }));
  }

  getMcpServerContract(name: string): Promise<McpServerContract> {
    return body(
      this.#api.getMcpServerContract({ path: { name } }),
    ) as Promise<McpServerContract>;
  }

  checkMcpServerContract(
    name: string,
    authorization?: string,
  ): Promise<McpServerContract> {
    return body(
      this.#api.checkMcpServerContract({
        path: { name },
        // The generated client sends header keys as given: use the HTTP name.
        header: (authorization
          ? { 'X-MCP-Authorization': authorization }
          : {}) as any,
      }),
    ) as Promise<McpServerContract>;
  }

  async listMcpRegistrySources(): Promise<McpRegistrySource[]> {
    return (await body(this.#api.listMcpRegistrySources({}))).sources;
  }

  listMcpRegistryEntries(
    source: string,
    query: { search?: string; cursor?: string; limit?: number } = {},
  ): Promise<McpRegistryEntryPage> {
    return body(
      this.#api.listMcpRegistrySourceServers({ path: { source }, query }),
    ) as Promise<McpRegistryEntryPage>;
  }

  async getDeployerRoleYaml(pool: string): Promise<string> {
    return (
      await text(
        this.#api.getPoolDeployerRole({
          path: { name: pool },
          query: { format: 'yaml' },
        }),
      )
    ).text;
  }
}
