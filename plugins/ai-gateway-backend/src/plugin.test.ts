import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPolicy,
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
  startAiGatewayTestBackend,
  testUsers,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'ai-gateway REST API on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

    beforeEach(async () => {
      t = await startAiGatewayTestBackend({ databases, databaseId });
      // Two tenants: payments (bob) and research (carol); alice is a platform admin.
      for (const [name, owner] of [
        ['payments', 'group:default/team-payments'],
        ['research', 'group:default/team-research'],
      ]) {
        await t.api('admin').create('/projects', aProject(name, owner));
      }
    });

    afterEach(async () => {
      await t.backend.stop();
    });

    const tableCounts = async () => {
      const out: Record<string, number> = {};
      for (const table of [
        'aigw_projects',
        'aigw_pools',
        'aigw_mcp_servers',
        'aigw_ai_backends',
        'aigw_policies',
        'aigw_events',
      ]) {
        const [{ n }] = await t.knex(table).count({ n: '*' });
        out[table] = Number(n);
      }
      return out;
    };

    describe('projects', () => {
      it('lets only platform admins create projects', async () => {
        const res = await t
          .api('payments')
          .post('/projects', aProject('mine', 'group:default/team-payments'));
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
        expect((await t.api('admin').get('/projects/mine')).status).toBe(404);
      });

      it('rejects a duplicate name with 409', async () => {
        const res = await t
          .api('admin')
          .post(
            '/projects',
            aProject('payments', 'group:default/team-payments'),
          );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/payments.*already exists/);
      });

      it('normalises the owner group reference', async () => {
        const res = await t
          .api('admin')
          .post('/projects', aProject('ops', 'team-ops'));
        expect(res.status).toBe(201);
        expect(res.body.spec.owner).toBe('group:default/team-ops');
      });

      it('lists only the projects a team owns; admins see all', async () => {
        const names = async (user: keyof typeof testUsers) =>
          (await t.api(user).get('/projects')).body.items.map(
            (p: any) => p.name,
          );
        expect(await names('payments')).toEqual(['payments']);
        expect(await names('research')).toEqual(['research']);
        expect(await names('outsider')).toEqual([]);
        expect(await names('admin')).toEqual(['payments', 'research']);
      });
    });

    describe('pools', () => {
      it('creates a pool with a one-time enrollment token and stores only its hash', async () => {
        const res = await t
          .api('payments')
          .post('/pools', aPool('prod', 'payments'));
        expect(res.status).toBe(201);
        expect(res.headers.location).toBe('/api/ai-gateway/pools/prod');
        expect(res.body).toMatchObject({
          kind: 'pool',
          name: 'prod',
          project: 'payments',
          version: 1,
          createdBy: testUsers.payments.ref,
        });
        const token: string = res.body.enrollmentToken;
        expect(token).toMatch(/^aigw_prod_[A-Za-z0-9_-]{43}$/);
        // Defaults from the schema are applied and stored.
        expect(res.body.spec.maxReplicas).toBe(5);

        const read = await t.api('payments').get('/pools/prod');
        expect(read.status).toBe(200);
        expect(JSON.stringify(read.body)).not.toContain(token);
        expect(read.body.enrollmentToken).toBeUndefined();

        const row = await t.knex('aigw_pools').where({ name: 'prod' }).first();
        expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(row)).not.toContain(token);
      });

      it('rotates the enrollment token and invalidates the old one', async () => {
        const created = await t
          .api('payments')
          .post('/pools', aPool('prod', 'payments'));
        const hashBefore = (
          await t.knex('aigw_pools').where({ name: 'prod' }).first()
        ).token_hash;
        const res = await t
          .api('payments')
          .post('/pools/prod/enrollment-token');
        expect(res.status).toBe(201);
        expect(res.body.enrollmentToken).toMatch(/^aigw_prod_/);
        expect(res.body.enrollmentToken).not.toBe(created.body.enrollmentToken);
        const hashAfter = (
          await t.knex('aigw_pools').where({ name: 'prod' }).first()
        ).token_hash;
        expect(hashAfter).not.toBe(hashBefore);
        const events = await t.api('payments').get('/pools/prod/events');
        expect(events.body.items[0]).toMatchObject({
          action: 'enrollment-token-rotated',
          actor: testUsers.payments.ref,
        });
        expect(JSON.stringify(events.body)).not.toContain(
          res.body.enrollmentToken,
        );
        // Another team cannot rotate it (and does not even see the pool).
        expect(
          (await t.api('research').post('/pools/prod/enrollment-token')).status,
        ).toBe(404);
      });

      it("records an install report in the pool's event log as the caller, audited; refuses bad input and other teams", async () => {
        await t.api('payments').post('/pools', aPool('prod', 'payments'));
        const message =
          "The portal cannot reach cluster test-cluster; apply the bootstrap from the pool's Install tab.";
        const res = await t.api('payments').post('/pools/prod/install-report', {
          outcome: 'awaiting-install',
          message,
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          pool: 'prod',
          action: 'awaiting-install',
          at: expect.any(String),
        });
        const events = await t.api('payments').get('/pools/prod/events');
        expect(events.body.items[0]).toMatchObject({
          action: 'awaiting-install',
          actor: testUsers.payments.ref,
          version: 1,
          message,
        });
        expect(t.auditEvents[t.auditEvents.length - 1]).toMatchObject({
          eventId: 'resource-mutate',
          meta: { actionType: 'install-report', kind: 'pool', name: 'prod' },
          outcome: 'success',
        });

        const before = await tableCounts();
        const bad = await t.api('payments').post('/pools/prod/install-report', {
          outcome: 'done',
          message: `token ${'ghp_'}${'a1B2'.repeat(9)}`,
        });
        expect(bad.status).toBe(400);
        expect(
          bad.body.error.issues.map((i: { field: string }) => i.field).sort(),
        ).toEqual(['message', 'outcome']);
        expect(JSON.stringify(bad.body)).not.toContain('a1B2a1B2');
        const empty = await t
          .api('payments')
          .post('/pools/prod/install-report', { outcome: 'installed' });
        expect(empty.status).toBe(400);
        expect(empty.body.error.issues).toEqual([
          { field: 'message', message: 'is required' },
        ]);
        // Another team does not see the pool.
        expect(
          (
            await t.api('research').post('/pools/prod/install-report', {
              outcome: 'installed',
              message: 'installed',
            })
          ).status,
        ).toBe(404);
        expect(await tableCounts()).toEqual(before);
      });

      it('answers bad input with 400 and field-level issues, writing nothing', async () => {
        const before = await tableCounts();
        const res = await t.api('payments').post(
          '/pools',
          aPool('bad', 'payments', {
            namespace: 'Not_A_Label',
            redis: { mode: 'manual' },
            maxReplicas: 99,
          }),
        );
        expect(res.status).toBe(400);
        const fields = res.body.error.issues.map((i: any) => i.field);
        expect(fields).toEqual(
          expect.arrayContaining(['namespace', 'redis.host', 'maxReplicas']),
        );
        for (const issue of res.body.error.issues)
          expect(issue.message).toEqual(expect.any(String));
        expect(await tableCounts()).toEqual(before);
      });

      it('refuses secret values: only secret references are accepted', async () => {
        const res = await t.api('payments').post(
          '/pools',
          aPool('leaky', 'payments', {
            redis: {
              mode: 'manual',
              host: 'redis.local',
              password: 'hunter2',
            },
          }),
        );
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).not.toContain('hunter2');
        expect(res.body.error.issues.map((i: any) => i.field).join()).toMatch(
          /redis/,
        );
      });

      it('answers malformed JSON with 400', async () => {
        const res = await t
          .api('payments')
          .post('/pools')
          .set('Content-Type', 'application/json')
          .send('{"name": ');
        expect(res.status).toBe(400);
        expect(res.body.error.issues[0].field).toBe('body');
      });

      it('answers a reference to a missing project with 422', async () => {
        const res = await t
          .api('admin')
          .post('/pools', aPool('orphan', 'nope'));
        expect(res.status).toBe(422);
        expect(res.body.error.issues).toEqual([
          { field: 'project', message: "project 'nope' does not exist" },
        ]);
      });

      it("does not let a team create pools in another team's project", async () => {
        const before = await tableCounts();
        const res = await t
          .api('research')
          .post('/pools', aPool('sneaky', 'payments'));
        expect(res.status).toBe(403);
        expect(await tableCounts()).toEqual(before);
      });

      it('rejects a second pool in the same cluster namespace with 409', async () => {
        await t
          .api('payments')
          .post('/pools', aPool('a', 'payments', { namespace: 'shared' }));
        const res = await t
          .api('payments')
          .post('/pools', aPool('b', 'payments', { namespace: 'shared' }));
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/namespace 'shared'.*pool 'a'/);
      });

      it('updates with optimistic concurrency', async () => {
        await t.api('payments').post('/pools', aPool('prod', 'payments'));
        const v1 = (await t.api('payments').get('/pools/prod')).body;

        const noVersion = await t
          .api('payments')
          .put('/pools/prod', { ...v1.spec, description: 'x' });
        expect(noVersion.status).toBe(400);
        expect(noVersion.body.error.issues[0].field).toBe('version');

        const ok = await t
          .api('payments')
          .put('/pools/prod', { ...v1.spec, description: 'first', version: 1 });
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({
          version: 2,
          updatedBy: testUsers.payments.ref,
        });
        expect(ok.body.spec.description).toBe('first');

        const stale = await t.api('admin').put('/pools/prod', {
          ...v1.spec,
          description: 'second',
          version: 1,
        });
        expect(stale.status).toBe(409);
        expect(stale.body.error.message).toMatch(/current version is 2/);
        expect(
          (await t.api('payments').get('/pools/prod')).body.spec.description,
        ).toBe('first');

        const ifMatch = await t
          .api('payments')
          .put('/pools/prod', { ...v1.spec, description: 'third' })
          .set('If-Match', '"2"');
        expect(ifMatch.status).toBe(200);
        expect(ifMatch.body.version).toBe(3);

        const renamed = await t
          .api('payments')
          .put('/pools/prod', { ...v1.spec, name: 'other', version: 3 });
        expect(renamed.status).toBe(400);
        expect(renamed.body.error.issues[0].field).toBe('name');

        const moved = await t
          .api('admin')
          .put('/pools/prod', { ...v1.spec, project: 'research', version: 3 });
        expect(moved.status).toBe(422);
      });

      it('hides pools of other projects (404) and returns 404 for unknown ones', async () => {
        await t.api('payments').post('/pools', aPool('prod', 'payments'));
        expect((await t.api('research').get('/pools/prod')).status).toBe(404);
        expect((await t.api('outsider').get('/pools/prod')).status).toBe(404);
        expect((await t.api('admin').get('/pools/prod')).status).toBe(200);
        expect((await t.api('payments').get('/pools/nope')).status).toBe(404);
        const put = await t
          .api('research')
          .put('/pools/prod', { ...aPool('prod', 'payments'), version: 1 });
        expect(put.status).toBe(404);
        expect((await t.api('research').delete('/pools/prod')).status).toBe(
          404,
        );
      });

      it('lists with filters and cursor pagination, only what the caller may see', async () => {
        for (let i = 0; i < 7; i++) {
          await t.api('admin').post(
            '/pools',
            aPool(`p${i}`, i % 2 ? 'research' : 'payments', {
              cluster: { name: i < 4 ? 'c1' : 'c2', type: 'gke' },
            }),
          );
        }
        const page1 = await t.api('admin').get('/pools?limit=3');
        expect(page1.body.items.map((p: any) => p.name)).toEqual([
          'p0',
          'p1',
          'p2',
        ]);
        const page2 = await t
          .api('admin')
          .get(`/pools?limit=3&cursor=${page1.body.nextCursor}`);
        expect(page2.body.items.map((p: any) => p.name)).toEqual([
          'p3',
          'p4',
          'p5',
        ]);
        const page3 = await t
          .api('admin')
          .get(`/pools?limit=3&cursor=${page2.body.nextCursor}`);
        expect(page3.body.items.map((p: any) => p.name)).toEqual(['p6']);
        expect(page3.body.nextCursor).toBeUndefined();

        expect(
          (await t.api('admin').get('/pools?project=research')).body.items.map(
            (p: any) => p.name,
          ),
        ).toEqual(['p1', 'p3', 'p5']);
        expect(
          (
            await t.api('admin').get('/pools?cluster=c2&project=payments')
          ).body.items.map((p: any) => p.name),
        ).toEqual(['p4', 'p6']);
        expect(
          (await t.api('payments').get('/pools')).body.items.map(
            (p: any) => p.name,
          ),
        ).toEqual(['p0', 'p2', 'p4', 'p6']);
        expect(
          (await t.api('payments').get('/pools?project=research')).body.items,
        ).toEqual([]);

        const typo = await t.api('admin').get('/pools?projet=x');
        expect(typo.status).toBe(400);
        expect(typo.body.error.issues[0].message).toMatch(
          /unknown query parameter 'projet'/,
        );
        expect((await t.api('admin').get('/pools?limit=0')).status).toBe(400);
        expect((await t.api('admin').get('/pools?limit=501')).status).toBe(400);
      });
    });

    describe('MCP servers, AI backends and policies', () => {
      beforeEach(async () => {
        await t.api('payments').create(
          '/pools',
          aPool('prod', 'payments', {
            domains: { baseDomain: 'pay.example.com' },
          }),
        );
        await t.api('payments').create('/pools', aPool('stage', 'payments'));
        await t.api('research').create('/pools', aPool('lab', 'research'));
      });

      it('creates an MCP server and derives its URL from the pool', async () => {
        const res = await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
        expect(res.status).toBe(201);
        expect(res.body.derived.url).toBe(
          'https://mcp.pay.example.com/github/mcp',
        );
        expect(t.publishedEvents[t.publishedEvents.length - 1]).toEqual({
          topic: 'ai-gateway.resource-changes',
          eventPayload: {
            action: 'upserted',
            kind: 'mcpServer',
            name: 'github',
            project: 'payments',
            pool: 'prod',
            version: 1,
          },
        });
        const list = await t.api('payments').get('/mcp-servers?pool=prod');
        expect(list.body.items[0].derived.url).toBe(
          'https://mcp.pay.example.com/github/mcp',
        );
      });

      it('keeps pool and AI backend names apart: both are catalog Resources (409)', async () => {
        const backend = await t
          .api('payments')
          .post('/ai-backends', anAiBackend('stage', 'payments', 'prod'));
        expect(backend.status).toBe(409);
        expect(backend.body.error.message).toBe(
          "name 'stage' is already used by a pool; pools and AI backends share the catalog's Resource names",
        );
        expect(
          (
            await t
              .api('payments')
              .post('/ai-backends', anAiBackend('llm', 'payments', 'prod'))
          ).status,
        ).toBe(201);
        const pool = await t
          .api('payments')
          .post(
            '/pools',
            aPool('llm', 'payments', { namespace: 'aigw-llm-pool' }),
          );
        expect(pool.status).toBe(409);
        expect(pool.body.error.message).toMatch(
          /already used by an AI backend/,
        );
      });

      it('keeps MCP prefixes unique within a pool (409), not across pools', async () => {
        await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
        const clash = await t
          .api('payments')
          .post(
            '/mcp-servers',
            anMcpServer('github-2', 'payments', 'prod', { prefix: 'github' }),
          );
        expect(clash.status).toBe(409);
        expect(clash.body.error.message).toMatch(
          /prefix 'github'.*'github'.*pool 'prod'/,
        );
        const other = await t
          .api('payments')
          .post(
            '/mcp-servers',
            anMcpServer('github-2', 'payments', 'stage', { prefix: 'github' }),
          );
        expect(other.status).toBe(201);
      });

      it('answers references to missing or foreign pools with 422', async () => {
        const missing = await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('x', 'payments', 'nope'));
        expect(missing.status).toBe(422);
        expect(missing.body.error.issues[0]).toEqual({
          field: 'pool',
          message: "pool 'nope' does not exist",
        });
        const foreign = await t
          .api('admin')
          .post('/ai-backends', anAiBackend('llm', 'payments', 'lab'));
        expect(foreign.status).toBe(422);
        expect(foreign.body.error.issues[0].message).toMatch(
          /belongs to project 'research'/,
        );
      });

      it('checks policy targets', async () => {
        await t
          .api('payments')
          .post('/ai-backends', anAiBackend('llm', 'payments', 'prod'));
        expect(
          (
            await t.api('payments').post(
              '/policies',
              aPolicy('gw', 'payments', 'prod', {
                kind: 'gateway',
                name: 'prod',
              }),
            )
          ).status,
        ).toBe(201);
        expect(
          (
            await t.api('payments').post(
              '/policies',
              aPolicy('be', 'payments', 'prod', {
                kind: 'backend',
                name: 'llm',
              }),
            )
          ).status,
        ).toBe(201);
        // A gateway policy names its own pool's gateway: a schema rule (400).
        const wrongGateway = await t.api('payments').post(
          '/policies',
          aPolicy('gw2', 'payments', 'prod', {
            kind: 'gateway',
            name: 'stage',
          }),
        );
        expect(wrongGateway.status).toBe(400);
        expect(wrongGateway.body.error.issues[0].field).toBe('target.name');
        const missing = await t.api('payments').post(
          '/policies',
          aPolicy('be2', 'payments', 'stage', {
            kind: 'backend',
            name: 'llm',
          }),
        );
        expect(missing.status).toBe(422);
      });

      it('refuses to delete a pool in use unless asked to cascade', async () => {
        await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
        await t
          .api('payments')
          .post('/ai-backends', anAiBackend('llm', 'payments', 'prod'));
        await t
          .api('payments')
          .post(
            '/policies',
            aPolicy('be', 'payments', 'prod', { kind: 'backend', name: 'llm' }),
          );

        const refused = await t.api('payments').delete('/pools/prod');
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(
          /1 policy, 1 MCP server, 1 AI backend/i,
        );
        expect((await t.api('payments').get('/pools/prod')).status).toBe(200);

        const backendInUse = await t.api('payments').delete('/ai-backends/llm');
        expect(backendInUse.status).toBe(409);

        const cascade = await t
          .api('payments')
          .delete('/pools/prod?cascade=true');
        expect(cascade.status).toBe(200);
        expect(cascade.body.deleted).toEqual([
          { kind: 'policy', name: 'be' },
          { kind: 'mcpServer', name: 'github' },
          { kind: 'aiBackend', name: 'llm' },
          { kind: 'pool', name: 'prod' },
        ]);
        for (const path of [
          '/pools/prod',
          '/mcp-servers/github',
          '/ai-backends/llm',
          '/policies/be',
        ]) {
          expect((await t.api('payments').get(path)).status).toBe(404);
        }
        const events = await t.api('admin').get('/mcp-servers/github/events');
        expect(events.body.items[0]).toMatchObject({
          action: 'deleted',
          message: expect.stringMatching(/cascade/),
        });
        // The team still reads the log of what it deleted; another team does not.
        const own = await t.api('payments').get('/mcp-servers/github/events');
        expect(own.status).toBe(200);
        expect(own.body.items).toEqual(events.body.items);
        expect(
          (await t.api('research').get('/mcp-servers/github/events')).status,
        ).toBe(404);
        // Listeners (the catalog module) hear of every removed object.
        const deletions = t.publishedEvents
          .filter(
            e =>
              e.topic === 'ai-gateway.resource-changes' &&
              e.eventPayload.action === 'deleted',
          )
          .map(e => `${e.eventPayload.kind}:${e.eventPayload.name}`);
        expect(deletions).toEqual([
          'policy:be',
          'mcpServer:github',
          'aiBackend:llm',
          'pool:prod',
        ]);
      });

      it('does not let another team change or delete objects of a project', async () => {
        await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
        const before = await tableCounts();
        expect(
          (
            await t
              .api('research')
              .post('/mcp-servers', anMcpServer('x', 'payments', 'prod'))
          ).status,
        ).toBe(403);
        expect(
          (await t.api('research').delete('/mcp-servers/github')).status,
        ).toBe(404);
        expect(await tableCounts()).toEqual(before);
      });
    });

    describe('event log and audit', () => {
      it('records who changed what and when, and emits an audit event per change', async () => {
        await t.api('payments').post('/pools', aPool('prod', 'payments'));
        await t.api('payments').put('/pools/prod', {
          ...aPool('prod', 'payments'),
          replicas: 3,
          version: 1,
        });
        const res = await t.api('payments').get('/pools/prod/events');
        expect(res.status).toBe(200);
        const [updated, created] = res.body.items;
        expect(created).toMatchObject({
          action: 'created',
          actor: testUsers.payments.ref,
          version: 1,
        });
        expect(updated).toMatchObject({
          action: 'updated',
          actor: testUsers.payments.ref,
          version: 2,
        });
        expect(updated.changes).toEqual([
          { op: 'replace', path: '/replicas', value: 3 },
        ]);
        expect(new Date(updated.at).getTime()).toBeGreaterThan(
          Date.now() - 60_000,
        );

        const mutations = t.auditEvents.filter(
          e => e.eventId === 'resource-mutate',
        );
        expect(
          mutations.map(e => [e.meta?.actionType, e.meta?.kind, e.outcome]),
        ).toEqual([
          ['create', 'project', 'success'],
          ['create', 'project', 'success'],
          ['create', 'pool', 'success'],
          ['update', 'pool', 'success'],
        ]);
        expect(
          JSON.stringify(
            t.auditEvents.map(e => ({ meta: e.meta, result: e.resultMeta })),
          ),
        ).not.toMatch(/aigw_prod_/);

        // Failed changes are audited too.
        await t.api('research').post('/pools', aPool('x', 'payments'));
        expect(t.auditEvents[t.auditEvents.length - 1]).toMatchObject({
          outcome: 'fail',
          meta: { actionType: 'create', kind: 'pool' },
        });

        expect((await t.api('research').get('/pools/prod/events')).status).toBe(
          404,
        );
      });
    });
  },
);
