import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPublishedCrds, PublishedCrd } from './crds';

// Parsed once: the shipped CRDs are a few megabytes of YAML.
const crds = loadPublishedCrds();

const servedVersions = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.split('/');
  return crds.filter(
    crd =>
      crd.spec.group === group &&
      crd.spec.names.kind === kind &&
      crd.spec.versions.some(v => v.name === version && v.served),
  );
};

describe('loadPublishedCrds', () => {
  // The custom kinds that the renderers put into bundles.
  it.each([
    ['agentgateway.dev/v1alpha1', 'AgentgatewayBackend'],
    ['agentgateway.dev/v1alpha1', 'AgentgatewayPolicy'],
    ['agentgateway.dev/v1alpha1', 'AgentgatewayParameters'],
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['gateway.networking.k8s.io/v1', 'GatewayClass'],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
    ['cert-manager.io/v1', 'Certificate'],
    ['cert-manager.io/v1', 'Issuer'],
    ['networking.istio.io/v1', 'Gateway'],
    ['networking.istio.io/v1', 'VirtualService'],
    ['traefik.io/v1alpha1', 'IngressRoute'],
    ['route.openshift.io/v1', 'Route'],
  ])('has one CRD serving %s %s', (apiVersion, kind) => {
    expect(servedVersions(apiVersion, kind)).toHaveLength(1);
  });

  it('returns CRDs an API server accepts: unique names, plural.group, one storage version', () => {
    const names = crds.map(crd => crd.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const crd of crds) {
      expect(crd.metadata.name).toBe(
        `${crd.spec.names.plural}.${crd.spec.group}`,
      );
      expect(crd.spec.versions.filter(v => v.storage)).toHaveLength(1);
    }
  });

  it('ships the licence of every third-party project next to its CRDs', () => {
    const root = path.resolve(__dirname, '..', 'crds');
    for (const folder of [
      'gateway-api',
      'cert-manager',
      'istio',
      'traefik',
      'openshift',
    ]) {
      const files = fs.readdirSync(path.join(root, folder));
      expect(files.filter(file => /^LICENSE/.test(file))).toHaveLength(1);
      expect(
        files.filter(file => file.endsWith('.yaml')).length,
      ).toBeGreaterThan(0);
    }
  });

  describe('with another folder', () => {
    let dir: string;
    const crd = (plural: string): PublishedCrd => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.example.com` },
      spec: {
        group: 'example.com',
        names: { kind: plural, plural },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigw-crds-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads every document of every folder in order and leaves other kinds out', () => {
      write(
        'b/multi.yml',
        `${JSON.stringify(crd('bees'))}\n---\n${JSON.stringify({
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: 'p' },
        })}\n---\n${JSON.stringify(crd('bats'))}\n`,
      );
      write('a/one.yaml', JSON.stringify(crd('ants')));
      write('a/notes.json', JSON.stringify(crd('ignored')));
      write('top.yaml', JSON.stringify(crd('ignored-too')));

      expect(
        loadPublishedCrds({ crdDirectory: dir }).map(c => c.metadata.name),
      ).toEqual(['ants.example.com', 'bees.example.com', 'bats.example.com']);
    });

    it('throws naming the file of a YAML error', () => {
      write('a/broken.yaml', 'kind: CustomResourceDefinition\n  spec: [\n');
      expect(() => loadPublishedCrds({ crdDirectory: dir })).toThrow(
        /^a\/broken\.yaml: YAML document 1: /,
      );
    });

    it('throws naming the document of a CRD without versions', () => {
      const withoutVersions = crd('ants');
      delete (withoutVersions.spec as Partial<PublishedCrd['spec']>).versions;
      write(
        'a/crds.yaml',
        `${JSON.stringify(crd('bees'))}\n---\n${JSON.stringify(
          withoutVersions,
        )}\n`,
      );
      expect(() => loadPublishedCrds({ crdDirectory: dir })).toThrow(
        /^a\/crds\.yaml document 2: not an apiextensions\.k8s\.io\/v1 CustomResourceDefinition/,
      );
    });
  });
});
