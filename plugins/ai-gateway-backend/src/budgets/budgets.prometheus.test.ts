import {
  coreServices,
  createServiceFactory,
  type SchedulerService,
  type SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
  createManifestSchemaValidator,
  eventually,
  prometheusAvailable,
  startAgentgatewayMetricsExporter,
  startAiGatewayTestBackend,
  startTestPrometheus,
  type AgentgatewayMetricsExporter,
  type TestPrometheus,
  type SyntheticLlmRequest,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import request from 'supertest';

/**
 * Budgets end to end on a real Prometheus (Debian's, started by
 * the test kit's startTestPrometheus) scraping synthetic agentgateway metrics: known
 * traffic crosses 80 % (one notification to the owners) and then 100 % of a
 * team's budget, and the refusal reaches the bundle the team's pool serves
 * its operator, valid against the CRDs, while another team's pool is left
 * alone; raising the limit lifts it.
 */

jest.setTimeout(180_000);

// In CI the test kit installs Prometheus; elsewhere the test needs it installed.
const runs = prometheusAvailable();
const describeWithPrometheus = runs ? describe : describe.skip;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const PAYMENTS = 'group:default/team-payments';
const RESEARCH = 'group:default/team-research';
const EVALUATION = 'ai-gateway-budget-evaluation';

/** A scheduler whose tasks run when the test says so. */
function manualScheduler(tasks: Map<string, () => Promise<void>>) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory(): SchedulerService {
      const scheduler: SchedulerService = {
        scheduleTask: async task => {
          tasks.set(task.id, () =>
            Promise.resolve(task.fn(new AbortController().signal as any)),
          );
        },
        createScheduledTaskRunner: () => ({
          run: async (task: SchedulerServiceTaskInvocationDefinition) => {
            await scheduler.scheduleTask(task as any);
          },
        }),
        triggerTask: async id => {
          await tasks.get(id)?.();
        },
        getScheduledTasks: async () => [],
        cancelTask: async () => {},
      } as SchedulerService;
      return scheduler;
    },
  });
}

/** One LLM request of a team through its pool's AI backend: 1,000 tokens. */
const requestOf = (
  pool: string,
  project: string,
  team: string,
): SyntheticLlmRequest => ({
  gateway: `aigw-${pool}/${pool}`,
  route: `aigw-${pool}/ai-llm-${project}`,
  project,
  team,
  consumer: 'svc-checkout',
  model: 'gpt-4o',
  inputTokens: 800,
  outputTokens: 200,
});

