import { Environment } from '@marcbachmann/cel-js';
import {
  aiBackendSchema,
  mcpServerSchema,
  poolSchema,
  USAGE_ANONYMOUS_CONSUMER,
  USAGE_CONSUMER_HEADER,
  USAGE_METRIC_LABELS,
  USAGE_UNKNOWN_LABEL_VALUE,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  RendererRegistry,
  type ManifestBundle,
  type PoolDesiredState,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { createManifestSchemaValidator } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AgentgatewayRenderer } from './AgentgatewayRenderer';
import { MAX_EXPRESSION_LENGTH } from './attribution';

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const render = (state: PoolDesiredState): ManifestBundle =>
  registry.renderBundle(state, {
    controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
  });

/**
 * CEL as agentgateway evaluates metric attributes: undeclared variables and
 * missing keys are errors, and its `coalesce` (crates/celx/src/general.rs)
 * returns the first argument that evaluates to a non-null value, skipping
 * errors. A label whose expression fails, or is not a string, is `unknown`.
 */
const cel = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
});
for (const arity of [2, 3, 4]) {
  cel.registerFunction(
    `coalesce(${Array(arity).fill('ast').join(', ')}): dyn`,
    ({ args }: { args: unknown[] }) => ({
      args,
      typeCheck(
        checker: {
          check(node: unknown, ctx: unknown): unknown;
          getType(name: string): unknown;
        },
        macro: { args: unknown[] },
        ctx: unknown,
      ) {
        macro.args.forEach(arg => checker.check(arg, ctx));
        return checker.getType('dyn');
      },
      evaluate(evaluator: any, macro: { args: unknown[] }, ctx: unknown) {
        for (const arg of macro.args) {
          try {
            const value = evaluator.run(arg, ctx);
            if (value !== null && value !== undefined) return value;
          } catch {
            // an error: agentgateway's coalesce moves on
          }
        }
        return null;
      },
    }),
  );
}
const labelValue = (expression: string, request: object): string => {
  try {
    const value = cel.evaluate(expression, request);
    return typeof value === 'string' ? value : USAGE_UNKNOWN_LABEL_VALUE;
  } catch {
    return USAGE_UNKNOWN_LABEL_VALUE;
  }
};

const pool = poolSchema.parse({
  name: 'shared',
  project: 'platform',
  cluster: { name: 'prod', type: 'eks' },
  namespace: 'ai-gateway',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai-gateway.example.com' },
  ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
});
const github = mcpServerSchema.parse({
  name: 'github',
  project: 'payments',
  pool: 'shared',
  prefix: 'gh',
  source: { type: 'remote', url: 'https://api.githubcopilot.com/mcp/' },
});
const llm = aiBackendSchema.parse({
  name: 'llm',
  project: 'search',
  pool: 'shared',
  spec: {
    kind: 'ai',
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            credentialsSecretRef: { name: 'openai', key: 'api-key' },
          },
        ],
      },
    ],
    models: ['gpt-4o'],
  },
});
const projects = [
  { name: 'platform', owner: 'group:default/platform-team' },
  { name: 'payments', owner: 'group:default/team-payments' },
  { name: 'search', owner: 'group:search/team-search' },
];
const state: PoolDesiredState = {
  pool,
  mcpServers: [github],
  aiBackends: [llm],
  policies: [],
  projects,
};

function attribution(bundle: ManifestBundle) {
  const policy = bundle.objects.find(
    o =>
      o.kind === 'AgentgatewayPolicy' &&
      o.metadata.name === 'shared-usage-attribution',
  ) as any;
  if (!policy) throw new Error('no usage attribution policy rendered');
  const add: Array<{ name: string; expression: string }> =
    policy.spec.frontend.metrics.attributes.add;
  return {
    policy,
    names: add.map(a => a.name),
    expression: (label: string) => add.find(a => a.name === label)!.expression,
  };
}

/** The labels a request gets: the route it was served by, its JWT claims, API key and headers. */
const labelsOf = (
  bundle: ManifestBundle,
  request: {
    route?: string;
    jwt?: object;
    apiKey?: object;
    headers?: Record<string, string>;
  },
) => {
  const { expression } = attribution(bundle);
  const context = {
    proxy: request.route
      ? { route: { namespace: 'ai-gateway', name: request.route } }
      : {},
    request: { headers: request.headers ?? {} },
    ...(request.jwt ? { jwt: request.jwt } : {}),
    ...(request.apiKey ? { apiKey: request.apiKey } : {}),
  };
  return {
    project: labelValue(expression(USAGE_METRIC_LABELS.project), context),
    team: labelValue(expression(USAGE_METRIC_LABELS.team), context),
    consumer: labelValue(expression(USAGE_METRIC_LABELS.consumer), context),
  };
};

