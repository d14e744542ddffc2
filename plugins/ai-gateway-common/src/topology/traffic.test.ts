import type { Topology } from './graph';
import { describeTraffic, routeServes, topologyTraffic } from './traffic';

const topology: Topology = {
  nodes: [
    { id: 'gateway:prod', type: 'gateway', label: 'prod', health: 'unknown' },
    {
      id: 'route:mcp:github',
      type: 'route',
      label: '/gh/mcp',
      health: 'unknown',
      object: { kind: 'mcpServer', name: 'github' },
    },
    {
      id: 'mcp-server:github',
      type: 'mcp-server',
      label: 'github',
      health: 'unknown',
      object: { kind: 'mcpServer', name: 'github' },
    },
    {
      id: 'backend:ai:llm',
      type: 'backend',
      label: 'ai-llm',
      health: 'unknown',
      object: { kind: 'aiBackend', name: 'llm' },
    },
    {
      id: 'backend:ai:quiet',
      type: 'backend',
      label: 'ai-quiet',
      health: 'unknown',
      object: { kind: 'aiBackend', name: 'quiet' },
    },
  ],
  edges: [],
};

describe('routeServes', () => {
  it('matches the route of an MCP server or AI backend, with or without its namespace', () => {
    expect(routeServes('ai-prod/mcp-github', 'mcpServer', 'github')).toBe(true);
    expect(routeServes('mcp-github', 'mcpServer', 'github')).toBe(true);
    expect(routeServes('ai-prod/ai-github', 'mcpServer', 'github')).toBe(false);
    expect(routeServes('ai-prod/mcp-github2', 'mcpServer', 'github')).toBe(
      false,
    );
  });

  it('matches a name cut to 63 characters by its head and hash', () => {
    const name = `a${'b'.repeat(61)}`;
    const head = `ai-${name}`.slice(0, 54);
    expect(routeServes(`ns/${head}-0123abcd`, 'aiBackend', name)).toBe(true);
    expect(routeServes(`ns/${head}-xyz`, 'aiBackend', name)).toBe(false);
    expect(routeServes(`ns/ai-${name}`, 'aiBackend', name)).toBe(false);
  });
});

describe('topologyTraffic', () => {
  it('gives rates per MCP server and AI backend, and their sum on the gateway', () => {
    const traffic = topologyTraffic(
      topology,
      [
        {
          group: { route: 'ai-prod/mcp-github' },
          values: { requests: 3000, errors: 75 },
        },
        // The same route in another project's row: added up.
        {
          group: { route: 'ai-prod/ai-llm', project: 'a' },
          values: { requests: 200, errors: 0 },
        },
        {
          group: { route: 'ai-prod/ai-llm', project: 'b' },
          values: { requests: 100 },
        },
      ],
      300,
    );
    expect(traffic.get('mcp-server:github')).toEqual({
      requestsPerSecond: 10,
      errorRatio: 0.025,
    });
    expect(traffic.get('backend:ai:llm')).toEqual({
      requestsPerSecond: 1,
      errorRatio: 0,
    });
    expect(traffic.get('backend:ai:quiet')).toEqual({ requestsPerSecond: 0 });
    expect(traffic.get('gateway:prod')).toEqual({
      requestsPerSecond: 11,
      errorRatio: 75 / 3300,
    });
    // The route node stands for nothing of its own here.
    expect(traffic.has('route:mcp:github')).toBe(false);
  });

  it('says it in words', () => {
    expect(
      describeTraffic({ requestsPerSecond: 12, errorRatio: 0.025 }),
    ).toEqual({ rate: '12.0 req/s', errors: '2.5 % errors' });
    expect(describeTraffic({ requestsPerSecond: 0 })).toEqual({
      rate: '0.0 req/s',
    });
  });
});
