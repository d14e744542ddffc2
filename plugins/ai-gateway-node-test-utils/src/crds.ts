/**
 * The CustomResourceDefinitions that ship in this package's `crds/` folder, as
 * their projects publish them (see `crds/README.md`), for tests that install
 * them into a real API server before applying rendered bundles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObjectLike } from './ManifestSchemaValidator';

/**
 * An `apiextensions.k8s.io/v1` CustomResourceDefinition, typed down to the
 * fields that say which kinds and versions it serves.
 *
 * @public
 */
export type PublishedCrd = KubernetesObjectLike & {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  spec: {
    group: string;
    names: { kind: string; plural: string; [k: string]: unknown };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      [k: string]: unknown;
    }>;
    [k: string]: unknown;
  };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function asPublishedCrd(document: unknown, source: string): PublishedCrd {
  const crd = document as Partial<PublishedCrd>;
  const spec = crd.spec;
  const wellFormed =
    crd.apiVersion === 'apiextensions.k8s.io/v1' &&
    isObject(crd.metadata) &&
    typeof crd.metadata.name === 'string' &&
    isObject(spec) &&
    typeof spec.group === 'string' &&
    isObject(spec.names) &&
    typeof spec.names.kind === 'string' &&
    typeof spec.names.plural === 'string' &&
    (spec.scope === 'Namespaced' || spec.scope === 'Cluster') &&
    Array.isArray(spec.versions) &&
    spec.versions.every(
      version =>
        isObject(version) &&
        typeof version.name === 'string' &&
        typeof version.served === 'boolean' &&
        typeof version.storage === 'boolean',
    );
  if (!wellFormed) {
    throw new Error(
      `${source}: not an apiextensions.k8s.io/v1 CustomResourceDefinition with metadata.name, spec.group, spec.names.kind/plural, spec.scope and spec.versions[].name/served/storage`,
    );
  }
  return crd as PublishedCrd;
}

/**
 * Every CustomResourceDefinition in the YAML files of every folder of `crds/`
 * (agentgateway, gateway-api, cert-manager, istio, traefik, openshift), in
 * folder then file order. Documents of other kinds are left out; a YAML
 * error or a malformed CRD throws, naming the file.
 *
 * Send them to an API server as plain JSON: the typed clients of
 * `@kubernetes/client-node` serialize a CRD through their models, which drop
 * the `x-kubernetes-*` keys of a plain object, and the server then rejects it.
 *
 * @param options - `crdDirectory`: another folder laid out like `crds/`
 *   (one sub-folder per project).
 * @public
 */
export function loadPublishedCrds(
  options: { crdDirectory?: string } = {},
): PublishedCrd[] {
  // The CRDs ship with the package (`files`): found from source and from dist.
  const root =
    options.crdDirectory ??
    resolvePackagePath(
      '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils',
      'crds',
    );
  const crds: PublishedCrd[] = [];
  const folders = fs
    .readdirSync(root, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort();
  for (const folder of folders) {
    const files = fs
      .readdirSync(path.join(root, folder))
      .filter(file => /\.ya?ml$/.test(file))
      .sort();
    for (const file of files) {
      const source = `${folder}/${file}`;
      const text = fs.readFileSync(path.join(root, folder, file), 'utf8');
      parseAllDocuments(text).forEach((document, index) => {
        if (document.errors.length > 0) {
          throw new Error(
            `${source}: YAML document ${index + 1}: ${
              document.errors[0].message
            }`,
          );
        }
        const value = document.toJS() as unknown;
        if (isObject(value) && value.kind === 'CustomResourceDefinition') {
          crds.push(asPublishedCrd(value, `${source} document ${index + 1}`));
        }
      });
    }
  }
  return crds;
}
