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
