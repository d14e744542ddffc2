import {
  aiBackendSchema,
  mcpServerSchema,
  poolSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { objectsOfStage, ManifestBundle } from '../manifests/ManifestBundle';
import { poolLabelSelector } from '../manifests/labels';
import type { PoolDesiredState } from '../render/ManifestRenderer';
import { RendererRegistry } from '../render/RendererRegistry';
// Real bundles: the applier is tested with what the agentgateway renderer produces.
import { AgentgatewayRenderer } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { KubernetesApiTestServer } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubernetesApplier, type ApplyProgress } from './KubernetesApplier';

jest.setTimeout(60_000);

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const pool = poolSchema.parse({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'test', type: 'native' },
  namespace: 'ai-gateway',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
  ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
  delivery: { mode: 'direct' },
});
const server = (name: string) =>
  mcpServerSchema.parse({
    name,
    project: 'payments',
    pool: 'prod',
    prefix: name,
    source: { type: 'image', image: `ghcr.io/example/${name}:1.0` },
  });
const llm = aiBackendSchema.parse({
  name: 'llm',
  project: 'payments',
  pool: 'prod',
  spec: {
    kind: 'ai',
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            credentialsSecretRef: { name: 'openai', key: 'k' },
          },
        ],
      },
    ],
  },
});
const bundleOf = (state: Partial<PoolDesiredState>): ManifestBundle =>
  registry.renderBundle(
    { pool, mcpServers: [], aiBackends: [], policies: [], ...state },
    { controlPlaneUrl: 'https://portal.example.com/api/ai-gateway' },
  );
const prune = (b: ManifestBundle) => ({
  labelSelector: poolLabelSelector('prod', 'runtime'),
  kinds: b.kinds,
});