describe('usage attribution', () => {
  it('adds project, team and consumer to every metric of the Gateway, as the CRD accepts', () => {
    const bundle = render(state);
    const { policy, names } = attribution(bundle);
    expect(policy.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared' },
    ]);
    expect(names).toEqual(['project', 'team', 'consumer']);
    const validator = createManifestSchemaValidator();
    expect(validator.validate(policy)).toEqual([]);
    // The schema does look at these fields: an empty expression is refused.
    const broken = structuredClone(policy);
    broken.spec.frontend.metrics.attributes.add[0].expression = '';
    expect(validator.validate(broken)).not.toEqual([]);
    expect(bundle.warnings).toEqual([]);
  });

  it('counts each route for the project of its MCP server or AI backend and that project owner', () => {
    const bundle = render(state);
    expect(labelsOf(bundle, { route: 'mcp-github' })).toMatchObject({
      project: 'payments',
      team: 'group:default/team-payments',
    });
    expect(labelsOf(bundle, { route: 'ai-llm' })).toMatchObject({
      project: 'search',
      team: 'group:search/team-search',
    });
    // No route matched (a 404), or a route the pool does not know: the pool's own project.
    for (const route of [undefined, 'somebody-elses-route']) {
      expect(labelsOf(bundle, { route })).toMatchObject({
        project: 'platform',
        team: 'group:default/platform-team',
      });
    }
  });

  it('names the consumer from the JWT subject, then the API key, then the header, else anonymous', () => {
    const bundle = render(state);
    const consumer = (request: Parameters<typeof labelsOf>[1]) =>
      labelsOf(bundle, { route: 'ai-llm', ...request }).consumer;
    const header = { [USAGE_CONSUMER_HEADER]: 'billing-batch' };
    expect(
      consumer({ jwt: { sub: 'user:default/alice' }, headers: header }),
    ).toBe('user:default/alice');
    expect(consumer({ jwt: { iss: 'no-subject' }, headers: header })).toBe(
      'billing-batch',
    );
    expect(
      consumer({ apiKey: { consumer: 'etl-service' }, headers: header }),
    ).toBe('etl-service');
    expect(consumer({ headers: header })).toBe('billing-batch');
    expect(
      consumer({ headers: { [USAGE_CONSUMER_HEADER]: 'not a name {}' } }),
    ).toBe(USAGE_ANONYMOUS_CONSUMER);
    expect(
      consumer({ headers: { [USAGE_CONSUMER_HEADER]: 'x'.repeat(129) } }),
    ).toBe(USAGE_ANONYMOUS_CONSUMER);
    expect(consumer({})).toBe(USAGE_ANONYMOUS_CONSUMER);
  });

  it('follows a change of a project owner into the rendered team label and the revision', () => {
    const before = render(state);
    const after = render({
      ...state,
      projects: projects.map(p =>
        p.name === 'payments'
          ? { ...p, owner: 'group:default/team-checkout' }
          : p,
      ),
    });
    expect(labelsOf(after, { route: 'mcp-github' }).team).toBe(
      'group:default/team-checkout',
    );
    expect(labelsOf(after, { route: 'ai-llm' }).team).toBe(
      'group:search/team-search',
    );
    expect(after.revision).not.toBe(before.revision);
  });

  it('is deterministic whatever order projects, servers and backends come in', () => {
    const reversed = render({
      ...state,
      projects: [...projects].reverse(),
      mcpServers: [...state.mcpServers].reverse(),
    });
    expect(reversed.revision).toBe(render(state).revision);
  });

  it('says when a project owner is unknown, and counts its traffic for team unknown', () => {
    const bundle = render({
      ...state,
      projects: projects.filter(p => p.name !== 'search'),
    });
    expect(labelsOf(bundle, { route: 'ai-llm' }).team).toBe(
      USAGE_UNKNOWN_LABEL_VALUE,
    );
    expect(bundle.warnings).toEqual([
      'usage attribution: the owner of project search is not known; its traffic is counted for team unknown',
    ]);
    // A tool that renders without projects gets the labels, without the warning.
    const { projects: _, ...withoutProjects } = state;
    expect(render(withoutProjects).warnings).toEqual([]);
  });

  it('falls back to the pool project, and says so, when the routes do not fit in one expression', () => {
    const servers = Array.from({ length: 400 }, (_, i) =>
      mcpServerSchema.parse({
        ...github,
        name: `server-with-a-rather-long-name-${i}`,
        prefix: `p${i}`,
        project: 'payments',
      }),
    );
    const bundle = render({ ...state, mcpServers: servers });
    const { expression } = attribution(bundle);
    expect(expression('project')).toBe('"platform"');
    expect(expression('team').length).toBeLessThanOrEqual(
      MAX_EXPRESSION_LENGTH,
    );
    expect(bundle.warnings).toEqual([
      expect.stringContaining(
        'all traffic of pool shared is counted for its own project platform',
      ),
    ]);
  });
});
