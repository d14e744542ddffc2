import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { aPool } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import express from 'express';
import request from 'supertest';
import type { BudgetService } from './budgets/BudgetService';
import type { McpContractService } from './contracts/McpContractService';
import type { PoolDeliveryService } from './delivery/PoolDeliveryService';
import type { McpRegistryService } from './mcpRegistry/McpRegistryService';
import type { McpRegistrySources } from './mcpRegistry/McpRegistrySources';
import { createRouter } from './router';
import { OpenApiContract } from './schema/__testUtils__/OpenApiContract';
import type { ResourceService } from './service/ResourceService';
import type { UsageReportService } from './usageApi/UsageReportService';

/**
 * The router and the OpenAPI document describe the same API: every route is
 * documented, every documented operation has a route, and what the validated
 * router refuses comes back as 400 with the field named. (That responses
 * match the document is checked on every request of this package's
 * integration tests, see setupTests.ts.)
 */

const contract = OpenApiContract.load();

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** `METHOD /path/{param}` of every route registered on an express router, sub-routers included. */
function routesOf(router: { stack: Layer[] }): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) {
          out.push(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk(router.stack);
  return out;
}

/** Services that must not be reached: the validated router answers first. */
const unreachable = new Proxy(
  {},
  {
    get: (_, name) => () => {
      throw new Error(
        `the service was called (${String(
          name,
        )}) for a request the document refuses`,
      );
    },
  },
);

async function app() {
  const router = await createRouter({
    resources: unreachable as ResourceService,
    delivery: unreachable as PoolDeliveryService,
    usage: unreachable as UsageReportService,
    budgets: unreachable as BudgetService,
    mcpRegistry: unreachable as McpRegistryService,
    mcpRegistrySources: unreachable as McpRegistrySources,
    contracts: unreachable as McpContractService,
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    auth: mockServices.auth(),
  });
  return { router, app: express().use('/api/ai-gateway', router) };
}

describe('the REST API and its OpenAPI document', () => {
  it('documents every route of the router and routes every documented operation', async () => {
    const { router } = await app();
    // Served by Backstage's validated router itself: the document as JSON.
    const routes = routesOf(router as any).filter(
      r => r !== 'GET /openapi.json',
    );
    expect(new Set(routes).size).toBe(routes.length);
    expect([...routes].sort()).toEqual([...contract.operations()].sort());
  });

  it('knows an undocumented route or operation when it sees one', () => {
    const extra = express.Router();
    extra.get('/pools/:name/secrets', () => undefined);
    expect(routesOf(extra as any)).toEqual(['GET /pools/{name}/secrets']);
    expect(contract.operations()).not.toContain('GET /pools/{name}/secrets');
  });

  it('answers what the document refuses with 400 naming the field, before any service runs', async () => {
    const { app: server } = await app();
    const get = (path: string) => request(server).get(`/api/ai-gateway${path}`);

    const tooMany = await get('/pools?limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({
      name: 'InputError',
      issues: [{ field: 'limit' }],
    });

    const typo = await get('/mcp-servers?pool=prod&prefx=a');
    expect(typo.status).toBe(400);
    expect(typo.body.error.issues).toEqual([
      { field: 'prefx', message: "unknown query parameter 'prefx'" },
    ]);

    const format = await get('/pools/prod/manifests?format=toml');
    expect(format.status).toBe(400);
    expect(format.body.error.issues[0].field).toBe('format');

    const range = await get('/usage/totals?range=1y');
    expect(range.status).toBe(400);
    expect(range.body.error.issues[0].field).toBe('range');

    const maxPoints = await get('/usage/timeseries?maxPoints=5000');
    expect(maxPoints.status).toBe(400);
    expect(maxPoints.body.error.issues[0].field).toBe('maxPoints');

    const budget = await request(server)
      .post('/api/ai-gateway/budgets')
      .send({
        name: 'b',
        scope: { kind: 'team', name: 'team-a' },
        window: 'yearly',
        limit: { usd: 1 },
      });
    expect(budget.status).toBe(400);
    expect(budget.body.error.issues).toEqual([
      { field: 'window', message: 'must be one of: daily, weekly, monthly' },
    ]);

    const wait = await get('/agent/v1/bundle?wait=61');
    expect(wait.status).toBe(400);
    expect(wait.body.error.issues[0].field).toBe('wait');

    const ifMatch = await request(server)
      .put('/api/ai-gateway/pools/prod')
      .set('If-Match', 'yesterday')
      .send(aPool('prod', 'payments'));
    expect(ifMatch.status).toBe(400);
    expect(ifMatch.body.error.issues.map((i: any) => i.field)).toContain(
      'If-Match',
    );
  });

  it('describes a refused body in the words of the domain model', async () => {
    const { app: server } = await app();
    const leaky = await request(server)
      .post('/api/ai-gateway/pools')
      .send(
        aPool('leaky', 'payments', {
          redis: { mode: 'manual', host: 'redis.local', password: 'hunter2' },
        }),
      );
    expect(leaky.status).toBe(400);
    expect(leaky.body.error.issues).toEqual([
      {
        field: 'redis.password',
        message: expect.stringMatching(/secret values are never accepted/),
      },
    ]);
    expect(JSON.stringify(leaky.body)).not.toContain('hunter2');

    const renamed = await request(server)
      .put('/api/ai-gateway/pools/prod')
      .send({ ...aPool('prod', 'payments'), version: 'two' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.issues).toEqual([
      { field: 'version', message: 'must be an integer' },
    ]);

    const heartbeat = await request(server)
      .post('/api/ai-gateway/agent/v1/heartbeat')
      .send({ components: 'all fine' });
    expect(heartbeat.status).toBe(400);
    expect(heartbeat.body.error.issues.map((i: any) => i.field).sort()).toEqual(
      ['components', 'operatorVersion'],
    );

    const report = await request(server)
      .post('/api/ai-gateway/pools/prod/install-report')
      .send({ outcome: 'done', extra: true });
    expect(report.status).toBe(400);
    expect(report.body.error.issues).toEqual(
      expect.arrayContaining([
        {
          field: 'outcome',
          message:
            'must be one of: installed, awaiting-install, install-failed',
        },
        { field: 'message', message: 'is required' },
      ]),
    );
  });
});
