import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { PoolStatus } from '@internal/plugin-ai-gateway-common';
import type { AiGatewayApi, AiGatewayObject, FleetEntry, ObjectPlural, Page } from './AiGatewayApi';

/** The REST client of the control plane (`/api/ai-gateway`). */
export class AiGatewayClient implements AiGatewayApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  async #get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-gateway');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
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
}
