import fc from 'fast-check';
import {
  createManifestSchemaValidator,
  desiredStateArbitrary,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { RendererRegistry } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AgentgatewayRenderer } from './AgentgatewayRenderer';

jest.setTimeout(120_000);

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const validator = createManifestSchemaValidator();

describe('agentgateway bundles against the real schemas', () => {
  it('renders only objects that kubernetes-models, @kubernetes-models/* and the agentgateway CRDs (CEL included) accept', () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(
        desiredStateArbitrary({ mcpServers: 5, aiBackends: 4, policies: 5 }),
        state => {
          const bundle = registry.renderBundle(state, {
            controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
          });
          const problems = bundle.objects.flatMap(o => validator.validate(o));
          for (const o of bundle.objects)
            kinds.set(
              `${o.apiVersion} ${o.kind}`,
              (kinds.get(`${o.apiVersion} ${o.kind}`) ?? 0) + 1,
            );
          if (problems.length)
            throw new Error(problems.slice(0, 10).join('\n'));
        },
      ),
      { numRuns: 300 },
    );
    // Every kind the renderer can produce was generated and validated.
    expect([...kinds.keys()].sort()).toEqual(
      new AgentgatewayRenderer().managedKinds
        .map(k => `${k.apiVersion} ${k.kind}`)
        .sort(),
    );
    expect(validator.skippedCelRules).toEqual([]);
  });
});

describe('the schema check itself', () => {
  it('catches a broken object of each family (so the property above can fail)', () => {
    const state = fc.sample(desiredStateArbitrary(), {
      numRuns: 1,
      seed: 42,
    })[0];
    const bundle = registry.renderBundle(
      {
        ...state,
        pool: {
          ...state.pool,
          delivery: { mode: 'agent' },
          serviceAccount: undefined,
        },
      },
      { controlPlaneUrl: 'https://portal.example.com/api/ai-gateway' },
    );
    const broken = (kind: string, mutate: (spec: any) => void) => {
      const o = structuredClone(bundle.objects.find(x => x.kind === kind)!);
      mutate(o.spec ?? o);
      return validator.validate(o);
    };
    expect(broken('Gateway', s => (s.listeners[0].port = 'https'))).not.toEqual(
      [],
    );
    expect(broken('Deployment', s => (s.replicas = 'one'))).not.toEqual([]);
    expect(broken('AgentgatewayParameters', s => (s.replicas = 3))).not.toEqual(
      [],
    );
    expect(
      broken('HorizontalPodAutoscaler', s => delete s.maxReplicas),
    ).not.toEqual([]);
    expect(broken('Role', s => (s.rules[0].verbs = 'get'))).not.toEqual([]);
  });
});
