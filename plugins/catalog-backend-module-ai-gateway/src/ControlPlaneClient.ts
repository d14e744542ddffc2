import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AiGatewayRestClient,
  kindOperations,
  listAllObjects,
  okResponse,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ControlPlaneObject } from './entities';

/**
 * Reads the control plane's REST API as the catalog plugin (a service
 * principal), page by page, with the generated REST client.
 *
 * @public
 */
export class ControlPlaneClient {
  readonly #api: AiGatewayRestClient;

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {
    this.#api = new AiGatewayRestClient({ discoveryApi: deps.discovery });
  }

  async #token(): Promise<{ token: string }> {
    return this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'ai-gateway',
    });
  }

  /** One object, or undefined when it no longer exists. */
  async get(
    kind: ResourceKind,
    name: string,
  ): Promise<ControlPlaneObject | undefined> {
    const res = await kindOperations(this.#api, kind).get(
      name,
      await this.#token(),
    );
    if (res.status === 404) return undefined;
    return (await okResponse(res)).json();
  }

  /** Every object of a kind, optionally filtered (e.g. `{ pool }`). */
  async list(
    kind: ResourceKind,
    filters: Record<string, string> = {},
  ): Promise<ControlPlaneObject[]> {
    return listAllObjects(
      kindOperations(this.#api, kind),
      filters,
      await this.#token(),
    );
  }
}
