import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { rulesAllow } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  aPolicy,
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'pool delivery (agent mode) on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    let token: string;

    const agent = () => ({
      heartbeat: (body: unknown, bearer = token) =>
        request(t.backend.server)
          .post('/api/ai-gateway/agent/v1/heartbeat')
          .set('Authorization', `Bearer ${bearer}`)
          .send(body as object),
      bundle: (ifNoneMatch?: string, wait?: number, bearer = token) => {
        const r = request(t.backend.server)
          .get(
            `/api/ai-gateway/agent/v1/bundle${
              wait !== undefined ? `?wait=${wait}` : ''
            }`,
          )
          .set('Authorization', `Bearer ${bearer}`);
        return ifNoneMatch ? r.set('If-None-Match', `"${ifNoneMatch}"`) : r;
      },
    });

    const healthy = (revision: string | null) => ({
      operatorVersion: '0.1.0',
      runningRevision: revision,
      components: [{ name: 'Gateway/prod', kind: 'Gateway', healthy: true }],
      ...(revision
        ? {
            lastApply: {
              revision,
              succeeded: true,
              appliedAt: new Date(Date.now() - 600_000).toISOString(),
              objects: 12,
            },
          }
        : {}),
    });

    beforeEach(async () => {
      t = await startAiGatewayTestBackend({ databases, databaseId });
      for (const [name, owner] of [
        ['payments', 'group:default/team-payments'],
        ['research', 'group:default/team-research'],
      ]) {
        await t.api('admin').create('/projects', aProject(name, owner));
      }
      const created = await t
        .api('payments')
        .create('/pools', aPool('prod', 'payments'));
      token = created.body.enrollmentToken;
    });

    afterEach(async () => {
      await t.backend.stop();
    });

    it('serves the rendered bundle as JSON and YAML with its revision, to readers of the pool only', async () => {
      const json = await t.api('payments').get('/pools/prod/manifests');
      expect(json.status).toBe(200);
      expect(json.body.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(json.headers.etag).toBe(`"${json.body.revision}"`);
      expect(json.body.renderer).toBe('agentgateway');
      expect(json.body.objects.map((o: any) => o.kind)).toEqual(
        expect.arrayContaining([
          'Gateway',
          'AgentgatewayParameters',
          'Deployment',
        ]),
      );
      const yaml = await t
        .api('payments')
        .get('/pools/prod/manifests?format=yaml');
      expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
      expect(yaml.text).toContain(`# revision: ${json.body.revision}`);
      expect(yaml.text.split('\n---\n')).toHaveLength(
        json.body.objects.length + 1,
      );
      expect(
        (await t.api('research').get('/pools/prod/manifests')).status,
      ).toBe(404);
      const bad = await t
        .api('payments')
        .get('/pools/prod/manifests?format=xml');
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues).toEqual([
        { field: 'format', message: 'must be one of: json, yaml' },
      ]);
    });

    it('answers the fleet: pools the caller may see, with phase, revisions and counts', async () => {
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      await t.api('research').post('/pools', aPool('lab', 'research'));
      const first = await agent().bundle();
      await agent().heartbeat(healthy(first.body.revision));
      const mine = (await t.api('payments').get('/fleet')).body.items;
      expect(mine).toEqual([
        expect.objectContaining({
          pool: 'prod',
          project: 'payments',
          delivery: 'agent',
          operatorVersion: '0.1.0',
          runningRevision: first.body.revision,
          counts: { mcpServers: 1, aiBackends: 0, policies: 0 },
        }),
      ]);
      expect(['Active', 'OutOfSync']).toContain(mine[0].phase);
      // The conditions behind the phase, for the fleet page's cause and next step.
      expect(mine[0].conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Ready' }),
          expect.objectContaining({ type: 'OperatorConnected' }),
        ]),
      );
      expect(
        (await t.api('admin').get('/fleet')).body.items.map((p: any) => p.pool),
      ).toEqual(['lab', 'prod']);
    });

    it('writes the bundle as a kustomize directory for gitops', async () => {
      const res = await t.api('payments').get('/pools/prod/gitops');
      expect(res.status).toBe(200);
      expect(res.body.files['kustomization.yaml']).toContain(
        `ai-gateway.backstage.io/revision: ${res.body.revision}`,
      );
      const objects = (await t.api('payments').get('/pools/prod/manifests'))
        .body.objects;
      expect(Object.keys(res.body.files)).toHaveLength(objects.length + 1);
      expect((await t.api('research').get('/pools/prod/gitops')).status).toBe(
        404,
      );
    });

    it("answers the deployer Role, scoped to the pool's namespace", async () => {
      const res = await t.api('payments').get('/pools/prod/rbac/deployer-role');
      expect(res.status).toBe(200);
      expect(res.body.metadata).toEqual({
        name: 'aigateway-deployer',
        namespace: 'aigw-prod',
      });
      expect(res.body.rules).toContainEqual({
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles'],
        verbs: ['get', 'create', 'update', 'patch'],
      });
      // It holds every permission the bootstrap's Roles grant: Kubernetes
      // refuses to let it create a Role with more than it has.
      const bundle = (await t.api('payments').get('/pools/prod/manifests'))
        .body;
      const granted = bundle.objects
        .filter((o: any) => o.kind === 'Role')
        .flatMap((o: any) => o.rules);
      expect(granted.length).toBeGreaterThan(10);
      const missing = granted.flatMap((r: any) =>
        r.apiGroups.flatMap((g: string) =>
          r.resources.flatMap((resource: string) =>
            r.verbs
              .filter(
                (v: string) => !rulesAllow(res.body.rules, g, resource, v),
              )
              .map((v: string) => `${g}/${resource} ${v}`),
          ),
        ),
      );
      expect(missing).toEqual([]);
      const yaml = await t
        .api('payments')
        .get('/pools/prod/rbac/deployer-role?format=yaml');
      expect(yaml.text).toContain('kind: Role');
      // With a pool-provided ServiceAccount the deployer creates no RBAC.
      const current = await t.api('payments').get('/pools/prod');
      await t.api('payments').put('/pools/prod', {
        ...current.body.spec,
        serviceAccount: 'platform-sa',
        version: current.body.version,
      });
      const provided = await t
        .api('payments')
        .get('/pools/prod/rbac/deployer-role');
      expect(
        provided.body.rules.filter((r: any) =>
          r.apiGroups.includes('rbac.authorization.k8s.io'),
        ),
      ).toEqual([]);
      expect(provided.body.rules).toContainEqual({
        apiGroups: [''],
        resources: ['serviceaccounts'],
        verbs: ['get'],
      });
    });

    it('takes heartbeats and bundle pulls only with the current pool token', async () => {
      expect(
        (await agent().heartbeat(healthy(null), 'aigw_prod_wrong')).status,
      ).toBe(401);
      expect((await agent().bundle(undefined, undefined, 'nope')).status).toBe(
        401,
      );
      const rotated = await t
        .api('payments')
        .post('/pools/prod/enrollment-token');
      expect(rotated.status).toBe(201);
      expect((await agent().heartbeat(healthy(null))).status).toBe(401);
      token = rotated.body.enrollmentToken;
      expect((await agent().heartbeat(healthy(null))).status).toBe(200);
      const invalid = await agent().heartbeat({ operatorVersion: '' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.issues[0].field).toBe('operatorVersion');
    });

    it('goes Pending -> OutOfSync -> Active, and back to OutOfSync when an MCP server is added', async () => {
      const status = async () =>
        (await t.api('payments').get('/pools/prod/status')).body;
      expect((await status()).phase).toBe('Pending');

      const hb = await agent().heartbeat(healthy(null));
      expect(hb.body).toMatchObject({
        pool: 'prod',
        phase: 'OutOfSync',
        syncRequested: false,
      });

      const pulled = await agent().bundle();
      expect(pulled.status).toBe(200);
      expect(
        pulled.body.objects.every(
          (o: any) =>
            o.metadata.labels['ai-gateway.backstage.io/stage'] === 'runtime',
        ),
      ).toBe(true);
      expect(pulled.body.labelSelector).toBe(
        'app.kubernetes.io/managed-by=ai-gateway,ai-gateway.backstage.io/pool=prod,ai-gateway.backstage.io/stage=runtime',
      );
      const revision = pulled.body.revision;
      expect((await agent().bundle(revision)).status).toBe(304);

      expect((await agent().heartbeat(healthy(revision))).body.phase).toBe(
        'Active',
      );
      expect(await status()).toMatchObject({
        phase: 'Active',
        desiredRevision: revision,
      });

      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      const after = await status();
      expect(after.phase).toBe('OutOfSync');
      expect(
        after.conditions.find((c: any) => c.type === 'InSync'),
      ).toMatchObject({ status: 'False', reason: 'RevisionDiffers' });

      const events = (await t.api('payments').get('/pools/prod/events')).body
        .items;
      expect(
        events
          .filter((e: any) => e.action === 'phase-changed')
          .map((e: any) => e.message.split(':')[0]),
      ).toEqual(
        expect.arrayContaining([
          'Pending → OutOfSync',
          'OutOfSync → Active',
          'Active → OutOfSync',
        ]),
      );
    });

    it('answers a waiting pull as soon as the desired state changes (long poll)', async () => {
      const first = await agent().bundle();
      const started = Date.now();
      const waiting = agent().bundle(first.body.revision, 20);
      await new Promise(r => setTimeout(r, 200));
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body.revision).not.toBe(first.body.revision);
      expect(
        res.body.objects.some((o: any) => o.metadata.name === 'mcp-github'),
      ).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it("counts the pool's traffic for its project's owner, and re-renders when the owner changes", async () => {
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      const attribution = (bundle: any): Record<string, string> =>
        Object.fromEntries(
          bundle.objects
            .find(
              (o: any) =>
                o.kind === 'AgentgatewayPolicy' &&
                o.metadata.name === 'prod-usage-attribution',
            )
            .spec.frontend.metrics.attributes.add.map((a: any) => [
              a.name,
              a.expression,
            ]),
        );
      const first = await agent().bundle();
      expect(attribution(first.body)).toMatchObject({
        project: '"payments"',
        team: '"group:default/team-payments"',
      });

      // The operator waits for a new revision; the project changes hands.
      const waiting = agent().bundle(first.body.revision, 20);
      await new Promise(r => setTimeout(r, 200));
      const payments = (await t.api('admin').get('/projects/payments')).body;
      const moved = await t.api('admin').put('/projects/payments', {
        ...payments.spec,
        owner: 'group:default/team-lab',
        version: payments.version,
      });
      expect(moved.status).toBe(200);
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body.revision).not.toBe(first.body.revision);
      expect(attribution(res.body)).toMatchObject({
        project: '"payments"',
        team: '"group:default/team-lab"',
      });
    });

    it('passes force sync and reseed to the operator, for those who may change the pool, audited', async () => {
      const first = await agent().bundle();
      expect((await t.api('research').post('/pools/prod/reseed')).status).toBe(
        404,
      );
      const reseed = await t.api('payments').post('/pools/prod/reseed');
      expect(reseed.status).toBe(202);
      expect(reseed.body).toEqual({
        pool: 'prod',
        requested: 'reseed',
        mode: 'agent',
      });
      expect(
        (await agent().heartbeat(healthy(first.body.revision))).body
          .reseedRequested,
      ).toBe(true);
      const again = await agent().bundle(first.body.revision);
      expect(again.status).toBe(200);
      expect(again.body.reseed).toBe(true);
      // Served once: the next pull is conditional again.
      expect((await agent().bundle(first.body.revision)).status).toBe(304);
      // Both attempts are audited: the hidden pool's refusal and the reseed.
      expect(
        t.auditEvents
          .filter(e => e.meta?.actionType === 'reseed')
          .map(e => [e.severityLevel, e.outcome]),
      ).toEqual([
        ['high', 'fail'],
        ['high', 'success'],
      ]);

      expect((await t.api('payments').post('/pools/prod/sync')).status).toBe(
        202,
      );
      const synced = await agent().bundle(first.body.revision);
      expect(synced.status).toBe(200);
      expect(synced.body.reseed).toBe(false);
    });

    it('diffs the desired bundle against the revision the operator reports running', async () => {
      const nothing = await t
        .api('payments')
        .get('/pools/prod/manifests?diff=live');
      expect(nothing.body.against).toBe('nothing-running');
      const first = await agent().bundle();
      await agent().heartbeat(healthy(first.body.revision));
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      await t.api('payments').post(
        '/policies',
        aPolicy('budget', 'payments', 'prod', {
          kind: 'gateway',
          name: 'prod',
        }),
      );
      const diff = (
        await t.api('payments').get('/pools/prod/manifests?diff=live')
      ).body;
      expect(diff.against).toBe('running-revision');
      expect(diff.runningRevision).toBe(first.body.revision);
      expect(diff.diff.added.map((d: any) => d.ref)).toEqual(
        expect.arrayContaining([
          'AgentgatewayBackend/mcp-github',
          'HTTPRoute/mcp-github',
          'AgentgatewayPolicy/policy-budget',
        ]),
      );
      expect(diff.diff.removed).toEqual([]);
    });

    it('reports an apply failure as Degraded with the message, and Stale when heartbeats stop', async () => {
      const first = await agent().bundle();
      const failed = await agent().heartbeat({
        ...healthy(null),
        lastApply: {
          revision: first.body.revision,
          succeeded: false,
          message: 'HTTPRoute/mcp-x: 422 Invalid',
          appliedAt: new Date().toISOString(),
        },
      });
      expect(failed.body.phase).toBe('Degraded');
      const events = (await t.api('payments').get('/pools/prod/events')).body
        .items;
      expect(
        events.find((e: any) => e.action === 'apply-failed').message,
      ).toContain('422 Invalid');
      // A short stale window, then silence.
      const current = await t.api('payments').get('/pools/prod');
      await t.api('payments').put('/pools/prod', {
        ...current.body.spec,
        heartbeatStaleSeconds: 30,
        version: current.body.version,
      });
      await t
        .knex('aigw_pool_status')
        .where({ pool: 'prod' })
        .update({
          heartbeat: JSON.stringify({
            ...healthy(first.body.revision),
            receivedAt: new Date(Date.now() - 60_000).toISOString(),
          }),
        });
      expect(
        (await t.api('payments').get('/pools/prod/status')).body.phase,
      ).toBe('Stale');
    });
  },
);
