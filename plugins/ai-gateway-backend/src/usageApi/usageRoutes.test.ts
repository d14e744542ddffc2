import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import express from 'express';
import request from 'supertest';
import { createRouter } from '../router';
import type { ResourceService } from '../service/ResourceService';
import type {
  UsageQuery,
  UsageService,
  UsageTimeSeries,
  UsageTotals,
} from '../usage';
import { UsageReportService } from './UsageReportService';

const NOW = new Date('2026-05-10T12:00:00Z');
const ADMIN = 'user:default/admin';
const PAYMENTS_DEV = 'user:default/pat';

/** Projects, their owners, and who may read them. */
const PROJECTS = [
  {
    name: 'payments',
    owner: 'group:default/team-payments',
    readers: [PAYMENTS_DEV],
  },
  {
    name: 'checkout',
    owner: 'group:default/team-payments',
    readers: [PAYMENTS_DEV],
  },
  {
    name: 'search',
    owner: 'group:default/team-search',
    readers: [] as string[],
  },
];
const POOLS = [
  {
    name: 'shared',
    project: 'payments',
    spec: { namespace: 'aigw', cluster: { name: 'prod-eu' } },
  },
];
const OBJECTS: Record<
  string,
  Record<string, { project: string; spec: any }>
> = {
  aiBackend: { llm: { project: 'payments', spec: { pool: 'shared' } } },
  mcpServer: { github: { project: 'search', spec: { pool: 'shared' } } },
};

const userOf = (caller: any) => caller.credentials.principal.userEntityRef;
const mayRead = (user: string, project: string) =>
  user === ADMIN ||
  PROJECTS.some(p => p.name === project && p.readers.includes(user));

/** Reads of objects as ResourceService does them: hidden objects are 404. */
const resources = {
  async get(kind: string, name: string, caller: any) {
    const user = userOf(caller);
    let found: { name: string; project: string; spec: any } | undefined;
    if (kind === 'project') {
      found = PROJECTS.filter(p => p.name === name).map(p => ({
        name: p.name,
        project: p.name,
        spec: { owner: p.owner },
      }))[0];
    } else if (kind === 'pool') {
      found = POOLS.find(p => p.name === name);
    } else if (OBJECTS[kind]?.[name]) {
      found = { name, ...OBJECTS[kind][name] };
    }
    if (!found || !mayRead(user, found.project)) {
      throw new NotFoundError(`${kind} '${name}' not found`);
    }
    return found;
  },
  async list(_kind: string, _query: unknown, caller: any) {
    const user = userOf(caller);
    return {
      items: PROJECTS.filter(p => mayRead(user, p.name)).map(p => ({
        name: p.name,
        project: p.name,
        spec: { owner: p.owner },
      })),
    };
  },
} as unknown as ResourceService;

const permissions = {
  async authorizeConditional(_requests: unknown, options: any) {
    return [
      userOf(options) === ADMIN
        ? { result: AuthorizeResult.ALLOW }
        : {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'ai-gateway',
            resourceType: 'ai-gateway-resource',
            conditions: { rule: 'IS_PROJECT_MEMBER', params: {} },
          },
    ];
  },
} as unknown as PermissionsService;

/** A usage service that records its queries and answers rows per project. */
function fakeUsage(fail?: Error) {
  const queries: UsageQuery[] = [];
  const rowsFor = (query: UsageQuery) => {
    const projects = query.filter?.project
      ? [query.filter.project]
      : PROJECTS.map(p => p.name);
    return projects.map((project, i) => ({
      group: Object.fromEntries(
        (query.groupBy ?? []).map(d => [
          d,
          d === 'project' ? project : `${d}-${i}`,
        ]),
      ),
      value: 100 * (i + 1),
    }));
  };
  const usage: UsageService = {
    getStatus: () => ({
      configured: true,
      prometheusUrls: ['http://prom:9090'],
    }),
    async getTotals(query): Promise<UsageTotals> {
      queries.push(query);
      if (fail) throw fail;
      return {
        start: query.start,
        end: query.end,
        rows: rowsFor(query).map(r => ({
          group: r.group,
          values: Object.fromEntries(query.measures.map(m => [m, r.value])),
        })),
      };
    },
    async getTimeSeries(query): Promise<UsageTimeSeries> {
      queries.push(query);
      if (fail) throw fail;
      return {
        start: query.start,
        end: query.end,
        stepSeconds: 1800,
        timestamps: [NOW.getTime() - 1_800_000, NOW.getTime()],
        rows: rowsFor(query).map(r => ({
          group: r.group,
          values: Object.fromEntries(
            query.measures.map(m => [m, [r.value, null]]),
          ),
        })),
      };
    },
  };
  return { usage, queries };
}

