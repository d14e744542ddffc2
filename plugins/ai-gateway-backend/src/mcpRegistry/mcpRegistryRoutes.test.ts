import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

/**
 * The MCP registry both ways, through the real backend, permission policy
 * and database: POST /mcp-servers/import and GET /v0.1/servers...
 */
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const NAMESPACE = 'com.example.gateway';
const encoded = (name: string) => encodeURIComponent(`${NAMESPACE}/${name}`);

const weatherServerJson = {
  $schema:
    'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.github.example/weather',
  description: 'Forecasts for any city.',
  version: '1.4.0',
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://weather.example.com/mcp',
      headers: [{ name: 'Authorization', isRequired: true, isSecret: true }],
    },
  ],
};

const ticketsServerJson = {
  name: 'io.github.example/tickets',
  description: 'Files tickets.',
  version: '0.9.1',
  packages: [
    {
      registryType: 'oci',
      identifier: 'ghcr.io/example/tickets-mcp:0.9.1',
      transport: { type: 'stdio' },
    },
  ],
};

describe('MCP registry routes', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: { aiGateway: { mcpRegistry: { namespace: NAMESPACE } } },
    });
    const admin = t.api('admin');
    await admin.create(
      '/projects',
      aProject('payments', 'group:default/team-payments'),
    );
    await admin.create(
      '/projects',
      aProject('research', 'group:default/team-research'),
    );
    await admin.create('/pools', aPool('alpha', 'payments'));
    await admin.create('/pools', aPool('lab', 'research'));
    // Payments: a-01 ... a-07 (b-search among them); research: r-01.
    for (const name of ['a-01', 'a-02', 'a-03', 'b-search', 'a-05', 'a-06']) {
      await admin.create(
        '/mcp-servers',
        anMcpServer(name, 'payments', 'alpha', {
          description: `Server ${name}`,
        }),
      );
    }
    await admin.create('/mcp-servers', anMcpServer('r-01', 'research', 'lab'));
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  describe('POST /mcp-servers/import', () => {
    it('converts without creating in a dry run', async () => {
      const res = await t.api('payments').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        project: 'payments',
        pool: 'alpha',
        secretRefs: { Authorization: { name: 'weather', key: 'token' } },
        dryRun: true,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dryRun: true,
        mcpServer: expect.objectContaining({
          name: 'weather',
          prefix: 'weather',
          transport: 'streamable-http',
          source: {
            type: 'remote',
            url: 'https://weather.example.com/mcp',
            authSecretRef: { name: 'weather', key: 'token' },
          },
        }),
      });
      const get = await t.api('admin').get('/mcp-servers/weather');
      expect(get.status).toBe(404);
    });

    it('names the field of a server.json the gateway cannot serve', async () => {
      const res = await t.api('payments').post('/mcp-servers/import', {
        serverJson: ticketsServerJson,
        project: 'payments',
        pool: 'alpha',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toEqual([
        {
          field: 'serverJson.packages[0].transport.type',
          message: expect.stringContaining('is stdio'),
        },
      ]);
    });

    it('names a required secret without a reference', async () => {
      const res = await t.api('payments').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        project: 'payments',
        pool: 'alpha',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.issues.map((i: any) => i.field)).toEqual([
        'secretRefs.Authorization',
      ]);
    });

    it('refuses a body that is not an import request, naming the field', async () => {
      const res = await t.api('payments').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        pool: 'alpha',
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error.issues)).toContain('project');
    });

    it('creates through the same permission check as POST /mcp-servers', async () => {
      const res = await t.api('research').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        project: 'payments',
        pool: 'alpha',
        name: 'weather-research',
        secretRefs: { Authorization: { name: 'weather', key: 'token' } },
      });
      expect(res.status).toBe(403);
    });

    it('creates the MCP server (201), audited, and lists it with its gateway URL', async () => {
      const auditBefore = t.auditEvents.length;
      const res = await t.api('payments').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        project: 'payments',
        pool: 'alpha',
        secretRefs: { Authorization: { name: 'weather', key: 'token' } },
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toMatch(/\/mcp-servers\/weather$/);
      expect(res.body).toMatchObject({
        kind: 'mcpServer',
        name: 'weather',
        project: 'payments',
        version: 1,
        spec: { source: { url: 'https://weather.example.com/mcp' } },
      });
      const url = res.body.derived.url;
      expect(url).toMatch(/^https:\/\/.+\/weather\/mcp$/);
      expect(t.auditEvents.slice(auditBefore)).toContainEqual(
        expect.objectContaining({
          eventId: 'resource-mutate',
          meta: { actionType: 'create', kind: 'mcpServer' },
          outcome: 'success',
        }),
      );

      const again = await t.api('payments').post('/mcp-servers/import', {
        serverJson: weatherServerJson,
        project: 'payments',
        pool: 'alpha',
        secretRefs: { Authorization: { name: 'weather', key: 'token' } },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.issues[0].field).toBe('name');

      const list = await t
        .api('payments')
        .get('/v0.1/servers?search=weather&version=latest');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        servers: [
          {
            server: expect.objectContaining({
              name: `${NAMESPACE}/weather`,
              description: 'Forecasts for any city.',
              version: '1.0.0',
              remotes: [{ type: 'streamable-http', url }],
            }),
            _meta: expect.objectContaining({
              'io.backstage.ai-gateway/mcp-server': expect.objectContaining({
                project: 'payments',
                pool: 'alpha',
                revision: 1,
              }),
            }),
          },
        ],
        metadata: { count: 1 },
      });

      await t.api('admin').delete('/mcp-servers/weather');
    });
  });

  describe('GET /v0.1/servers', () => {
    it('pages with cursors until the end, each server once', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await t
          .api('payments')
          .get(
            `/v0.1/servers?limit=4${
              cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
            }`,
          );
        expect(res.status).toBe(200);
        expect(res.body.metadata.count).toBe(res.body.servers.length);
        seen.push(...res.body.servers.map((s: any) => s.server.name));
        cursor = res.body.metadata.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(2);
      expect(seen).toEqual(
        ['a-01', 'a-02', 'a-03', 'a-05', 'a-06', 'b-search'].map(
          n => `${NAMESPACE}/${n}`,
        ),
      );
    });

    it('lists only the servers the caller may read', async () => {
      const names = async (user: 'research' | 'outsider' | 'admin') =>
        (await t.api(user).get('/v0.1/servers?limit=100')).body.servers.map(
          (s: any) => s.server.name,
        );
      expect(await names('research')).toEqual([`${NAMESPACE}/r-01`]);
      expect(await names('outsider')).toEqual([]);
      expect(await names('admin')).toHaveLength(7);
    });

    it('searches by a substring of the name, paging over what matches', async () => {
      const first = await t
        .api('payments')
        .get('/v0.1/servers?search=A-0&limit=3');
      expect(first.body.servers.map((s: any) => s.server.name)).toEqual(
        ['a-01', 'a-02', 'a-03'].map(n => `${NAMESPACE}/${n}`),
      );
      const second = await t
        .api('payments')
        .get(
          `/v0.1/servers?search=A-0&limit=3&cursor=${encodeURIComponent(
            first.body.metadata.nextCursor,
          )}`,
        );
      expect(second.body.servers.map((s: any) => s.server.name)).toEqual(
        ['a-05', 'a-06'].map(n => `${NAMESPACE}/${n}`),
      );
      const search = await t.api('payments').get('/v0.1/servers?search=search');
      expect(search.body.servers).toHaveLength(1);
      const version = await t
        .api('payments')
        .get('/v0.1/servers?version=9.0.0');
      expect(version.body.servers).toEqual([]);
    });

    it('refuses a cursor of another list and a limit over 100, naming the field', async () => {
      const pools = await t.api('admin').get('/pools?limit=1');
      const foreign = await t
        .api('payments')
        .get(
          `/v0.1/servers?cursor=${encodeURIComponent(pools.body.nextCursor)}`,
        );
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.issues[0].field).toBe('cursor');
      const big = await t.api('payments').get('/v0.1/servers?limit=101');
      expect(big.status).toBe(400);
      expect(JSON.stringify(big.body.error)).toContain('limit');
    });
  });

  describe('GET /v0.1/servers/{serverName}/versions', () => {
    it('answers the current version, by number or as latest', async () => {
      const versions = await t
        .api('payments')
        .get(`/v0.1/servers/${encoded('a-01')}/versions`);
      expect(versions.status).toBe(200);
      expect(versions.body.servers.map((s: any) => s.server.version)).toEqual([
        '1.0.0',
      ]);
      for (const version of ['latest', '1.0.0']) {
        const one = await t
          .api('payments')
          .get(`/v0.1/servers/${encoded('a-01')}/versions/${version}`);
        expect(one.status).toBe(200);
        expect(one.body.server).toMatchObject({
          name: `${NAMESPACE}/a-01`,
          description: 'Server a-01',
          version: '1.0.0',
        });
      }
    });

    it('is 404 for unknown names, other namespaces, versions and hidden servers', async () => {
      for (const path of [
        `/v0.1/servers/${encoded('nope')}/versions`,
        `/v0.1/servers/${encodeURIComponent('io.other/a-01')}/versions`,
        `/v0.1/servers/${encoded('a-01')}/versions/2.0.0`,
      ]) {
        expect((await t.api('payments').get(path)).status).toBe(404);
      }
      const hidden = await t
        .api('research')
        .get(`/v0.1/servers/${encoded('a-01')}/versions/latest`);
      expect(hidden.status).toBe(404);
    });
  });
});
