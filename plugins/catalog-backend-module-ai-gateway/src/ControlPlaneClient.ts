import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  resourceKinds,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ControlPlaneObject } from './entities';

/**
 * Reads the control plane's REST API as the catalog plugin (a service
 * principal), page by page.
 */
export class ControlPlaneClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  private async request(path: string): Promise<Response> {
    const baseUrl = await this.deps.discovery.getBaseUrl('ai-gateway');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'ai-gateway',
    });
    return fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  }

  /** One object, or undefined when it no longer exists. */
  async get(kind: ResourceKind, name: string): Promise<ControlPlaneObject | undefined> {
    const res = await this.request(`/${resourceKinds[kind].plural}/${encodeURIComponent(name)}`);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${kind} '${name}' answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ControlPlaneObject;
  }

  /** Every object of a kind, optionally filtered (e.g. `{ pool }`). */
  async list(kind: ResourceKind, filters: Record<string, string> = {}): Promise<ControlPlaneObject[]> {
    const out: ControlPlaneObject[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ ...filters, limit: '500', ...(cursor ? { cursor } : {}) });
      const res = await this.request(`/${resourceKinds[kind].plural}?${query}`);
      if (!res.ok) throw new Error(`listing ${kind} answered ${res.status}: ${await res.text()}`);
      const page = (await res.json()) as { items: ControlPlaneObject[]; nextCursor?: string };
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}