async function server(options: { usage?: UsageService; user?: string } = {}) {
  const router = await createRouter({
    resources,
    usage: new UsageReportService({
      usage: options.usage,
      resources,
      permissions,
      notConfiguredMessage:
        'Usage needs a Prometheus: set aiGateway.metrics.prometheus.url',
      clock: () => NOW,
    }),
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(options.user ?? ADMIN),
    }),
    auth: mockServices.auth(),
  });
  const app = express().use('/api/ai-gateway', router).use(mockErrorHandler());
  return (path: string) => request(app).get(`/api/ai-gateway${path}`);
}

const fieldsOf = (res: request.Response) =>
  res.body.error.issues.map((i: { field: string }) => i.field);

describe('usage routes', () => {
  it('answers totals of the window the range names, with the measures and groups asked for', async () => {
    const { usage, queries } = fakeUsage();
    const get = await server({ usage });
    const res = await get(
      '/usage/totals?range=7d&measures=inputTokens,costUsd&groupBy=project',
    );
    expect(res.body).toMatchObject({ rows: expect.any(Array) });
    expect(res.status).toBe(200);
    expect(queries[0]).toMatchObject({
      start: new Date(NOW.getTime() - 7 * 86_400_000),
      end: NOW,
      measures: ['inputTokens', 'costUsd'],
      groupBy: ['project'],
    });
    expect(res.body.rows).toEqual([
      {
        group: { project: 'payments' },
        values: { inputTokens: 100, costUsd: 100 },
      },
      {
        group: { project: 'checkout' },
        values: { inputTokens: 200, costUsd: 200 },
      },
      {
        group: { project: 'search' },
        values: { inputTokens: 300, costUsd: 300 },
      },
    ]);
    expect(res.body.from).toBe('2026-05-03T12:00:00.000Z');
  });

  it('refuses unknown measures and dimensions, long windows and from after to with a 400 naming the parameter', async () => {
    const { usage, queries } = fakeUsage();
    const get = await server({ usage });
    const cases: Array<[string, string]> = [
      ['/usage/totals?measures=inputTokens,tokens', 'measures'],
      ['/usage/totals?groupBy=project,colour', 'groupBy'],
      ['/usage/timeseries?groupBy=team,team', 'groupBy'],
      ['/usage/totals?range=1y', 'range'],
      ['/usage/totals?range=1h&from=2026-05-01T00:00:00Z', 'range'],
      [
        '/usage/totals?from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z',
        'from',
      ],
      [
        '/usage/totals?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z',
        'from',
      ],
      ['/usage/timeseries?from=yesterday', 'from'],
      ['/usage/timeseries?to=2026-05-01T00:00:00Z', 'from'],
      ['/usage/timeseries?maxPoints=1', 'maxPoints'],
      ['/usage/totals?colour=blue', 'colour'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(fieldsOf(res)).toContain(field);
    }
    expect(queries).toEqual([]);
  });

  it('names the parameter when a dimension does not apply to a measure', async () => {
    const { usage } = fakeUsage(
      new InputError('groupBy tool does not apply to measure requests'),
    );
    const res = await (
      await server({ usage })
    )('/usage/totals?measures=requests&groupBy=tool');
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([
      {
        field: 'groupBy',
        message: 'groupBy tool does not apply to measure requests',
      },
    ]);
  });

  it('answers CSV with a header row, one line per group, or per group and timestamp', async () => {
    const { usage } = fakeUsage();
    const get = await server({ usage });
    const totals = await get(
      '/usage/totals?range=24h&measures=outputTokens&groupBy=project&format=csv',
    );
    expect(totals.status).toBe(200);
    expect(totals.headers['content-type']).toMatch(/^text\/csv/);
    expect(totals.text).toBe(
      'project,outputTokens\r\npayments,100\r\ncheckout,200\r\nsearch,300\r\n',
    );
    const series = await get(
      '/usage/timeseries?range=1h&measures=mcpCalls&groupBy=project&project=search',
    ).set('Accept', 'text/csv');
    expect(series.headers['content-type']).toMatch(/^text\/csv/);
    expect(series.text).toBe(
      [
        'project,timestamp,mcpCalls',
        'search,2026-05-10T11:30:00.000Z,100',
        'search,2026-05-10T12:00:00.000Z,',
        '',
      ].join('\r\n'),
    );
  });

  it('shows a caller who is not a platform admin only the usage of their projects', async () => {
    const { usage, queries } = fakeUsage();
    const get = await server({ usage, user: PAYMENTS_DEV });

    const all = await get('/usage/totals?measures=requests');
    expect(all.status).toBe(200);
    expect(queries.pop()!.groupBy).toEqual(['project']);
    expect(all.body.rows.map((r: any) => r.group.project)).toEqual([
      'payments',
      'checkout',
    ]);

    const team = await get(
      '/usage/totals?measures=requests&team=team-payments',
    );
    expect(team.status).toBe(200);
    expect(queries.pop()!.filter).toEqual({
      team: 'group:default/team-payments',
    });

    const otherTeam = await get('/usage/totals?team=group:default/team-search');
    expect(otherTeam.status).toBe(404);
    expect(fieldsOf(otherTeam)).toEqual(['team']);

    const otherProject = await get('/usage/timeseries?project=search');
    expect(otherProject.status).toBe(404);
    expect(fieldsOf(otherProject)).toEqual(['project']);

    const otherServer = await get('/usage/totals?mcpServer=github');
    expect(otherServer.status).toBe(404);
    expect(fieldsOf(otherServer)).toEqual(['mcpServer']);
    expect(queries).toEqual([]);
  });

  it('reads an AI backend or MCP server through the route that serves it, in its pool', async () => {
    const { usage, queries } = fakeUsage();
    const get = await server({ usage });
    expect((await get('/usage/totals?aiBackend=llm')).status).toBe(200);
    expect(queries.pop()).toMatchObject({
      pool: { name: 'shared', namespace: 'aigw', cluster: 'prod-eu' },
      filter: { route: 'aigw/ai-llm', project: 'payments' },
    });
    const clash = await get('/usage/totals?mcpServer=github&project=payments');
    expect(clash.status).toBe(400);
    expect(fieldsOf(clash)).toEqual(['mcpServer']);
  });

  it('answers 503 saying what failed when Prometheus cannot be queried, and what to configure when none is', async () => {
    const { usage } = fakeUsage(
      new ServiceUnavailableError(
        'Prometheus at http://prom:9090 is unreachable: ECONNREFUSED',
      ),
    );
    const failing = await (await server({ usage }))('/usage/totals?range=1h');
    expect(failing.status).toBe(503);
    expect(failing.body.error.message).toMatch(
      /http:\/\/prom:9090 is unreachable/,
    );

    const none = await server();
    const status = await none('/usage/status');
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      configured: false,
      message: expect.stringContaining('aiGateway.metrics.prometheus.url'),
    });
    const totals = await none('/usage/timeseries?range=6h');
    expect(totals.status).toBe(503);
    expect(totals.body.error.message).toContain(
      'aiGateway.metrics.prometheus.url',
    );
    // Input is still checked first.
    expect((await none('/usage/totals?measures=nope')).status).toBe(400);
  });

  it('says whether a pool can be read from, and hides pools the caller cannot see', async () => {
    const { usage } = fakeUsage();
    expect(
      (await (await server({ usage }))('/usage/status?pool=shared')).body,
    ).toEqual({
      configured: true,
    });
    const hidden = await (
      await server({ usage, user: 'user:default/nobody' })
    )('/usage/status?pool=shared');
    expect(hidden.status).toBe(404);
    expect(fieldsOf(hidden)).toEqual(['pool']);
  });
});
