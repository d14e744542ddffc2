import { parse } from 'yaml';
import { createManifestBundle } from './ManifestBundle';
import { bundleToGitopsFiles } from './gitops';

describe('bundleToGitopsFiles', () => {
  it('writes one file per object in apply order and a kustomization listing them with the revision', () => {
    const bundle = createManifestBundle({
      pool: 'prod',
      namespace: 'ai-gateway',
      renderer: 'agentgateway',
      objects: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'prod', namespace: 'ai-gateway' },
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          metadata: { name: 'prod', namespace: 'ai-gateway' },
        },
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'aigw-operator', namespace: 'ai-gateway' },
        },
      ],
      warnings: ['no response cache'],
    });
    const files = bundleToGitopsFiles(bundle);
    const kustomization = parse(files['kustomization.yaml']);
    expect(kustomization).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'ai-gateway',
      commonAnnotations: {
        'ai-gateway.backstage.io/revision': bundle.revision,
      },
      resources: [
        '1-serviceaccount-core-aigw-operator.yaml',
        '2-gateway-gateway-prod.yaml',
        '3-gateway-networking-prod.yaml',
      ],
    });
    expect(files['kustomization.yaml']).toContain(
      '# warning: no response cache',
    );
    expect(kustomization.resources.map((f: string) => parse(files[f]))).toEqual(
      bundle.objects,
    );
  });
});
