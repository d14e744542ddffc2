import type { ManifestBundle } from './api';
import {
  agentInstallCommands,
  bootstrapNames,
  bootstrapObjects,
  gitopsCommitCommand,
  gitopsFolder,
  POOL_STAGE_LABEL,
  tokenCommands,
} from './install';

const object = (kind: string, name: string, stage?: string) => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'aigw',
    labels: (stage ? { [POOL_STAGE_LABEL]: stage } : { other: 'x' }) as Record<
      string,
      string
    >,
  },
});

const bundle: ManifestBundle = {
  pool: 'prod',
  namespace: 'aigw',
  renderer: 'agentgateway',
  revision: 'sha256:0123456789abcdef',
  warnings: [],
  kinds: [],
  objects: [
    object('ServiceAccount', 'aigw-operator', 'bootstrap'),
    object('Secret', 'aigw-enrollment-token', 'bootstrap'),
    object('Deployment', 'aigw-operator', 'bootstrap'),
    object('Gateway', 'prod', 'runtime'),
    object('ConfigMap', 'unlabelled'),
  ],
};

describe('bootstrap of an agent pool', () => {
  it('keeps only the objects labelled for the bootstrap stage, in order', () => {
    expect(bootstrapObjects(bundle).map(o => o.kind)).toEqual([
      'ServiceAccount',
      'Secret',
      'Deployment',
    ]);
  });
  it("names the commands' Secret and Deployment after the bootstrap's objects", () => {
    const names = bootstrapNames(bootstrapObjects(bundle));
    expect(names).toEqual({
      deployment: 'aigw-operator',
      tokenSecret: 'aigw-enrollment-token',
    });
    expect(
      agentInstallCommands({ name: 'prod', namespace: 'aigw' }, names),
    ).toEqual([
      'kubectl create namespace aigw --dry-run=client -o yaml | kubectl apply -f -',
      'kubectl apply -f prod-bootstrap.yaml',
      'kubectl -n aigw patch secret aigw-enrollment-token --type merge -p "{\\"stringData\\":{\\"token\\":\\"$AIGW_ENROLLMENT_TOKEN\\"}}"',
      'kubectl -n aigw rollout status deploy/aigw-operator',
    ]);
  });

  it('leaves out the token and wait commands when the bootstrap has no such objects', () => {
    expect(tokenCommands({ namespace: 'aigw' }, {})).toEqual([]);
  });
});

describe('GitOps folder', () => {
  it("is the pool's delivery.path, else clusters/<pool>", () => {
    expect(
      gitopsFolder({
        name: 'prod',
        delivery: { mode: 'gitops', path: 'fleet/prod/' },
      }),
    ).toBe('fleet/prod');
    expect(gitopsFolder({ name: 'prod', delivery: { mode: 'gitops' } })).toBe(
      'clusters/prod',
    );
  });

  it('is committed from the downloaded archive', () => {
    expect(
      gitopsCommitCommand({
        name: 'prod',
        delivery: { mode: 'gitops', path: 'fleet/prod' },
      }),
    ).toBe(
      'unzip prod-gitops.zip && git add fleet/prod && git commit -m "AI gateway pool prod" && git push',
    );
  });
});
