import type { Pool } from './pool';

/**
 * The domain settings of a pool that its host names derive from.
 *
 * @public
 */
export type PoolHostDomains = {
  baseDomain: string;
  separator: '.' | '-';
  subdomains: { api: string; mcp: string };
};

/**
 * The host names of a pool's services: the Gateway has an HTTPS listener for
 * each.
 *
 * @public
 */
export type PoolHosts = {
  api: string;
  mcp: string;
};

/**
 * `{label}{separator}{baseDomain}`: api.ai.example.com or api-ai.example.com.
 *
 * @public
 */
export function hostFor(
  label: string,
  separator: '.' | '-',
  baseDomain: string,
): string {
  return `${label}${separator}${baseDomain}`;
}

/**
 * example.com for ai.example.com.
 *
 * @public
 */
export function parentDomain(domain: string): string {
  return domain.slice(domain.indexOf('.') + 1);
}

/**
 * Host names of a pool's services: with separator "."
 * `api.ai-gateway.example.com`, covered by `*.ai-gateway.example.com`; with
 * "-" `api-ai-gateway.example.com`, which fits under the parent wildcard
 * `*.example.com`.
 *
 * @public
 */
export function poolHosts(pool: { domains: PoolHostDomains }): PoolHosts {
  const { baseDomain, subdomains, separator } = pool.domains;
  return {
    api: hostFor(subdomains.api, separator, baseDomain),
    mcp: hostFor(subdomains.mcp, separator, baseDomain),
  };
}

/**
 * The wildcard certificate name covering every host of the pool.
 *
 * @public
 */
export function poolWildcardDomain(pool: { domains: PoolHostDomains }): string {
  const { baseDomain, separator } = pool.domains;
  return `*.${separator === '.' ? baseDomain : parentDomain(baseDomain)}`;
}

/**
 * Where clients reach an MCP server: `https://{pool mcp host}/{prefix}/mcp`.
 *
 * @public
 */
export function mcpServerUrl(
  pool: Pick<Pool, 'domains'> | { domains: PoolHostDomains },
  mcpServer: { prefix: string },
): string {
  return `https://${poolHosts(pool).mcp}/${mcpServer.prefix}/mcp`;
}

/**
 * The path under which a pool's gateway routes an AI backend (the renderer's
 * HTTPRoute match): `/{backend}/mcp` for an MCP backend, else `/{backend}`,
 * with the prefix rewritten to `/` before the provider.
 *
 * @public
 */
export function aiBackendPath(backend: {
  name: string;
  spec: { kind: string };
}): string {
  return backend.spec.kind === 'mcp'
    ? `/${backend.name}/mcp`
    : `/${backend.name}`;
}

/**
 * Where clients reach an AI backend: on the pool's mcp host for an MCP
 * backend; on its api host otherwise, where an LLM (ai) backend's
 * OpenAI-compatible API is under `{path}/v1`.
 *
 * @public
 */
export function aiBackendEndpoint(
  pool: { domains: PoolHostDomains },
  backend: { name: string; spec: { kind: string } },
): { baseUrl: string; kind: 'openai' | 'mcp' | 'http' } {
  const hosts = poolHosts(pool);
  const path = aiBackendPath(backend);
  if (backend.spec.kind === 'mcp')
    return { baseUrl: `https://${hosts.mcp}${path}`, kind: 'mcp' };
  if (backend.spec.kind === 'ai')
    return { baseUrl: `https://${hosts.api}${path}/v1`, kind: 'openai' };
  return { baseUrl: `https://${hosts.api}${path}`, kind: 'http' };
}
