import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { formatZodIssues, poolHosts, resourceKinds, type ResourceKind } from './index';

const dir = path.resolve(__dirname, '../../../examples/demo');
const files: Array<[ResourceKind, string]> = [
  ['project', 'projects.yaml'],
  ['pool', 'pools.yaml'],
  ['mcpServer', 'mcp-servers.yaml'],
  ['aiBackend', 'ai-backends.yaml'],
  ['policy', 'policies.yaml'],
];

const load = (file: string) => parse(fs.readFileSync(path.join(dir, file), 'utf8')) as any[];

describe('demo data (examples/demo)', () => {
  it.each(files)('every %s is valid', (kind, file) => {
    for (const object of load(file)) {
      const result = resourceKinds[kind].schema.safeParse(object, { reportInput: true });
      expect({ name: object.name, issues: result.success ? [] : formatZodIssues(result.error) }).toEqual({
        name: object.name,
        issues: [],
      });
    }
  });

  it('covers what the issue asks for and refers only to existing objects', () => {
    const projects = load('projects.yaml');
    const pools = load('pools.yaml').map(p => resourceKinds.pool.schema.parse(p) as any);
    const servers = load('mcp-servers.yaml');
    const backends = load('ai-backends.yaml');
    const policies = load('policies.yaml');
    expect(projects).toHaveLength(2);
    expect(pools).toHaveLength(3);
    expect(new Set(pools.map(p => p.tls.mode))).toEqual(new Set(['letsencrypt', 'provided', 'selfsigned']));
    expect(new Set(pools.map(p => p.delivery.mode))).toEqual(new Set(['direct', 'agent', 'gitops']));
    expect(new Set(pools.flatMap(p => p.ingress.map((i: any) => i.kind))).size).toBe(5);
    expect(servers.length).toBeGreaterThanOrEqual(12);
    expect(backends.filter(b => b.spec.kind === 'ai' && b.spec.groups.length > 1).length).toBeGreaterThanOrEqual(2);
    expect(policies.length).toBeGreaterThanOrEqual(3);

    const projectNames = new Set(projects.map(p => p.name));
    const poolProject = new Map(pools.map(p => [p.name, p.project]));
    for (const o of [...pools, ...servers, ...backends, ...policies]) {
      expect(projectNames.has(o.project)).toBe(true);
    }
    for (const o of [...servers, ...backends, ...policies]) {
      expect(poolProject.get(o.pool)).toBe(o.project);
    }
    const prefixes = servers.map(s => `${s.pool}/${s.prefix}`);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    // Hosts of the '-' separator pool fit under a parent wildcard.
    expect(poolHosts(pools.find(p => p.name === 'research-lab')).mcp).toBe('research-mcp-example.org');
  });
});
