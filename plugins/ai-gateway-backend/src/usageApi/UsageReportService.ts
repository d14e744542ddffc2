import type { PermissionsService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiGatewayPermissions,
  MAX_USAGE_WINDOW_MS,
  normalizeGroupRef,
  usageDimensions,
  usageFilters,
  usageMeasures,
  usageRanges,
  type UsageFilterName,
  type UsageMeasureName,
  type UsageRange,
  type UsageStatus,
  type UsageTimeSeriesResponse,
  type UsageTotalsResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { servedObjectName } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { invalidInput, issuesOf, type FieldIssue } from '../service/errors';
import type { Caller, ResourceService } from '../service/ResourceService';
import type {
  UsageDimension,
  UsagePoolRef,
  UsageQuery,
  UsageService,
} from '../usage';

/** A usage request as the query string gives it (all strings, all optional). */
export type UsageRequest = {
  from?: string;
  to?: string;
  range?: string;
  measures?: string;
  groupBy?: string;
  maxPoints?: number;
} & Partial<Record<UsageFilterName, string>>;

/** Measures of a request that names none. */
export const DEFAULT_USAGE_MEASURES: UsageMeasureName[] = [
  'inputTokens',
  'outputTokens',
  'costUsd',
  'mcpCalls',
  'requests',
  'errors',
];

const DEFAULT_RANGE: UsageRange = '24h';
/** Projects read per page while collecting the caller's projects. */
const PROJECT_PAGE = 500;

/** The query for the usage service, and which projects' rows the caller may see. */
type ScopedQuery = {
  query: UsageQuery;
  /** Set when rows were grouped by project to drop the projects the caller may not read. */
  projects?: Set<string>;
};

const bad = (field: string, message: string): never => {
  throw invalidInput(`Invalid request: ${field} ${message}`, [
    { field, message },
  ]);
};

const hidden = (field: string, what: string): never => {
  const issues: FieldIssue[] = [
    { field, message: 'names no object you can see (or none at all)' },
  ];
  throw Object.assign(new NotFoundError(`${what} not found`), { issues });
};

/**
 * The rules of the usage endpoints: the window, measures, dimensions and
 * filters of a request, and what the caller may see. Platform admins (who
 * may read every project) see all usage; anyone else sees the usage of the
 * projects they may read: a project, pool, AI backend or MCP server filter
 * must name an object they can read, a team filter a team owning one of
 * their projects, and without either their rows are grouped by project and
 * other projects' rows are left out.
 */
export class UsageReportService {
  constructor(
    private readonly deps: {
      /** Undefined when no metrics source is configured. */
      usage?: UsageService;
      resources: ResourceService;
      permissions: PermissionsService;
      /** What to configure when `usage` is undefined. */
      notConfiguredMessage: string;
      clock?: () => Date;
    },
  ) {}

  async status(
    request: { pool?: string },
    caller: Caller,
  ): Promise<UsageStatus> {
    const { usage, notConfiguredMessage } = this.deps;
    const pool = request.pool
      ? await this.poolRef(request.pool, 'pool', caller)
      : undefined;
    if (!usage) return { configured: false, message: notConfiguredMessage };
    const status = usage.getStatus(pool);
    return status.configured
      ? { configured: true }
      : { configured: false, message: status.message };
  }

  async totals(
    request: UsageRequest,
    caller: Caller,
  ): Promise<UsageTotalsResponse> {
    const scoped = await this.scope(request, caller);
    if (!scoped) return { ...this.emptyWindow(request), rows: [] };
    const totals = await named(() => this.service().getTotals(scoped.query));
    return {
      from: totals.start.toISOString(),
      to: totals.end.toISOString(),
      rows: totals.rows
        .filter(row => visible(row.group, scoped.projects))
        .map(row => ({
          group: row.group as Record<string, string>,
          values: row.values as Record<string, number>,
        })),
    };
  }

  async timeSeries(
    request: UsageRequest,
    caller: Caller,
  ): Promise<UsageTimeSeriesResponse> {
    const scoped = await this.scope(request, caller);
    if (!scoped) {
      return {
        ...this.emptyWindow(request),
        stepSeconds: 0,
        timestamps: [],
        rows: [],
      };
    }
    const series = await named(() =>
      this.service().getTimeSeries({
        ...scoped.query,
        maxPoints: request.maxPoints,
      }),
    );
    return {
      from: series.start.toISOString(),
      to: series.end.toISOString(),
      stepSeconds: series.stepSeconds,
      timestamps: series.timestamps,
      rows: series.rows
        .filter(row => visible(row.group, scoped.projects))
        .map(row => ({
          group: row.group as Record<string, string>,
          values: row.values as Record<string, Array<number | null>>,
        })),
    };
  }

  private service(): UsageService {
    if (!this.deps.usage) {
      throw new ServiceUnavailableError(this.deps.notConfiguredMessage);
    }
    return this.deps.usage;
  }

  private emptyWindow(request: UsageRequest) {
    const { start, end } = this.window(request);
    return { from: start.toISOString(), to: end.toISOString() };
  }

  /** The window of a request: `from`/`to` or `range` (default the last 24 hours). */
  window(request: UsageRequest): { start: Date; end: Date } {
    const now = this.deps.clock?.() ?? new Date();
    const time = (field: 'from' | 'to', value: string) => {
      const ms = Date.parse(value);
      if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(ms)) {
        bad(field, 'must be an ISO-8601 time, e.g. 2026-05-01T00:00:00Z');
      }
      return new Date(ms);
    };
    if (request.range !== undefined) {
      if (request.from !== undefined || request.to !== undefined) {
        bad('range', 'cannot be given with from or to');
      }
      const length = usageRanges[request.range as UsageRange];
      if (!Object.hasOwn(usageRanges, request.range) || !length) {
        bad('range', `must be one of ${Object.keys(usageRanges).join(', ')}`);
      }
      return { start: new Date(now.getTime() - length), end: now };
    }
    if (request.from === undefined) {
      if (request.to !== undefined) bad('from', 'is required with to');
      return {
        start: new Date(now.getTime() - usageRanges[DEFAULT_RANGE]),
        end: now,
      };
    }
    const start = time('from', request.from);
    const end = request.to !== undefined ? time('to', request.to) : now;
    if (start.getTime() >= end.getTime()) bad('from', 'must be before to');
    if (end.getTime() - start.getTime() > MAX_USAGE_WINDOW_MS) {
      bad('from', 'must be at most 90 days before to');
    }
    return { start, end };
  }

  /** The query for the usage service, or undefined when the caller may see no usage at all. */
  private async scope(
    request: UsageRequest,
    caller: Caller,
  ): Promise<ScopedQuery | undefined> {
    const { start, end } = this.window(request);
    const measures = list(request.measures, 'measures', usageMeasures);
    const groupBy = list(request.groupBy, 'groupBy', usageDimensions);
    if (new Set(groupBy).size !== groupBy.length) {
      bad('groupBy', 'names a dimension twice');
    }
    for (const filter of usageFilters) {
      if (request[filter] === '') bad(filter, 'must not be empty');
    }
    const query: UsageQuery = {
      start,
      end,
      measures: measures.length > 0 ? measures : DEFAULT_USAGE_MEASURES,
      groupBy,
      filter: {},
    };
    const filter = query.filter!;
    const pin = (dimension: 'project', value: string, field: string) => {
      if (filter[dimension] !== undefined && filter[dimension] !== value) {
        bad(field, `belongs to project ${value}, not ${filter[dimension]}`);
      }
      filter[dimension] = value;
    };
    for (const dimension of ['consumer', 'model', 'tool'] as const) {
      if (request[dimension] !== undefined)
        filter[dimension] = request[dimension];
    }
    if (request.team !== undefined) {
      filter.team = normalizeGroupRef(request.team) ?? request.team;
    }
    if (request.project !== undefined) {
      await this.read('project', request.project, 'project', caller);
      pin('project', request.project, 'project');
    }
    if (request.pool !== undefined) {
      query.pool = await this.poolRef(request.pool, 'pool', caller);
    }
    for (const kind of ['aiBackend', 'mcpServer'] as const) {
      const field = kind;
      const name = request[field];
      if (name === undefined) continue;
      const object = await this.read(kind, name, field, caller);
      const pool = await this.poolRef(object.spec.pool, field, caller);
      if (query.pool && query.pool.name !== pool.name) {
        bad(field, `is served by pool ${pool.name}, not ${query.pool.name}`);
      }
      if (filter.route !== undefined) {
        bad(field, 'cannot be combined with another AI backend or MCP server');
      }
      query.pool = pool;
      // The HTTPRoute that serves the object, as the renderer names it.
      filter.route = `${pool.namespace}/${servedObjectName(kind, name)}`;
      pin('project', object.project, field);
    }

    if (await this.isPlatformWide(caller)) return { query };
    const readable = await this.readableProjects(caller);
    if (filter.project !== undefined) return { query };
    if (filter.team !== undefined) {
      if (![...readable.values()].includes(filter.team)) {
        hidden('team', `Team '${filter.team}'`);
      }
      return { query };
    }
    if (readable.size === 0) return undefined;
    if (readable.size === 1) {
      filter.project = [...readable.keys()][0];
      return { query };
    }
    // Several projects: one row per project, the caller's only.
    if (!groupBy.includes('project')) query.groupBy = [...groupBy, 'project'];
    return { query, projects: new Set(readable.keys()) };
  }

  private async read(
    kind: 'project' | 'pool' | 'aiBackend' | 'mcpServer',
    name: string,
    field: string,
    caller: Caller,
  ) {
    try {
      return await this.deps.resources.get(kind, name, caller);
    } catch (error) {
      if (error instanceof NotFoundError) hidden(field, error.message);
      throw error;
    }
  }

  private async poolRef(
    name: string,
    field: string,
    caller: Caller,
  ): Promise<UsagePoolRef> {
    const pool = await this.read('pool', name, field, caller);
    return {
      name: pool.name,
      namespace: pool.spec.namespace,
      cluster: pool.spec.cluster.name,
    };
  }

  /** Whether the caller may read every project (a platform admin). */
  private async isPlatformWide(caller: Caller): Promise<boolean> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: aiGatewayPermissions.project.read }],
      { credentials: caller.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The projects the caller may read, with their owners. */
  private async readableProjects(caller: Caller): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await this.deps.resources.list(
        'project',
        { filters: {}, limit: PROJECT_PAGE, cursor },
        caller,
      );
      for (const project of page.items) {
        out.set(project.name, String(project.spec.owner));
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}

/**
 * The usage service's refusals (e.g. a dimension a measure does not have:
 * `groupBy tool does not apply to measure requests`) with the parameter named.
 */
async function named<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof InputError) || issuesOf(error)) throw error;
    const match = /^(groupBy|measures|pool|filter\.(\w+))\b/.exec(
      error.message,
    );
    const field = match ? match[2] ?? match[1] : 'measures';
    throw invalidInput(`Invalid request: ${error.message}`, [
      { field, message: error.message },
    ]);
  }
}

/** A comma list of names from `allowed`; each unknown name is refused. */
function list<T extends string>(
  value: string | undefined,
  field: string,
  allowed: readonly T[],
): T[] {
  if (value === undefined || value.trim() === '') return [];
  const names = value.split(',').map(n => n.trim());
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) {
      bad(
        field,
        name
          ? `names ${JSON.stringify(name)}, which is not one of ${allowed.join(
              ', ',
            )}`
          : 'has an empty name',
      );
    }
  }
  return names as T[];
}

function visible(
  group: Partial<Record<UsageDimension, string>>,
  projects: Set<string> | undefined,
): boolean {
  return !projects || projects.has(group.project ?? '');
}
