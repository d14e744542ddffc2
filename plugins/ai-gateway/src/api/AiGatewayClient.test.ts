import { ResponseError } from '@backstage/errors';
import type { BudgetInput } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from './AiGatewayClient';

const BASE = 'http://backstage/api/ai-gateway';

/** A client whose fetches are answered in turn by `responses`, recording each URL asked for. */
function client(...responses: Response[]) {
  const urls: string[] = [];
  const bodies: unknown[] = [];
  const fetch = jest.fn(
    async (input: RequestInfo | URL, init?: RequestInit) => {
      if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body));
      urls.push(
        init?.method && init.method !== 'GET'
          ? `${init.method} ${input}`
          : String(input),
      );
      const next = responses.shift();
      if (!next) throw new Error(`unexpected fetch of ${input}`);
      return next;
    },
  );
  const api = new AiGatewayClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backstage/api/${id}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { api, urls, bodies };
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });
const text = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'application/yaml', ...headers },
  });
const failure = (
  status: number,
  statusText: string,
  name: string,
  message: string,
) =>
  new Response(
    JSON.stringify({
      error: { name, message },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    }),
    {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    },
  );

describe('AiGatewayClient', () => {
  it('pages events with limit and cursor, encoding the name', async () => {
    const event = {
      id: 7,
      kind: 'pool',
      name: 'a b',
      action: 'updated',
      actor: 'user:default/jane',
      version: 2,
      at: '2024-05-01T12:00:00.000Z',
    };
    const { api, urls } = client(
      json({ items: [event], nextCursor: 'Nw' }),
      json({ items: [] }),
    );
    expect(await api.listEvents('pools', 'a b')).toEqual({
      items: [event],
      nextCursor: 'Nw',
    });
    expect(await api.listEvents('mcp-servers', 'x/y', 'c+1=')).toEqual({
      items: [],
    });
    expect(urls).toEqual([
      `${BASE}/pools/a%20b/events?limit=50`,
      `${BASE}/mcp-servers/x%2Fy/events?limit=50&cursor=c%2B1%3D`,
    ]);
  });

  it('reads every page of a list, by kind and filter, and finds an MCP server by prefix', async () => {
    const pool = (name: string) => ({
      kind: 'pool',
      name,
      project: 'pay',
      version: 1,
      createdAt: 't',
      createdBy: 'u',
      updatedAt: 't',
      updatedBy: 'u',
      spec: {},
    });
    const server = { ...pool('github'), kind: 'mcpServer' };
    const { api, urls } = client(
      json({ items: [pool('a')], nextCursor: 'YQ' }),
      json({ items: [pool('b')] }),
      json({ items: [server] }),
      json({ items: [] }),
      json(server),
    );
    expect((await api.listPools({ project: 'pay' })).map(p => p.name)).toEqual([
      'a',
      'b',
    ]);
    expect(await api.listInPool('mcp-servers', 'prod')).toEqual([server]);
    expect(await api.findMcpServerByPrefix('prod', 'gh')).toBeUndefined();
    expect(await api.getObject('mcp-servers', 'github')).toEqual(server);
    expect(urls).toEqual([
      `${BASE}/pools?limit=500&project=pay`,
      `${BASE}/pools?limit=500&cursor=YQ&project=pay`,
      `${BASE}/mcp-servers?limit=500&pool=prod`,
      `${BASE}/mcp-servers?limit=1&pool=prod&prefix=gh`,
      `${BASE}/mcp-servers/github`,
    ]);
  });

  it('lists every object of a kind the user may see, all pages', async () => {
    const project = (name: string) => ({
      kind: 'project',
      name,
      project: name,
      version: 1,
      createdAt: 't',
      createdBy: 'u',
      updatedAt: 't',
      updatedBy: 'u',
      spec: { title: name, owner: 'group:default/team' },
    });
    const { api, urls } = client(
      json({ items: [project('a')], nextCursor: 'YQ' }),
      json({ items: [project('b')] }),
      json({ items: [] }),
    );
    expect((await api.listObjects('projects')).map(p => p.name)).toEqual([
      'a',
      'b',
    ]);
    expect(await api.listObjects('ai-backends')).toEqual([]);
    expect(urls).toEqual([
      `${BASE}/projects?limit=500`,
      `${BASE}/projects?limit=500&cursor=YQ`,
      `${BASE}/ai-backends?limit=500`,
    ]);
  });

  it('reads the fleet and a pool status, and asks for sync and reseed', async () => {
    const status = {
      pool: 'prod',
      phase: 'Pending',
      phaseSince: 't',
      conditions: [],
    };
    const accepted = { pool: 'prod', requested: 'sync', mode: 'agent' };
    const { api, urls } = client(
      json({ items: [] }),
      json(status),
      json(accepted, { status: 202 }),
      json({ ...accepted, requested: 'reseed' }, { status: 202 }),
    );
    expect(await api.getFleet()).toEqual([]);
    expect(await api.getPoolStatus('prod')).toEqual(status);
    await api.requestPool('prod', 'sync');
    await api.requestPool('prod', 'reseed');
    expect(urls).toEqual([
      `${BASE}/fleet`,
      `${BASE}/pools/prod/status`,
      `POST ${BASE}/pools/prod/sync`,
      `POST ${BASE}/pools/prod/reseed`,
    ]);
  });

  it('reads the manifests as JSON, as YAML with the revision from the ETag, and the live diff', async () => {
    const bundle = {
      pool: 'prod',
      namespace: 'aigw',
      renderer: 'agentgateway',
      revision: 'sha256:abc',
      objects: [],
      warnings: [],
      kinds: [],
    };
    const diff = {
      pool: 'prod',
      revision: 'sha256:abc',
      against: 'cluster',
      diff: { added: [], changed: [], removed: [], unchanged: 3 },
    };
    const { api, urls } = client(
      json(bundle),
      text('# revision: sha256:fromcomment\n---\n', { ETag: '"sha256:abc"' }),
      json(diff),
    );
    expect(await api.getManifests('prod')).toEqual(bundle);
    expect(await api.getManifestsYaml('prod')).toEqual({
      revision: 'sha256:abc',
      yaml: '# revision: sha256:fromcomment\n---\n',
    });
    expect(await api.diffLive('prod')).toEqual(diff);
    expect(urls).toEqual([
      `${BASE}/pools/prod/manifests`,
      `${BASE}/pools/prod/manifests?format=yaml`,
      `${BASE}/pools/prod/manifests?diff=live`,
    ]);
  });

  it("takes the YAML's revision from its header comment when the ETag is hidden (cross-origin)", async () => {
    const yaml =
      '# AI Gateway for Backstage: pool prod (agentgateway)\n# revision: sha256:0123456789\n---\nkind: Service\n';
    const { api } = client(text(yaml));
    expect(await api.getManifestsYaml('prod')).toEqual({
      revision: 'sha256:0123456789',
      yaml,
    });
  });

  it('reads the deployer Role as an object and as YAML', async () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'aigateway-deployer', namespace: 'aigw' },
      rules: [],
    };
    const { api, urls } = client(json(role), text('kind: Role\n'));
    expect(await api.getDeployerRole('p 1')).toEqual(role);
    expect(await api.getDeployerRoleYaml('p 1')).toBe('kind: Role\n');
    expect(urls).toEqual([
      `${BASE}/pools/p%201/rbac/deployer-role`,
      `${BASE}/pools/p%201/rbac/deployer-role?format=yaml`,
    ]);
  });

  it("turns an error answer into a ResponseError carrying the status and the server's message", async () => {
    const { api } = client(
      failure(
        400,
        'Bad Request',
        'InputError',
        "cluster 'eks' is not in kubernetes.clusterLocatorMethods",
      ),
      failure(404, 'Not Found', 'NotFoundError', "Pool 'gone' not found"),
    );
    const diffError = await api.diffLive('prod').catch(e => e);
    expect(diffError).toBeInstanceOf(ResponseError);
    expect(diffError.statusCode).toBe(400);
    expect(diffError.cause.message).toBe(
      "cluster 'eks' is not in kubernetes.clusterLocatorMethods",
    );
    // Text endpoints too: an error body is not returned as if it were YAML.
    const yamlError = await api.getManifestsYaml('gone').catch(e => e);
    expect(yamlError).toBeInstanceOf(ResponseError);
    expect(yamlError.statusCode).toBe(404);
    expect(yamlError.cause.message).toBe("Pool 'gone' not found");
  });

  it("reads a pool's GitOps folder and issues a new enrollment token", async () => {
    const files = {
      pool: 'prod',
      revision: 'sha256:1',
      files: { 'a.yaml': 'x' },
    };
    const { api, urls } = client(
      json(files),
      json({ pool: 'prod', enrollmentToken: 'aigw_new' }, { status: 201 }),
    );
    expect(await api.getGitopsFiles('prod')).toEqual(files);
    expect(await api.issueEnrollmentToken('prod')).toBe('aigw_new');
    expect(urls).toEqual([
      `${BASE}/pools/prod/gitops`,
      `POST ${BASE}/pools/prod/enrollment-token`,
    ]);
  });

  it('reads, creates, replaces (with the version read) and deletes budgets', async () => {
    const spec: BudgetInput = {
      name: 'team-a-monthly',
      scope: { kind: 'team', name: 'group:default/team-a' },
      window: 'monthly',
      limit: { usd: 100 },
      softThresholds: [0.8],
      onExceeded: { kind: 'refuse' },
    };
    const budget = {
      kind: 'budget',
      name: spec.name,
      version: 2,
      createdAt: '',
      createdBy: '',
      updatedAt: '',
      updatedBy: '',
      spec,
    };
    const { api, urls, bodies } = client(
      json({ items: [budget] }),
      json({ budget: spec.name, spent: 12 }),
      json(budget, { status: 201 }),
      json({ ...budget, version: 3 }),
      json({ deleted: spec.name }),
    );
    expect(await api.listBudgets()).toEqual([budget]);
    expect(await api.getBudgetState('team-a-monthly')).toMatchObject({
      spent: 12,
    });
    expect(await api.createBudget(spec)).toEqual(budget);
    expect((await api.updateBudget(spec.name, spec, 2)).version).toBe(3);
    await api.deleteBudget(spec.name);
    expect(urls).toEqual([
      `${BASE}/budgets`,
      `${BASE}/budgets/team-a-monthly/state`,
      `POST ${BASE}/budgets`,
      `PUT ${BASE}/budgets/team-a-monthly`,
      `DELETE ${BASE}/budgets/team-a-monthly`,
    ]);
    expect(bodies).toEqual([spec, { ...spec, version: 2 }]);
  });

  it("lists the Kubernetes plugin's clusters, undefined without a Kubernetes backend", async () => {
    const { api, urls } = client(
      json({ items: [{ name: 'kind-local', authProvider: 'serviceAccount' }] }),
      new Response('Not Found', { status: 404 }),
      failure(403, 'Forbidden', 'NotAllowedError', 'kubernetes.clusters.read'),
    );
    expect(await api.getKubernetesClusters()).toEqual(['kind-local']);
    expect(await api.getKubernetesClusters()).toBeUndefined();
    await expect(api.getKubernetesClusters()).rejects.toBeInstanceOf(
      ResponseError,
    );
    expect(urls).toEqual([
      'http://backstage/api/kubernetes/clusters',
      'http://backstage/api/kubernetes/clusters',
      'http://backstage/api/kubernetes/clusters',
    ]);
  });
});

