import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { canonicalize } from './canonical';
import { STAGE_LABEL } from './labels';
import type { ManifestObject, ManifestStage } from './types';

/**
 * The order objects are applied in: what others refer to first (accounts,
 * secrets, config, certificates), then workloads, then routing that points at
 * them. Pruning deletes in the reverse order.
 *
 * @public
 */
export const APPLY_ORDER: readonly string[] = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Role',
  'RoleBinding',
  'PersistentVolumeClaim',
  'Issuer',
  'Certificate',
  'Service',
  'StatefulSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'AgentgatewayParameters',
  'Gateway',
  'AgentgatewayBackend',
  'HTTPRoute',
  'AgentgatewayPolicy',
  'Ingress',
  'VirtualService',
  'IngressRoute',
  'Route',
];

function orderOf(kind: string): number {
  const i = APPLY_ORDER.indexOf(kind);
  return i === -1 ? APPLY_ORDER.length : i;
}

/**
 * Apply order, then API group (Istio's Gateway after Gateway API's), then name.
 *
 * @public
 */
export function compareForApply(a: ManifestObject, b: ManifestObject): number {
  return (
    orderOf(a.kind) - orderOf(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    a.apiVersion.localeCompare(b.apiVersion) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/**
 * A pool's desired state as Kubernetes objects, with its revision.
 *
 * @public
 */
export type ManifestBundle = {
  pool: string;
  namespace: string;
  /** The renderer that produced it, e.g. agentgateway. */
  renderer: string;
  /** sha256 of the canonical objects: equal bundles, equal revisions. */
  revision: string;
  /** Canonical objects in apply order. */
  objects: ManifestObject[];
  /** What the renderer could not express for this gateway (shown to users). */
  warnings: string[];
  /** Every kind the renderer can put in the runtime stage, for pruning (not part of the revision). */
  kinds: Array<{ apiVersion: string; kind: string }>;
};

/** @public */
export function bundleRevision(objects: ManifestObject[]): string {
  return revisionOfCanonical(canonicalize(objects));
}

/** The revision of objects that are canonical already (one pass fewer over a big bundle). */
function revisionOfCanonical(objects: ManifestObject[]): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(objects))
    .digest('hex')}`;
}

/** @public */
export function createManifestBundle(input: {
  pool: string;
  namespace: string;
  renderer: string;
  objects: ManifestObject[];
  warnings?: string[];
  kinds?: Array<{ apiVersion: string; kind: string }>;
}): ManifestBundle {
  const objects = canonicalize(input.objects).sort(compareForApply);
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${
      o.metadata.name
    }`;
    if (seen.has(key)) {
      throw new Error(`renderer ${input.renderer} produced ${key} twice`);
    }
    seen.add(key);
  }
  return {
    pool: input.pool,
    namespace: input.namespace,
    renderer: input.renderer,
    revision: revisionOfCanonical(objects),
    objects,
    warnings: [...new Set(input.warnings ?? [])].sort(),
    kinds: [...(input.kinds ?? [])].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.apiVersion.localeCompare(b.apiVersion),
    ),
  };
}

/** @public */
export function stageOf(object: ManifestObject): ManifestStage {
  return object.metadata.labels?.[STAGE_LABEL] === 'bootstrap'
    ? 'bootstrap'
    : 'runtime';
}

/**
 * The objects of one stage, in apply order.
 *
 * @public
 */
export function objectsOfStage(
  bundle: Pick<ManifestBundle, 'objects'>,
  stage: ManifestStage,
): ManifestObject[] {
  return bundle.objects.filter(o => stageOf(o) === stage);
}

/**
 * Multi-document YAML, as `kubectl apply -f` takes it.
 *
 * @public
 */
export function bundleToYaml(bundle: ManifestBundle): string {
  const header = [
    `# AI Gateway for Backstage: pool ${bundle.pool} (${bundle.renderer})`,
    `# revision: ${bundle.revision}`,
    ...bundle.warnings.map(w => `# warning: ${w}`),
  ].join('\n');
  const docs = bundle.objects.map(o =>
    stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }),
  );
  return `${header}\n---\n${docs.join('---\n')}`;
}

/**
 * A `v1 List` of the objects, as `kubectl apply -f` takes it.
 *
 * @public
 */
export function bundleToList(bundle: ManifestBundle): {
  apiVersion: 'v1';
  kind: 'List';
  metadata: Record<string, never>;
  items: ManifestObject[];
} {
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: {},
    items: bundle.objects,
  };
}
