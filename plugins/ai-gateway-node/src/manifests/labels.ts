import {
  POOL_OBJECT_LABEL,
  POOL_STAGE_LABEL,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { createHash } from 'node:crypto';
import type { ManifestStage } from './types';

/** @public */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** @public */
export const MANAGED_BY_VALUE = 'ai-gateway';
/**
 * Every object of a pool carries it; pruning selects on it.
 *
 * @public
 */
export const POOL_LABEL = POOL_OBJECT_LABEL;
/** @public */
export const STAGE_LABEL = POOL_STAGE_LABEL;
/**
 * Set by gitops delivery (kustomize commonAnnotations), outside the hash.
 *
 * @public
 */
export const REVISION_ANNOTATION = 'ai-gateway.backstage.io/revision';

/**
 * The label selector of a pool's objects, optionally of one stage only.
 *
 * @public
 */
export function poolLabelSelector(pool: string, stage?: ManifestStage): string {
  const parts = [
    `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
    `${POOL_LABEL}=${pool}`,
  ];
  if (stage) parts.push(`${STAGE_LABEL}=${stage}`);
  return parts.join(',');
}

/**
 * A Kubernetes object name from parts, at most `maxLength` characters
 * (63 fits Services and labels). Too-long names are cut and suffixed with a
 * hash of the whole, so they stay unique and stable across renders.
 *
 * @public
 */
export function kubernetesName(parts: string[], maxLength = 63): string {
  const full = parts.filter(Boolean).join('-');
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const head = full.slice(0, maxLength - hash.length - 1).replace(/[-.]+$/, '');
  return `${head}-${hash}`;
}

/**
 * The name of the objects (HTTPRoute, backend) that serve an MCP server or
 * an AI backend in its pool's namespace: what renderers name them and what
 * usage queries and budgets filter metrics by (agentgateway's `route` label
 * is `<namespace>/<this name>`).
 *
 * @public
 */
export function servedObjectName(
  kind: 'mcpServer' | 'aiBackend',
  name: string,
): string {
  return kubernetesName([kind === 'mcpServer' ? 'mcp' : 'ai', name]);
}
