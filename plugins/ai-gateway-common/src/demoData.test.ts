import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  formatZodIssues,
  mcpServerUrl,
  poolHosts,
  resourceKinds,
  type AiBackend,
  type McpServer,
  type Policy,
  type Pool,
  type Project,
  type ResourceKind,
} from './index';

/** The demo data of the embedded default (examples/demo at the repo root). */
const dir = path.resolve(__dirname, '../../../examples/demo');
const files: Record<ResourceKind, string> = {
  project: 'projects.yaml',
  pool: 'pools.yaml',
  mcpServer: 'mcp-servers.yaml',
  aiBackend: 'ai-backends.yaml',
  policy: 'policies.yaml',
};

const load = (kind: ResourceKind): unknown[] =>
  parse(fs.readFileSync(path.join(dir, files[kind]), 'utf8'));

/** Parses every object of a file, failing with the field-level issues. */
function parsed<T>(kind: ResourceKind): T[] {
  return load(kind).map(input => {
    const result = resourceKinds[kind].schema.safeParse(input);
    if (!result.success) {
      const name = (input as { name?: string })?.name;
      throw new Error(
        `${files[kind]} '${name}': ${JSON.stringify(
          formatZodIssues(result.error),
        )}`,
      );
    }
    return result.data as T;
  });
}

describe('demo data (examples/demo)', () => {
  it.each(Object.keys(files) as ResourceKind[])('every %s is valid', kind => {
    const objects = load(kind);
    expect(Array.isArray(objects)).toBe(true);
    expect(() => parsed(kind)).not.toThrow();
  });

  const projects = parsed<Project>('project');
  const pools = parsed<Pool>('pool');
  const servers = parsed<McpServer>('mcpServer');
  const backends = parsed<AiBackend>('aiBackend');
  const policies = parsed<Policy>('policy');

  it('has unique names per kind', () => {
    for (const objects of [projects, pools, servers, backends, policies]) {
      const names = objects.map(o => o.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('refers only to existing projects and pools of the same project', () => {
    const projectNames = new Set(projects.map(p => p.name));
    const poolProject = new Map(pools.map(p => [p.name, p.project]));
    for (const pool of pools) expect(projectNames).toContain(pool.project);
    for (const o of [...servers, ...backends, ...policies]) {
      expect({ name: o.name, project: poolProject.get(o.pool) }).toEqual({
        name: o.name,
        project: o.project,
      });
    }
  });

  it('uses each MCP prefix once per pool', () => {
    const prefixes = servers.map(s => `${s.pool}/${s.prefix}`);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('targets existing gateways, routes and backends of the same pool', () => {
    const inPool = (
      pool: string,
      objects: Array<{ name: string; pool: string }>,
    ) => new Set(objects.filter(o => o.pool === pool).map(o => o.name));
    for (const policy of policies) {
      const { kind, name } = policy.target;
      const candidatesByKind = {
        gateway: () => new Set([policy.pool]),
        backend: () => inPool(policy.pool, backends),
        // A route is named after the MCP server or AI backend it serves.
        route: () =>
          new Set([
            ...inPool(policy.pool, servers),
            ...inPool(policy.pool, backends),
          ]),
      };
      const candidates = candidatesByKind[kind]();
      expect({ policy: policy.name, found: candidates.has(name) }).toEqual({
        policy: policy.name,
        found: true,
      });
    }
    for (const backend of backends) {
      if (backend.spec.kind !== 'mcp') continue;
      const targetServers = backend.spec.targets.flatMap(target =>
        target.mcpServer ? [target.mcpServer] : [],
      );
      for (const server of targetServers) {
        expect(inPool(backend.pool, servers)).toContain(server);
      }
    }
  });

  it('shows what the suite can do', () => {
    expect(projects.map(p => [p.name, p.owner])).toEqual([
      ['payments', 'group:default/team-payments'],
      ['research', 'group:default/team-research'],
    ]);
    expect(pools).toHaveLength(3);
    expect(new Set(pools.map(p => p.tls.mode))).toEqual(
      new Set(['letsencrypt', 'provided', 'selfsigned']),
    );
    expect(new Set(pools.map(p => p.delivery.mode))).toEqual(
      new Set(['direct', 'agent', 'gitops']),
    );
    expect(new Set(pools.map(p => p.cluster.name))).toEqual(
      new Set(['prod-eu-eks', 'research-gke', 'onprem-openshift']),
    );
    expect(new Set(pools.flatMap(p => p.ingress.map(i => i.kind))).size).toBe(
      5,
    );
    expect(servers.length).toBeGreaterThanOrEqual(12);
    expect(new Set(servers.map(s => s.source.type))).toEqual(
      new Set(['image', 'remote']),
    );
    expect(new Set(servers.map(s => s.pool)).size).toBe(3);
    const failover = backends.filter(
      b => b.spec.kind === 'ai' && b.spec.groups.length > 1,
    );
    expect(failover.length).toBeGreaterThanOrEqual(2);
    expect(policies.some(p => p.rateLimit?.models)).toBe(true);
    expect(
      policies.some(
        p =>
          p.promptGuard?.request?.action === 'mask' &&
          p.promptGuard.request.builtins.includes('email'),
      ),
    ).toBe(true);
    expect(policies.some(p => p.jwtAuth && p.target.kind === 'gateway')).toBe(
      true,
    );
    expect(
      policies.some(p => p.authorization && p.target.kind === 'route'),
    ).toBe(true);
  });

  it('derives the hosts and MCP URLs the demo shows', () => {
    const byName = new Map(pools.map(p => [p.name, p]));
    expect(poolHosts(byName.get('payments-prod-eu')!).mcp).toBe(
      'mcp.payments.ai.example.com',
    );
    // The "-" pool fits under the existing wildcard *.example.org.
    expect(poolHosts(byName.get('research-lab')!)).toMatchObject({
      api: 'api-research.example.org',
      mcp: 'tools-research.example.org',
    });
    const github = servers.find(s => s.name === 'github')!;
    expect(mcpServerUrl(byName.get(github.pool)!, github)).toBe(
      'https://mcp.payments.ai.example.com/github/mcp',
    );
  });
});