describe('KubernetesApplier against the Kubernetes API test server', () => {
  let api: KubernetesApiTestServer;
  let applier: KubernetesApplier;

  beforeEach(async () => {
    api = await KubernetesApiTestServer.start({ namespaces: ['ai-gateway'] });
    api.put({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'agentgateway' },
      spec: { controllerName: 'agentgateway.dev/agentgateway' },
    } as any);
    applier = new KubernetesApplier(api.kubeConfig(), {
      namespace: 'ai-gateway',
    });
  });

  afterEach(async () => {
    await api.stop();
  });

  it('applies a whole bundle with server-side apply, field manager ai-gateway, in dependency order', async () => {
    const bundle = bundleOf({
      mcpServers: [server('github')],
      aiBackends: [llm],
    });
    const objects = objectsOfStage(bundle, 'runtime');
    expect(await applier.preflight(objects)).toEqual([]);
    const waves: string[] = [];
    const result = await applier.apply(objects, {
      onProgress: (e: ApplyProgress) => e.type === 'wave' && waves.push(e.kind),
    });
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(objects.length);
    expect(api.objects({ namespace: 'ai-gateway' }).length).toBe(
      objects.length,
    );
    const applies = api.requests.filter(r => r.method === 'PATCH');
    expect(
      applies.every(
        r =>
          r.contentType?.startsWith('application/apply-patch+yaml') &&
          r.fieldManager === 'ai-gateway',
      ),
    ).toBe(true);
    // Secrets and config before workloads, workloads before routes, routes before policies.
    expect(waves.indexOf('Service')).toBeLessThan(waves.indexOf('Deployment'));
    expect(waves.indexOf('AgentgatewayBackend')).toBeLessThan(
      waves.indexOf('HTTPRoute'),
    );
    expect(waves.indexOf('Gateway')).toBeLessThan(waves.indexOf('HTTPRoute'));
    const deployment = api.get(
      'apps/v1',
      'Deployment',
      'ai-gateway',
      'mcp-github',
    ) as any;
    expect(
      deployment.metadata.managedFields.map((f: any) => f.manager),
    ).toEqual(['ai-gateway']);
  });

  it('prunes what is no longer desired, and only labelled objects of this pool', async () => {
    const grown = bundleOf({
      mcpServers: [server('github'), server('jira')],
      aiBackends: [llm],
    });
    expect(
      (
        await applier.apply(objectsOfStage(grown, 'runtime'), {
          prune: prune(grown),
        })
      ).failed,
    ).toEqual([]);
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'by-hand', namespace: 'ai-gateway' },
    } as any);
    api.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'other-pool',
        namespace: 'ai-gateway',
        labels: {
          'app.kubernetes.io/managed-by': 'ai-gateway',
          'ai-gateway.backstage.io/pool': 'other',
          'ai-gateway.backstage.io/stage': 'runtime',
        },
      },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    } as any);
    const shrunk = bundleOf({ mcpServers: [server('github')] });
    const result = await applier.apply(objectsOfStage(shrunk, 'runtime'), {
      prune: prune(shrunk),
    });
    expect(result.failed).toEqual([]);
    expect(result.pruned.map(p => p.ref).sort()).toEqual([
      'AgentgatewayBackend/ai-llm',
      'AgentgatewayBackend/mcp-jira',
      'Deployment/mcp-jira',
      'HTTPRoute/ai-llm',
      'HTTPRoute/mcp-jira',
      'HorizontalPodAutoscaler/mcp-jira',
      'Service/mcp-jira',
    ]);
    expect(
      api.get('apps/v1', 'Deployment', 'ai-gateway', 'mcp-github'),
    ).toBeDefined();
    expect(api.get('v1', 'ConfigMap', 'ai-gateway', 'by-hand')).toBeDefined();
    expect(
      api.get('apps/v1', 'Deployment', 'ai-gateway', 'other-pool'),
    ).toBeDefined();
    // Pruning deletes dependents first: routes before backends before workloads.
    const deletes = api.requests
      .filter(r => r.method === 'DELETE')
      .map(r => r.path);
    expect(deletes.findIndex(p => p.includes('httproutes'))).toBeLessThan(
      deletes.findIndex(p => p.includes('deployments')),
    );
  });

  it('retries transient errors (500, 429, 409) with backoff and succeeds', async () => {
    const bundle = bundleOf({ mcpServers: [server('github')] });
    api.failNext(2, {
      code: 500,
      matching: { method: 'PATCH', kind: 'Deployment' },
    });
    api.failNext(1, {
      code: 409,
      reason: 'Conflict',
      matching: { method: 'PATCH', kind: 'Service' },
    });
    api.failNext(1, {
      code: 429,
      matching: { method: 'PATCH', kind: 'Gateway' },
    });
    const retries: string[] = [];
    const result = await applier.apply(objectsOfStage(bundle, 'runtime'), {
      backoffMs: 5,
      onProgress: e => e.type === 'retry' && retries.push(e.ref),
    });
    expect(result.failed).toEqual([]);
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(
      api.get('apps/v1', 'Deployment', 'ai-gateway', 'mcp-github'),
    ).toBeDefined();
  });

  it('stops at a 422 rejection without retrying it, naming the object and the server message', async () => {
    const bundle = bundleOf({ mcpServers: [server('github')] });
    api.failNext(1, {
      code: 422,
      reason: 'Invalid',
      message:
        'HTTPRoute.gateway.networking.k8s.io "mcp-github" is invalid: spec.rules: Too many',
      matching: { kind: 'HTTPRoute' },
    });
    const result = await applier.apply(objectsOfStage(bundle, 'runtime'), {
      backoffMs: 5,
    });
    expect(result.failed).toEqual([
      expect.objectContaining({
        ref: 'HTTPRoute/mcp-github',
        code: 422,
        message: expect.stringContaining('is invalid: spec.rules: Too many'),
      }),
    ]);
    expect(result.skipped.map(s => s.kind)).toContain('Ingress');
    expect(
      api.requests.filter(
        r =>
          r.method === 'PATCH' &&
          r.path.includes('httproutes') &&
          r.status === 422,
      ),
    ).toHaveLength(1);
  });

  it('reports an unreachable API server as code 0 after its retries, and recovers with nothing lost', async () => {
    const bundle = bundleOf({ mcpServers: [server('github')] });
    const objects = objectsOfStage(bundle, 'runtime');
    await applier.apply(objects);
    const before = api.objects({ namespace: 'ai-gateway' }).length;
    api.setUnreachable(true);
    expect((await applier.preflight(objects))[0]).toMatchObject({
      code: 'Unreachable',
    });
    const down = await applier.apply(objects, { attempts: 2, backoffMs: 5 });
    expect(down.failed[0]).toMatchObject({
      code: 0,
      message: expect.stringMatching(/ECONNREFUSED|fetch failed/),
    });
    api.setUnreachable(false);
    expect((await applier.apply(objects)).failed).toEqual([]);
    expect(api.objects({ namespace: 'ai-gateway' }).length).toBe(before);
  });

  it('says clearly when the namespace is forbidden or missing, CRDs or the GatewayClass are missing, or a kind is cluster-scoped', async () => {
    const objects = objectsOfStage(bundleOf({}), 'runtime');
    const unforbid = api.forbid(r => r.namespace === 'ai-gateway');
    expect((await applier.preflight(objects)).map(p => p.code)).toContain(
      'NamespaceForbidden',
    );
    unforbid();
    expect(
      (
        await new KubernetesApplier(api.kubeConfig(), {
          namespace: 'nope',
        }).preflight(objects)
      )[0],
    ).toMatchObject({
      code: 'NamespaceMissing',
      message: 'namespace nope does not exist; create it first',
    });
    const noCrds = await KubernetesApiTestServer.start({
      namespaces: ['ai-gateway'],
      apiGroups: [
        'apps',
        'policy',
        'autoscaling',
        'networking.k8s.io',
        'rbac.authorization.k8s.io',
        'gateway.networking.k8s.io',
        'cert-manager.io',
      ],
    });
    try {
      const problems = await new KubernetesApplier(noCrds.kubeConfig(), {
        namespace: 'ai-gateway',
      }).preflight(objects);
      expect(problems.map(p => p.code).sort()).toEqual([
        'CrdMissing',
        'GatewayClassMissing',
      ]);
      expect(problems.find(p => p.code === 'CrdMissing')!.message).toContain(
        'AgentgatewayParameters (agentgateway.dev/v1alpha1)',
      );
    } finally {
      await noCrds.stop();
    }
    const clusterScoped = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'x' },
        rules: [],
      },
    ];
    expect((await applier.preflight(clusterScoped))[0]).toMatchObject({
      code: 'ClusterScoped',
    });
  });

  it('does nothing in a server-side dry run', async () => {
    const objects = objectsOfStage(bundleOf({}), 'runtime');
    const result = await applier.apply(objects, { dryRun: true });
    expect(result.failed).toEqual([]);
    expect(api.objects({ namespace: 'ai-gateway' })).toEqual([]);
  });
});

describe('KubernetesApplier request deadline', () => {
  it('gives up on an API server that accepts connections and never answers, as a network error (retried)', async () => {
    const held: http.ServerResponse[] = [];
    const silent = http.createServer((_req, res) => {
      held.push(res);
    });
    await new Promise<void>(resolve =>
      silent.listen(0, '127.0.0.1', () => resolve()),
    );
    const port = (silent.address() as AddressInfo).port;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    const applier = new KubernetesApplier(kubeConfig, {
      namespace: 'ai-gateway',
      requestTimeoutMs: 200,
    });
    const retries: string[] = [];
    const started = Date.now();
    try {
      const result = await applier.apply(
        [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'c' },
            data: {},
          },
        ],
        {
          attempts: 2,
          backoffMs: 5,
          onProgress: e => e.type === 'retry' && retries.push(e.message),
        },
      );
      expect(result.failed).toEqual([
        expect.objectContaining({ code: 0, ref: 'ConfigMap/c' }),
      ]);
      expect(retries).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const res of held) res.destroy();
      silent.close();
    }
  });
});
