/**
 * The metadata the renderers set; the API server adds the rest.
 *
 * @public
 */
export type ManifestMetadata = {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/**
 * A Kubernetes object as rendered: plain JSON, no server-managed fields.
 *
 * @public
 */
export type ManifestObject = {
  apiVersion: string;
  kind: string;
  metadata: ManifestMetadata;
  [field: string]: unknown;
};

/**
 * Who applies an object. `bootstrap` objects (the operator's ServiceAccount,
 * Roles, token Secret and Deployment) need RBAC rights the operator does not
 * have, so the installer applies them; the operator applies `runtime` ones.
 *
 * @public
 */
export type ManifestStage = 'bootstrap' | 'runtime';

/**
 * `Kind/name`, how people and error messages name an object.
 *
 * @public
 */
export function objectRef(object: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${object.kind}/${object.metadata.name}`;
}
