import {
  type ManifestBundle,
  POOL_STAGE_LABEL,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { strFromU8, unzipSync } from 'fflate';
import { parseAllDocuments } from 'yaml';
import { bootstrapYaml, zipFolder } from './install';

const staged = (kind: string, name: string, stage: string) => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, labels: { [POOL_STAGE_LABEL]: stage } },
});

// Which objects are bootstrap is common's bootstrapObjects (tested there);
// here: what the download holds.
const bundle: ManifestBundle = {
  pool: 'prod',
  namespace: 'aigw',
  renderer: 'agentgateway',
  revision: 'sha256:0123456789abcdef',
  warnings: [],
  kinds: [],
  objects: [
    staged('ServiceAccount', 'aigw-operator', 'bootstrap'),
    staged('Secret', 'aigw-enrollment-token', 'bootstrap'),
    staged('Deployment', 'aigw-operator', 'bootstrap'),
    staged('Gateway', 'prod', 'runtime'),
  ],
};

describe('bootstrap download', () => {
  it('holds the bootstrap objects as YAML kubectl can apply, with the revision in the header', () => {
    const yaml = bootstrapYaml(bundle);
    expect(yaml).toMatch(/^# revision: sha256:0123456789abcdef$/m);
    const docs = parseAllDocuments(yaml).map(d => d.toJS());
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ServiceAccount/aigw-operator',
      'Secret/aigw-enrollment-token',
      'Deployment/aigw-operator',
    ]);
  });
});

describe('GitOps download', () => {
  it('zips every file under the folder with its content', () => {
    const zip = zipFolder(
      {
        'kustomization.yaml': 'resources:\n  - 00-sa.yaml\n',
        '00-sa.yaml': 'kind: ServiceAccount\n',
      },
      'clusters/prod',
    );
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual([
      'clusters/prod/00-sa.yaml',
      'clusters/prod/kustomization.yaml',
    ]);
    expect(strFromU8(entries['clusters/prod/kustomization.yaml'])).toBe(
      'resources:\n  - 00-sa.yaml\n',
    );
  });
});
