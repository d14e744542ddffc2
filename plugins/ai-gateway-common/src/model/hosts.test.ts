import {
  aiBackendEndpoint,
  mcpServerUrl,
  poolHosts,
  poolWildcardDomain,
} from './hosts';
import { poolSchema } from './pool';
import { validPool } from './testFixtures';

const pool = (domains: object) => poolSchema.parse({ ...validPool, domains });

describe('poolHosts', () => {
  it('puts each label before the base domain with "."', () => {
    const p = pool({ baseDomain: 'ai-gateway.example.com' });
    expect(poolHosts(p)).toEqual({
      api: 'api.ai-gateway.example.com',
      mcp: 'mcp.ai-gateway.example.com',
    });
    expect(poolWildcardDomain(p)).toBe('*.ai-gateway.example.com');
  });

  it('joins label and base domain with "-" so hosts fit under the parent wildcard', () => {
    const p = pool({ baseDomain: 'ai-gateway.example.com', separator: '-' });
    expect(poolHosts(p)).toEqual({
      api: 'api-ai-gateway.example.com',
      mcp: 'mcp-ai-gateway.example.com',
    });
    expect(poolWildcardDomain(p)).toBe('*.example.com');
  });

  it('uses custom labels', () => {
    const p = pool({
      baseDomain: 'gw.example.org',
      separator: '-',
      subdomains: { mcp: 'tools', api: 'llm' },
    });
    expect(poolHosts(p)).toEqual({
      mcp: 'tools-gw.example.org',
      api: 'llm-gw.example.org',
    });
  });
});

describe('mcpServerUrl', () => {
  it('is https://{pool mcp host}/{prefix}/mcp', () => {
    expect(
      mcpServerUrl(pool({ baseDomain: 'ai.example.com' }), {
        prefix: 'github',
      }),
    ).toBe('https://mcp.ai.example.com/github/mcp');
    expect(
      mcpServerUrl(
        pool({
          baseDomain: 'ai.example.com',
          separator: '-',
          subdomains: { mcp: 'tools' },
        }),
        {
          prefix: 'crm-api',
        },
      ),
    ).toBe('https://tools-ai.example.com/crm-api/mcp');
  });
});

describe('AI backend endpoints', () => {
  const backendPool = {
    domains: {
      baseDomain: 'ai.example.com',
      separator: '-' as const,
      subdomains: { api: 'api', mcp: 'mcp' },
    },
  };

  it("derives the endpoint from the pool's hosts as the renderer routes it", () => {
    expect(
      aiBackendEndpoint(backendPool, { name: 'llm', spec: { kind: 'ai' } }),
    ).toEqual({
      baseUrl: 'https://api-ai.example.com/llm/v1',
      kind: 'openai',
    });
    expect(
      aiBackendEndpoint(backendPool, { name: 'hub', spec: { kind: 'mcp' } }),
    ).toEqual({
      baseUrl: 'https://mcp-ai.example.com/hub/mcp',
      kind: 'mcp',
    });
    expect(
      aiBackendEndpoint(backendPool, {
        name: 'rest',
        spec: { kind: 'static' },
      }),
    ).toEqual({ baseUrl: 'https://api-ai.example.com/rest', kind: 'http' });
  });
});