describe('AiGatewayClient and MCP server contracts', () => {
  it('reads a contract, and checks one sending the credentials as X-MCP-Authorization', async () => {
    const calls: Array<{ url: string; method?: string; headers: Headers }> = [];
    const fetch = jest.fn(
      async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({
          url: String(input),
          method: init?.method,
          headers: new Headers(init?.headers),
        });
        return json({ server: 'docs', previous: [], changes: [] });
      },
    );
    const api = new AiGatewayClient({
      discoveryApi: {
        getBaseUrl: async (id: string) => `http://backstage/api/${id}`,
      },
      fetchApi: { fetch: fetch as any },
    });
    expect(await api.getMcpServerContract('docs')).toEqual({
      server: 'docs',
      previous: [],
      changes: [],
    });
    await api.checkMcpServerContract('docs', 'Bearer gateway-token');
    await api.checkMcpServerContract('docs');
    expect(calls.map(c => `${c.method} ${c.url}`)).toEqual([
      `GET ${BASE}/mcp-servers/docs/contract`,
      `POST ${BASE}/mcp-servers/docs/contract/check`,
      `POST ${BASE}/mcp-servers/docs/contract/check`,
    ]);
    expect(calls[1].headers.get('x-mcp-authorization')).toBe(
      'Bearer gateway-token',
    );
    expect(calls[2].headers.has('x-mcp-authorization')).toBe(false);
  });
});