describeWithPrometheus('budgets on a real Prometheus', () => {
  let exporter: AgentgatewayMetricsExporter;
  let prometheus: TestPrometheus | undefined;
  let prometheusUrl: string;
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  const tasks = new Map<string, () => Promise<void>>();
  const sent: NotificationSendOptions[] = [];
  const tokens: Record<string, string> = {};

  /** Waits until Prometheus has scraped the exporter's current token totals. */
  const scraped = async () => {
    const sample = 'agentgateway_gen_ai_client_token_usage_sum';
    const want = exporter.currentTotal(sample);
    await eventually(
      'Prometheus to scrape the exporter',
      async () => {
        const res = await fetch(
          `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(
            `sum(${sample})`,
          )}`,
        );
        const body = (await res.json()) as any;
        return Number(body.data.result[0]?.value?.[1] ?? 0) === want;
      },
      30_000,
      200,
    );
  };

  /** What the pool's operator pulls now. */
  const bundleOf = async (pool: string) => {
    const res = await request(t.backend.server)
      .get('/api/ai-gateway/agent/v1/bundle')
      .set('Authorization', `Bearer ${tokens[pool]}`);
    expect(res.status).toBe(200);
    return res.body as { revision: string; objects: any[] };
  };
  const budgetPolicies = (bundle: { objects: any[] }) =>
    bundle.objects.filter(
      o =>
        o.kind === 'AgentgatewayPolicy' &&
        o.metadata.labels?.['ai-gateway.backstage.io/budget'],
    );

  beforeAll(async () => {
    exporter = await startAgentgatewayMetricsExporter();
    prometheus = await startTestPrometheus({ targets: [exporter.target] });
    prometheusUrl = prometheus.url;
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: {
        aiGateway: {
          metrics: { prometheus: { url: prometheusUrl }, minStepSeconds: 1 },
        },
      },
      features: [
        manualScheduler(tasks),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: NotificationSendOptions) => {
              sent.push(options);
            },
          }),
        }),
      ],
    });
    for (const [project, owner] of [
      ['payments', PAYMENTS],
      ['research', RESEARCH],
    ]) {
      await t.api('admin').create('/projects', aProject(project, owner));
    }
    for (const [pool, project, user] of [
      ['pay', 'payments', 'payments'],
      ['lab', 'research', 'research'],
    ] as const) {
      const created = await t.api(user).create('/pools', aPool(pool, project));
      tokens[pool] = created.body.enrollmentToken;
      await t
        .api(user)
        .create('/ai-backends', anAiBackend(`llm-${project}`, project, pool));
    }
    await t
      .api('payments')
      .create('/mcp-servers', anMcpServer('github', 'payments', 'pay'));
  }, 360_000);

  afterAll(async () => {
    await t?.backend.stop();
    await prometheus?.stop();
    await exporter?.close();
  });

  it('notifies the owners once at 80 %, refuses exactly the team’s pool at 100 %, and lifts it when the limit is raised', async () => {
    const created = await t.api('admin').post('/budgets', {
      name: 'payments-monthly',
      scope: { kind: 'team', name: PAYMENTS },
      window: 'monthly',
      limit: { tokens: 10_000 },
    });
    expect(created.status).toBe(201);
    const evaluate = async () => {
      await tasks.get(EVALUATION)!();
    };
    const state = async () =>
      (await t.api('payments').get('/budgets/payments-monthly/state')).body;
    const before = await bundleOf('pay');
    const otherBefore = await bundleOf('lab');

    // 7 requests of 1,000 tokens (70 %), and the other team spending 50,000.
    for (let i = 0; i < 7; i++) {
      exporter.recordLlmRequest(requestOf('pay', 'payments', PAYMENTS));
    }
    for (let i = 0; i < 50; i++) {
      exporter.recordLlmRequest(requestOf('lab', 'research', RESEARCH));
    }
    await scraped();
    await evaluate();
    expect(await state()).toMatchObject({ spent: 7000, limit: 10_000 });
    expect(sent).toEqual([]);

    // 80 %: one notification to the team, not repeated by the next run.
    exporter.recordLlmRequest(requestOf('pay', 'payments', PAYMENTS));
    await scraped();
    await evaluate();
    await evaluate();
    expect(await state()).toMatchObject({
      spent: 8000,
      notifiedThresholds: [0.8],
    });
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: PAYMENTS },
      }),
    ]);
    expect(budgetPolicies(await bundleOf('pay'))).toEqual([]);

    // 100 %: the team's pool refuses its AI backend and MCP server.
    exporter.recordLlmRequest(requestOf('pay', 'payments', PAYMENTS));
    exporter.recordLlmRequest(requestOf('pay', 'payments', PAYMENTS));
    await scraped();
    await evaluate();
    expect((await state()).exceededSince).toEqual(expect.any(String));
    const refused = await bundleOf('pay');
    expect(refused.revision).not.toBe(before.revision);
    const [refusal, ...more] = budgetPolicies(refused);
    expect(more).toEqual([]);
    expect(refusal.spec.targetRefs.map((r: any) => r.name).sort()).toEqual([
      'ai-llm-payments',
      'mcp-github',
    ]);
    expect(refusal.spec.traffic.directResponse.status).toBe(429);
    const validator = createManifestSchemaValidator();
    expect(refused.objects.flatMap(o => validator.validate(o))).toEqual([]);
    expect(validator.skippedCelRules).toEqual([]);
    // The other team's pool is not touched.
    expect((await bundleOf('lab')).revision).toBe(otherBefore.revision);
    // One notification more (spent), none repeated.
    expect(sent).toHaveLength(2);

    // Raising the limit above the spend lifts the refusal at the next run.
    const current = await t.api('admin').get('/budgets/payments-monthly');
    const raised = await t.api('admin').put('/budgets/payments-monthly', {
      ...current.body.spec,
      limit: { tokens: 20_000 },
      version: current.body.version,
    });
    expect(raised.status).toBe(200);
    await evaluate();
    expect(budgetPolicies(await bundleOf('pay'))).toEqual([]);
  });
});
