import { stringify } from 'yaml';
import { REVISION_ANNOTATION } from './labels';
import type { ManifestBundle } from './ManifestBundle';

/**
 * The bundle as a kustomize directory for Argo CD or Flux: one file per
 * object (numbered in apply order, so a plain `kubectl apply -f dir/` works
 * too) and a kustomization.yaml that stamps the revision on every object,
 * which is how the operator, in gitops mode, reports what runs.
 *
 * @public
 */
export function bundleToGitopsFiles(
  bundle: ManifestBundle,
): Record<string, string> {
  const files: Record<string, string> = {};
  const width = String(bundle.objects.length).length;
  const resources: string[] = [];
  bundle.objects.forEach((object, i) => {
    const group = object.apiVersion.includes('/')
      ? object.apiVersion.split('/')[0]
      : 'core';
    const file = `${String(i + 1).padStart(
      width,
      '0',
    )}-${object.kind.toLowerCase()}-${group.split('.')[0]}-${
      object.metadata.name
    }.yaml`;
    files[file] = stringify(object, {
      lineWidth: 0,
      aliasDuplicateObjects: false,
    });
    resources.push(file);
  });
  files['kustomization.yaml'] = [
    `# AI Gateway for Backstage: pool ${bundle.pool}, rendered by ${bundle.renderer}.`,
    '# Generated: edit the pool in the portal, not these files.',
    ...bundle.warnings.map(w => `# warning: ${w}`),
    stringify(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: bundle.namespace,
        commonAnnotations: { [REVISION_ANNOTATION]: bundle.revision },
        resources,
      },
      { lineWidth: 0 },
    ),
  ].join('\n');
  return files;
}
