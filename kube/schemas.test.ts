import fc from 'fast-check';
import { desiredStateArbitrary } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  KubernetesApplier,
  RendererRegistry,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AgentgatewayRenderer } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { createNamespace, kubeConfigOf } from './harness/cluster';

jest.setTimeout(600_000);

const renderer = new AgentgatewayRenderer();
const registry = new RendererRegistry([renderer]);
const NAMESPACE = 'aigw-schemas';

/**
 * The real API server is the judge of every object the renderer can produce:
 * generated pools (every delivery mode, ingress kind, TLS mode, Redis mode,
 * MCP servers, AI backends and policies) are rendered and sent with
 * server-side dry run and `fieldValidation=Strict`, so built-in schemas, the
 * published CRDs' OpenAPI schemas and CEL rules, and admission all apply and
 * nothing is stored.
 */
describe('rendered bundles against the real API server', () => {
  const applier = () =>
    new KubernetesApplier(kubeConfigOf(), { namespace: NAMESPACE });

  beforeAll(async () => {
    await createNamespace(NAMESPACE);
  });

  it('accepts every object of 120 generated bundles, and every kind the renderer manages was sent', async () => {
    const states = fc.sample(
      desiredStateArbitrary({ mcpServers: 5, aiBackends: 4, policies: 5 }),
      { numRuns: 120, seed: 12 },
    );
    const kinds = new Map<string, number>();
    const rejected: string[] = [];
    for (const state of states) {
      const bundle = registry.renderBundle(state, {
        controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
      });
      // The Namespace of a bundle is the pool's, which the installer creates.
      const objects = bundle.objects.filter(
        o => o.kind !== 'Namespace',
      ) as ManifestObject[];
      const result = await applier().apply(objects, {
        dryRun: true,
        attempts: 2,
        concurrency: 16,
        // Keep going past a failed wave: report every rejection, not the first.
        continueOnFailure: true,
      });
      for (const f of result.failed)
        rejected.push(`${state.pool.name} ${f.ref}: ${f.code} ${f.message}`);
      for (const o of result.applied) {
        const key = `${o.apiVersion} ${o.kind}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      }
    }
    expect(rejected).toEqual([]);
    expect([...kinds.keys()].sort()).toEqual(
      renderer.managedKinds
        .filter(k => k.kind !== 'Namespace')
        .map(k => `${k.apiVersion} ${k.kind}`)
        .sort(),
    );
  });

  it('refuses what it should, with its own Status messages (so the check above can fail)', async () => {
    const result = await applier().apply(
      [
        {
          apiVersion: 'agentgateway.dev/v1alpha1',
          kind: 'AgentgatewayBackend',
          metadata: { name: 'unknown-field' },
          spec: { mcp: { targets: [] }, surprise: true },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'bad-hostname' },
          spec: { hostnames: ['Not A Host'] },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'unknown-top-level' },
          data: { a: 'b' },
          extra: 'x',
        },
      ] as ManifestObject[],
      { dryRun: true, attempts: 1, continueOnFailure: true },
    );
    expect(result.applied).toEqual([]);
    const byRef = Object.fromEntries(
      result.failed.map(f => [f.ref, `${f.code} ${f.message}`]),
    );
    expect(byRef).toEqual({
      // The API server's answer to an apply with an unknown field is a 500.
      'AgentgatewayBackend/unknown-field':
        '500 failed to create typed patch object (aigw-schemas/unknown-field; agentgateway.dev/v1alpha1, Kind=AgentgatewayBackend): .spec.surprise: field not declared in schema',
      'HTTPRoute/bad-hostname': expect.stringMatching(
        /^422 .*spec.hostnames\[0\]/,
      ),
      'ConfigMap/unknown-top-level':
        '500 failed to create typed patch object (aigw-schemas/unknown-top-level; /v1, Kind=ConfigMap): .extra: field not declared in schema',
    });
  });
});
