import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import aiGatewayPlugin from '@ai-gateway-backstage/plugin-ai-gateway-backend';
import aiGatewayAgentgatewayModule from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { AI_GATEWAY_CHANGES_TOPIC } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import request from 'supertest';
import { testDatabase } from './__testUtils__/testDatabase';
import { catalogModuleAiGateway } from './module';
import { eventually } from './__testUtils__/eventually';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * The scheduled full sync is what repairs drift: changes whose delta never
 * reached the catalog (a lost event) and entities removed from the catalog
 * behind the provider's back. Real catalog, real control plane; the
 * scheduler is the test scheduler, so the sync runs exactly when triggered.
 */
describe.each(databases.eachSupportedId())(
  'scheduled full sync on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let database: Awaited<ReturnType<typeof testDatabase>>;
    /** The catalog's scheduler: the test scheduler, which runs a task when triggered and returns when it is done. */
    let scheduler: SchedulerService;
    const schedulerOfCatalog = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-scheduler',
      register(reg) {
        reg.registerInit({
          deps: { catalogScheduler: coreServices.scheduler },
          async init({ catalogScheduler }) {
            scheduler = catalogScheduler;
          },
        });
      },
    });
    /** While true, the control plane's change events are dropped on the way to the catalog. */
    let loseChanges = false;
    const auth = {
      Authorization: mockCredentials.user.header('user:default/alice'),
    };

    beforeAll(async () => {
      database = await testDatabase(databases, databaseId);
      // One in-process bus for all plugins, as in a portal, that can lose the control plane's deltas.
      const bus = DefaultEventsService.create({
        logger: mockServices.logger.mock(),
      });
      const lossyEvents = createServiceFactory({
        service: eventsServiceRef,
        deps: { plugin: coreServices.pluginMetadata },
        factory({ plugin }) {
          const events = bus.forPlugin(plugin.getId());
          return {
            publish: async params => {
              if (loseChanges && params.topic === AI_GATEWAY_CHANGES_TOPIC)
                return;
              await events.publish(params);
            },
            subscribe: params => events.subscribe(params),
          };
        },
      });
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          aiGatewayPlugin,
          aiGatewayAgentgatewayModule,
          catalogModuleAiGateway,
          lossyEvents,
          schedulerOfCatalog,
          mockServices.scheduler.factory(),
          mockServices.rootConfig.factory({
            data: {
              backend: { database: database.config },
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['API', 'Resource', 'System', 'Location'] }],
              },
              // Far apart: between start-up and the trigger below, only deltas reach the catalog.
              aiGateway: {
                catalog: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await database?.release();
    });

    const api = () => request(backend.server);
    const post = async (path: string, body: object) => {
      const res = await api()
        .post(`/api/ai-gateway${path}`)
        .set(auth)
        .send(body);
      expect({
        status: res.status,
        body: res.status === 201 ? undefined : res.body,
      }).toEqual({ status: 201, body: undefined });
    };
    const entity = (kind: string, name: string) =>
      api()
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set(auth);
    const mcpServer = (name: string) => ({
      name,
      project: 'payments',
      pool: 'prod',
      prefix: name,
      description: `${name} as created`,
      source: { type: 'remote', url: `https://${name}.example.com/mcp` },
    });

    it('restores what lost deltas and changes behind its back left wrong', async () => {
      await post('/projects', {
        name: 'payments',
        title: 'Payments',
        owner: 'group:default/team-payments',
      });
      await post('/pools', {
        name: 'prod',
        project: 'payments',
        cluster: { name: 'prod-eu', type: 'eks' },
        namespace: 'aigw-prod',
        tls: { mode: 'selfsigned' },
        domains: { baseDomain: 'pay.example.com' },
      });
      await post('/mcp-servers', mcpServer('github'));
      await post('/mcp-servers', mcpServer('jira'));
      await post('/ai-backends', {
        name: 'llm',
        project: 'payments',
        pool: 'prod',
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
        },
      });
      // Deltas are flowing: everything arrives without a full sync.
      await eventually(async () => {
        expect((await entity('api', 'github')).body.metadata?.description).toBe(
          'github as created',
        );
        expect((await entity('api', 'jira')).status).toBe(200);
        expect((await entity('resource', 'llm')).status).toBe(200);
      });

      // Changes whose deltas are lost: an update, a deletion and a creation.
      loseChanges = true;
      const github = (
        await api().get('/api/ai-gateway/mcp-servers/github').set(auth)
      ).body;
      const put = await api()
        .put('/api/ai-gateway/mcp-servers/github')
        .set(auth)
        .send({
          ...github.spec,
          description: 'edited while the catalog was not told',
          version: github.version,
        });
      expect(put.status).toBe(200);
      expect(
        (await api().delete('/api/ai-gateway/ai-backends/llm').set(auth))
          .status,
      ).toBe(200);
      await post('/mcp-servers', mcpServer('slack'));
      // And an entity of the provider removed from the catalog directly.
      const jira = await entity('api', 'jira');
      expect(
        (
          await api()
            .delete(`/api/catalog/entities/by-uid/${jira.body.metadata.uid}`)
            .set(auth)
        ).status,
      ).toBe(204);

      // The catalog has drifted from the control plane.
      expect((await entity('api', 'github')).body.metadata.description).toBe(
        'github as created',
      );
      expect((await entity('resource', 'llm')).status).toBe(200);
      expect((await entity('api', 'slack')).status).toBe(404);
      expect((await entity('api', 'jira')).status).toBe(404);

      // The next scheduled full sync repairs all of it.
      await scheduler.triggerTask('ai-gateway:full-sync');
      await eventually(async () => {
        expect((await entity('api', 'github')).body.metadata?.description).toBe(
          'edited while the catalog was not told',
        );
        expect((await entity('resource', 'llm')).status).toBe(404);
        expect((await entity('api', 'slack')).body.spec?.remotes).toEqual([
          {
            type: 'streamable-http',
            url: 'https://mcp.pay.example.com/slack/mcp',
          },
        ]);
        expect((await entity('api', 'jira')).status).toBe(200);
      });
      // Untouched entities stay.
      expect((await entity('resource', 'prod')).status).toBe(200);
      expect((await entity('system', 'payments')).status).toBe(200);
    });
  },
);
