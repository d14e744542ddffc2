import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import aiGatewayPlugin from '@ai-gateway-backstage/plugin-ai-gateway-backend';
import aiGatewayAgentgatewayModule from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { testDatabase } from './__testUtils__/testDatabase';
import { catalogModuleAiGateway } from './module';
import { eventually } from './__testUtils__/eventually';

/** Hand-written entities of the suite's types, as a team would commit them. */
const handWritten = `
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: team-search }
spec:
  type: mcp-server
  lifecycle: experimental
  owner: group:default/team-payments
  definition: see remotes
  remotes: [{ type: streamable-http, url: 'https://search.example.com/mcp' }]
  dependsOn: [resource:default/prod]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: broken-mcp }
spec:
  type: mcp-server
  lifecycle: experimental
  owner: group:default/team-payments
  definition: see remotes
  remotes: [{ type: websocket, url: 'https://broken.example.com/mcp' }]
---
# An MCP registry entry: where it runs is in its server.json.
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: docs-search-mcp }
spec:
  type: mcp-server
  lifecycle: production
  owner: group:default/team-payments
  definition: |
    name: io.example.docs/search
    description: Searches the engineering handbook.
    version: 2.1.0
    remotes:
      - type: streamable-http
        url: https://docs-mcp.example.com/mcp
`;

/** Collects the catalog's processing errors (published on the events service). */
const processingErrors: Array<{
  entity: string;
  errors: Array<{ message: string }>;
}> = [];
const catalogErrorsCollector = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-errors',
  register(reg) {
    reg.registerInit({
      deps: { events: eventsServiceRef, logger: coreServices.logger },
      async init({ events }) {
        await events.subscribe({
          id: 'test-errors',
          topics: ['experimental.catalog.errors'],
          onEvent: async ({ eventPayload }) => {
            processingErrors.push(
              eventPayload as (typeof processingErrors)[number],
            );
          },
        });
      },
    });
  },
});

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * The real catalog backend with this module and the real control plane:
 * objects created through the REST API become entities, changes and
 * deletions follow as deltas.
 */
