import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { PoolStatus } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type {
  AiGatewayApi,
  AiGatewayEvent,
  AiGatewayObject,
  DeployerRole,
  FleetEntry,
  LiveDiff,
  ManifestBundle,
  ManifestsYaml,
  ObjectPlural,
  Page,
} from './AiGatewayApi';

/** Events per page: the backend's default, small enough for a quick first paint. */
const EVENTS_PAGE_SIZE = 50;

/** The REST client of the control plane (`/api/ai-gateway`). */
export class AiGatewayClient implements AiGatewayApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  async #get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-gateway');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  async #getText(path: string): Promise<{ text: string; etag?: string }> {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-gateway');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const etag = res.headers.get('etag')?.replace(/^W\//, '').replace(/"/g, '') || undefined;
    return { text: await res.text(), etag };
  }

  async listPools(filters: { project?: string } = {}): Promise<AiGatewayObject[]> {
    const items: AiGatewayObject[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500' });
      if (filters.project) query.set('project', filters.project);
      if (cursor) query.set('cursor', cursor);
      const page = await this.#get<Page<AiGatewayObject>>(`/pools?${query}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  getObject(plural: ObjectPlural, name: string): Promise<AiGatewayObject> {
    return this.#get<AiGatewayObject>(`/${plural}/${encodeURIComponent(name)}`);
  }

  async listInPool(plural: Exclude<ObjectPlural, 'pools'>, pool: string): Promise<AiGatewayObject[]> {
    const items: AiGatewayObject[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ pool, limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const page = await this.#get<Page<AiGatewayObject>>(`/${plural}?${query}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  async requestPool(pool: string, what: 'sync' | 'reseed'): Promise<void> {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-gateway');
    const res = await this.deps.fetchApi.fetch(`${base}/pools/${encodeURIComponent(pool)}/${what}`, { method: 'POST' });
    if (!res.ok) throw await ResponseError.fromResponse(res);
  }

  async getFleet(): Promise<FleetEntry[]> {
    return (await this.#get<{ items: FleetEntry[] }>('/fleet')).items;
  }

  getPoolStatus(pool: string): Promise<PoolStatus> {
    return this.#get<PoolStatus>(`/pools/${encodeURIComponent(pool)}/status`);
  }

  async findMcpServerByPrefix(pool: string, prefix: string): Promise<AiGatewayObject | undefined> {
    const query = new URLSearchParams({ pool, prefix, limit: '1' });
    return (await this.#get<Page<AiGatewayObject>>(`/mcp-servers?${query}`)).items[0];
  }

  listEvents(plural: ObjectPlural, name: string, cursor?: string): Promise<Page<AiGatewayEvent>> {
    const query = new URLSearchParams({ limit: String(EVENTS_PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    return this.#get<Page<AiGatewayEvent>>(`/${plural}/${encodeURIComponent(name)}/events?${query}`);
  }

  getManifests(pool: string): Promise<ManifestBundle> {
    return this.#get<ManifestBundle>(`/pools/${encodeURIComponent(pool)}/manifests`);
  }

  async getManifestsYaml(pool: string): Promise<ManifestsYaml> {
    const { text, etag } = await this.#getText(`/pools/${encodeURIComponent(pool)}/manifests?format=yaml`);
    // Cross-origin, the ETag header is hidden unless CORS exposes it; the YAML's header comment says the same.
    const revision = etag ?? text.match(/^# revision: (\S+)$/m)?.[1] ?? '';
    return { revision, yaml: text };
  }

  diffLive(pool: string): Promise<LiveDiff> {
    return this.#get<LiveDiff>(`/pools/${encodeURIComponent(pool)}/manifests?diff=live`);
  }

  getDeployerRole(pool: string): Promise<DeployerRole> {
    return this.#get<DeployerRole>(`/pools/${encodeURIComponent(pool)}/rbac/deployer-role`);
  }

  async getDeployerRoleYaml(pool: string): Promise<string> {
    return (await this.#getText(`/pools/${encodeURIComponent(pool)}/rbac/deployer-role?format=yaml`)).text;
  }
}
