import {
  coreServices,
  createServiceFactory,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import net from 'node:net';
import {
  startSdkMcpServer,
  type SdkMcpServer,
} from './__testUtils__/startSdkMcpServer';

/**
 * The live contract of MCP servers end to end: a real MCP server of the
 * official SDK whose tool list the test changes, checked from the REST API
 * (as the caller) and by the scheduled drift check, with the drift in the
 * server's event log and one notification to the project's owners.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const PAYMENTS = 'group:default/team-payments';
const CHECK_TASK = 'ai-gateway-mcp-contract-check';

/** A scheduler whose tasks run when the test says so. */
function manualScheduler(tasks: Map<string, () => Promise<void>>) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        scheduleTask: async (task: any) => {
          tasks.set(task.id, () => Promise.resolve(task.fn()));
        },
        createScheduledTaskRunner: () => ({ run: async () => {} }),
        triggerTask: async (id: string) => {
          await tasks.get(id)?.();
        },
        getScheduledTasks: async () => [],
        cancelTask: async () => {},
      } as unknown as SchedulerService),
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('MCP server contracts', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let mcp: SdkMcpServer;
  let guarded: SdkMcpServer;
  const tasks = new Map<string, () => Promise<void>>();
  const sent: NotificationSendOptions[] = [];

  beforeAll(async () => {
    mcp = await startSdkMcpServer({
      tools: [
        {
          name: 'search',
          description: 'Searches the docs',
          annotations: { readOnlyHint: true, openWorldHint: false },
        },
      ],
    });
    guarded = await startSdkMcpServer({
      tools: [{ name: 'echo', description: 'Echoes' }],
      requireAuthorization: 'Bearer gateway-token',
    });
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: { aiGateway: { contracts: { timeout: { seconds: 3 } } } },
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
    await t.api('admin').create('/projects', aProject('payments', PAYMENTS));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
    const remote = (url: string) => ({ source: { type: 'remote', url } });
    await t
      .api('payments')
      .create(
        '/mcp-servers',
        anMcpServer('docs', 'payments', 'prod', remote(mcp.url)),
      );
    await t
      .api('payments')
      .create(
        '/mcp-servers',
        anMcpServer('guarded', 'payments', 'prod', remote(guarded.url)),
      );
    await t
      .api('payments')
      .create(
        '/mcp-servers',
        anMcpServer(
          'offline',
          'payments',
          'prod',
          remote(`http://127.0.0.1:${await closedPort()}/mcp`),
        ),
      );
  });

  afterAll(async () => {
    await t?.backend.stop();
    await mcp?.close();
    await guarded?.close();
  });

  const eventsOf = async (server: string) =>
    (await t.api('payments').get(`/mcp-servers/${server}/events`)).body
      .items as Array<{ action: string; actor: string; message?: string }>;

  it('records a snapshot on a check, keeps its hash, and finds the drift of the scheduled check', async () => {
    const none = await t.api('payments').get('/mcp-servers/docs/contract');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ server: 'docs', previous: [], changes: [] });

    const first = await t
      .api('payments')
      .post('/mcp-servers/docs/contract/check');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      server: 'docs',
      changed: true,
      snapshot: {
        hash: expect.stringMatching(/^sha256:/),
        riskClass: 'read-only',
        destructiveTools: [],
        contract: {
          tools: [
            {
              name: 'search',
              annotations: { readOnlyHint: true, openWorldHint: false },
            },
          ],
          resources: [{ uri: 'test://readme' }],
          prompts: [{ name: 'summarize' }],
        },
      },
      previous: [],
      changes: [],
    });
    expect(first.body.error).toBeUndefined();
    const audit = t.auditEvents.filter(
      e => e.meta?.actionType === 'contract-check',
    );
    expect(audit.map(e => [e.meta?.name, e.outcome])).toEqual([
      ['docs', 'success'],
    ]);

    const second = await t
      .api('payments')
      .post('/mcp-servers/docs/contract/check');
    expect(second.body.changed).toBe(false);
    expect(second.body.snapshot.hash).toBe(first.body.snapshot.hash);
    expect((await eventsOf('docs')).map(e => e.action)).toEqual([
      'contract-recorded',
      'created',
    ]);

    // The server changes: a tool without annotations (destructive by the
    // MCP defaults) appears and a description changes.
    mcp.tools = [
      {
        name: 'search',
        description: 'Searches the docs and the wiki',
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      { name: 'delete-page', description: 'Deletes a page' },
    ];
    await tasks.get(CHECK_TASK)!();

    const drifted = await t.api('payments').get('/mcp-servers/docs/contract');
    expect(drifted.status).toBe(200);
    expect(drifted.body.snapshot).toMatchObject({
      riskClass: 'destructive',
      destructiveTools: ['delete-page'],
    });
    expect(drifted.body.snapshot.hash).not.toBe(first.body.snapshot.hash);
    expect(drifted.body.previous).toEqual([
      {
        hash: first.body.snapshot.hash,
        riskClass: 'read-only',
        observedAt: first.body.snapshot.observedAt,
      },
    ]);
    expect(drifted.body.changes).toEqual([
      { type: 'tool-added', tool: 'delete-page' },
      { type: 'tool-description-changed', tool: 'search' },
    ]);
    const [drift] = await eventsOf('docs');
    expect(drift).toMatchObject({
      action: 'contract-drift',
      actor: 'ai-gateway:contract-check',
      message: expect.stringContaining(
        'risk class read-only -> destructive): tool delete-page added; tool search: description changed',
      ),
    });

    // Exactly one notification, to the project's owners.
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: PAYMENTS },
        payload: expect.objectContaining({
          title: 'MCP server docs has a new destructive tool',
          severity: 'high',
          topic: 'ai-gateway-mcp-contract',
        }),
      },
    ]);
    // Checking again changes nothing and notifies no one.
    await tasks.get(CHECK_TASK)!();
    expect(sent).toHaveLength(1);
    expect(
      (await eventsOf('docs')).filter(e => e.action === 'contract-drift'),
    ).toHaveLength(1);
  });

  it('answers an unreachable server with its error, not a failure', async () => {
    const res = await t
      .api('payments')
      .post('/mcp-servers/offline/contract/check');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      server: 'offline',
      changed: false,
      lastCheckedAt: expect.any(String),
      error: expect.stringMatching(
        /^Could not connect to the MCP server at http:\/\/127\.0\.0\.1:\d+\/mcp/,
      ),
      previous: [],
      changes: [],
    });
  });

  it("passes the caller's X-MCP-Authorization to the server, and keeps it nowhere", async () => {
    const without = await t
      .api('payments')
      .post('/mcp-servers/guarded/contract/check');
    expect(without.status).toBe(200);
    expect(without.body.error).toMatch(
      /HTTP 401, the server wants credentials/,
    );

    const withToken = await t
      .api('payments')
      .post('/mcp-servers/guarded/contract/check')
      .set('X-MCP-Authorization', 'Bearer gateway-token');
    expect(withToken.status).toBe(200);
    expect(withToken.body.error).toBeUndefined();
    expect(withToken.body.snapshot.contract.tools).toEqual([
      expect.objectContaining({ name: 'echo' }),
    ]);
    expect(guarded.authorizations).toContain('Bearer gateway-token');
    expect(
      JSON.stringify(
        t.auditEvents.map(e => ({ meta: e.meta, result: e.resultMeta })),
      ),
    ).not.toContain('gateway-token');
    expect(JSON.stringify(await eventsOf('guarded'))).not.toContain(
      'gateway-token',
    );
  });

  it('hides the contract of a server the caller cannot see', async () => {
    expect(
      (await t.api('research').get('/mcp-servers/docs/contract')).status,
    ).toBe(404);
    const check = await t
      .api('research')
      .post('/mcp-servers/docs/contract/check');
    expect(check.status).toBe(404);
    expect(
      (await t.api('payments').get('/mcp-servers/nope/contract')).status,
    ).toBe(404);
  });
});