describe.each(databases.eachSupportedId())(
  'catalogModuleAiGateway on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let database: Awaited<ReturnType<typeof testDatabase>>;
    const auth = {
      Authorization: mockCredentials.user.header('user:default/alice'),
    };

    beforeAll(async () => {
      // Errors seen on the other database must not count for this one.
      processingErrors.length = 0;
      database = await testDatabase(databases, databaseId);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-catalog-'));
      const location = path.join(dir, 'catalog-info.yaml');
      writeFileSync(location, handWritten);
      backend = await startTestBackend({
        features: [
          catalogErrorsCollector,
          catalogPlugin,
          aiGatewayPlugin,
          aiGatewayAgentgatewayModule,
          catalogModuleAiGateway,
          // The real events service: one bus shared by all plugins, as in a portal.
          eventsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: { database: database.config },
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['API', 'Resource', 'System', 'Location'] }],
                locations: [{ type: 'file', target: location }],
              },
              aiGateway: {
                catalog: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 1 },
                    initialDelay: { seconds: 0 },
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
    const post = async (resourcePath: string, body: object) => {
      const res = await api()
        .post(`/api/ai-gateway${resourcePath}`)
        .set(auth)
        .send(body);
      expect({
        status: res.status,
        body: res.status === 201 ? undefined : res.body,
      }).toEqual({ status: 201, body: undefined });
      return res.body;
    };
    const entity = (kind: string, name: string) =>
      api()
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set(auth);

    it('emits projects, pools, MCP servers and AI backends as entities and follows changes', async () => {
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
      await post('/mcp-servers', {
        name: 'github',
        project: 'payments',
        pool: 'prod',
        prefix: 'github',
        source: { type: 'remote', url: 'https://gh.example.com/mcp' },
      });
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

      await eventually(async () => {
        const res = await entity('api', 'github');
        expect(res.status).toBe(200);
        expect(res.body.spec).toMatchObject({
          type: 'mcp-server',
          system: 'payments',
          owner: 'group:default/team-payments',
          remotes: [
            {
              type: 'streamable-http',
              url: 'https://mcp.pay.example.com/github/mcp',
            },
          ],
        });
        expect(res.body.relations).toEqual(
          expect.arrayContaining([
            { type: 'ownedBy', targetRef: 'group:default/team-payments' },
            { type: 'partOf', targetRef: 'system:default/payments' },
          ]),
        );
      });

      // Dependents are emitted before their pool and project: each of
      // these is processed and stitched on its own schedule.
      await eventually(async () => {
        const pool = await entity('resource', 'prod');
        expect(pool.body.spec).toMatchObject({
          type: 'ai-gateway-pool',
          system: 'payments',
          owner: 'group:default/team-payments',
        });
        expect(pool.body.metadata.annotations).toMatchObject({
          'backstage.io/kubernetes-id': 'prod',
          'backstage.io/kubernetes-namespace': 'aigw-prod',
          'backstage.io/kubernetes-label-selector':
            'ai-gateway.backstage.io/pool=prod',
        });
        const system = await entity('system', 'payments');
        expect(system.body.spec.owner).toBe('group:default/team-payments');
        const llm = await entity('resource', 'llm');
        expect(llm.body.spec).toMatchObject({
          type: 'ai-backend',
          dependsOn: ['resource:default/prod'],
        });
        expect(llm.body.relations).toEqual(
          expect.arrayContaining([
            { type: 'dependsOn', targetRef: 'resource:default/prod' },
          ]),
        );
      });

      // An update of the pool's domains reaches the MCP server's URL.
      const current = (await api().get('/api/ai-gateway/pools/prod').set(auth))
        .body;
      const put = await api()
        .put('/api/ai-gateway/pools/prod')
        .set(auth)
        .send({
          ...current.spec,
          domains: { baseDomain: 'payments.example.com' },
          version: current.version,
        });
      expect(put.status).toBe(200);
      await eventually(async () => {
        const res = await entity('api', 'github');
        expect(res.body.spec.remotes[0].url).toBe(
          'https://mcp.payments.example.com/github/mcp',
        );
      });

      // A deleted object's entity disappears.
      expect(
        (await api().delete('/api/ai-gateway/mcp-servers/github').set(auth))
          .status,
      ).toBe(200);
      await eventually(async () => {
        expect((await entity('api', 'github')).status).toBe(404);
      });
      expect((await entity('resource', 'prod')).status).toBe(200);
    });

    it("checks hand-written entities of the suite's types and relates MCP servers to their pools", async () => {
      await eventually(async () => {
        const res = await entity('api', 'team-search');
        expect(res.status).toBe(200);
        expect(res.body.relations).toEqual(
          expect.arrayContaining([
            { type: 'dependsOn', targetRef: 'resource:default/prod' },
          ]),
        );
      });
      await eventually(async () => {
        expect((await entity('api', 'docs-search-mcp')).status).toBe(200);
      });
      // The control plane offers it as an entry of its "catalog" source,
      // read from this catalog as the user.
      const entries = await api()
        .get('/api/ai-gateway/mcp-registry/sources/catalog/servers')
        .set(auth);
      expect(entries.status).toBe(200);
      expect(
        entries.body.servers.map((e: any) => [e.server.name, e.importable]),
      ).toEqual([['io.example.docs/search', true]]);
      // team-search is no server.json (broken-mcp never entered the catalog).
      expect(entries.body.invalid).toBe(1);
      await eventually(async () => {
        const broken = processingErrors.find(
          e => e.entity === 'api:default/broken-mcp',
        );
        expect(broken?.errors.map(e => e.message).join()).toMatch(
          /spec\.remotes\[0\]\.type: must be one of: streamable-http, sse/,
        );
      });
    });
  },
);
