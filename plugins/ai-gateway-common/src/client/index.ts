import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  type RequestOptions,
  type TypedResponse,
} from '../schema/openapi/generated/apis';
import type { AiGatewayObject, Page, ResourceEvent } from '../model/api';
import type { ResourceKind } from '../model/resourceKinds';

/**
 * The REST client of the control plane, generated from its OpenAPI document
 * (plugin-ai-gateway-backend, `npm run generate:openapi`). Give it the
 * discovery API and, in the browser, the fetch API; backend callers pass a
 * plugin request token per call (`{ token }`).
 */
export { DefaultApiClient as AiGatewayRestClient };
export type { RequestOptions, TypedResponse };
/**
 * The request and response types of the generated client, named as in the
 * OpenAPI document.
 *
 * @public
 */
export type * as AiGatewayRestTypes from '../schema/openapi/generated';

/**
 * Query of a list request: paging and the kind's filters (see the document).
 *
 * @public
 */
export type ListQuery = {
  limit?: number;
  cursor?: string;
  [filter: string]: string | number | undefined;
};

/**
 * The operations every kind has, for clients that handle kinds alike (catalog, scaffolder, portal).
 *
 * @public
 */
export type KindOperations = {
  list(
    query: ListQuery,
    options?: RequestOptions,
  ): Promise<TypedResponse<Page<AiGatewayObject>>>;
  get(
    name: string,
    options?: RequestOptions,
  ): Promise<TypedResponse<AiGatewayObject>>;
  /** A pool's answer also carries its one-time `enrollmentToken`. */
  create(
    body: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<TypedResponse<AiGatewayObject & { enrollmentToken?: string }>>;
  events(
    name: string,
    query: { limit?: number; cursor?: string },
    options?: RequestOptions,
  ): Promise<TypedResponse<Page<ResourceEvent>>>;
};

// Bodies and filters are checked by the control plane (400 naming the field),
// so they are passed on as given.
const operations: Record<
  ResourceKind,
  (api: DefaultApiClient) => KindOperations
> = {
  project: api => ({
    list: (query, o) => api.listProjects({ query }, o),
    get: (name, o) => api.getProject({ path: { name } }, o),
    create: (body, o) => api.createProject({ body: body as any }, o),
    events: (name, query, o) =>
      api.listProjectEvents({ path: { name }, query }, o),
  }),
  pool: api => ({
    list: (query, o) => api.listPools({ query }, o),
    get: (name, o) => api.getPool({ path: { name } }, o),
    create: (body, o) => api.createPool({ body: body as any }, o),
    events: (name, query, o) =>
      api.listPoolEvents({ path: { name }, query }, o),
  }),
  mcpServer: api => ({
    list: (query, o) => api.listMcpServers({ query }, o),
    get: (name, o) => api.getMcpServer({ path: { name } }, o),
    create: (body, o) => api.createMcpServer({ body: body as any }, o),
    events: (name, query, o) =>
      api.listMcpServerEvents({ path: { name }, query }, o),
  }),
  aiBackend: api => ({
    list: (query, o) => api.listAiBackends({ query }, o),
    get: (name, o) => api.getAiBackend({ path: { name } }, o),
    create: (body, o) => api.createAiBackend({ body: body as any }, o),
    events: (name, query, o) =>
      api.listAiBackendEvents({ path: { name }, query }, o),
  }),
  policy: api => ({
    list: (query, o) => api.listPolicies({ query }, o),
    get: (name, o) => api.getPolicy({ path: { name } }, o),
    create: (body, o) => api.createPolicy({ body: body as any }, o),
    events: (name, query, o) =>
      api.listPolicyEvents({ path: { name }, query }, o),
  }),
};

/**
 * The response itself when it succeeded; otherwise a `ResponseError` with the
 * status and the control plane's error body.
 *
 * @public
 */
export async function okResponse<T>(
  response: TypedResponse<T> | Promise<TypedResponse<T>>,
): Promise<TypedResponse<T>> {
  const res = await response;
  if (!res.ok) throw await ResponseError.fromResponse(res as Response);
  return res;
}

/**
 * Every object of a kind that matches the filters, page by page (500 per page).
 *
 * @public
 */
export async function listAllObjects(
  kind: KindOperations,
  filters: Record<string, string | undefined>,
  options?: RequestOptions,
): Promise<AiGatewayObject[]> {
  const items: AiGatewayObject[] = [];
  let cursor: string | undefined;
  do {
    const page = await (
      await okResponse(kind.list({ ...filters, limit: 500, cursor }, options))
    ).json();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The generated client's list, get, create and events operations of one kind.
 *
 * @public
 */
export function kindOperations(
  api: DefaultApiClient,
  kind: ResourceKind,
): KindOperations {
  return operations[kind](api);
}
