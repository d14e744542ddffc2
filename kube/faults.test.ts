import {
  aPool,
  anMcpServer,
  eventually,
  KubernetesFaultProxy,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  describeError,
  KubernetesApplier,
  objectsOfStage,
  OPERATOR_RUNTIME_RULES,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_RUNTIME_RULES } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import {
  KubernetesObject,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import {
  adminApply,
  bindRole,
  createNamespace,
  kubeConfigOf,
  newServiceAccount,
  kubeConfigWithToken,
  serviceAccountToken,
  tierState,
  waitForAccess,
  writeControllerStatus,
} from './harness/cluster';
import { CLUSTER, Portal, startPortal } from './harness/portal';

jest.setTimeout(300_000);

/**
 * Delivery when the API server fails, on a real API server: refusals come
 * from its own RBAC and admission (a removed RoleBinding, a
 * ValidatingAdmissionPolicy); what a real server cannot be made to do on
 * demand (429, 500, a 409 on an apply, slow answers, being unreachable) comes
 * from the test kit's fault proxy in front of it.
 */

/** The direct-delivery portal's own ServiceAccount (not the one direct-gitops.test.ts makes). */
const CONTROL_PLANE_NAMESPACE = 'aigw-f-system';
const CONTROL_PLANE_ACCOUNT = 'ai-gateway-control-plane';

type Named = { kind: string; metadata: { name: string } };
const refOf = (o: Named) => `${o.kind}/${o.metadata.name}`;

/** The live object as the admin reads it, or undefined when it does not exist. */
async function live(
  object: { apiVersion: string; kind: string; metadata: { name: string } },
  namespace: string,
): Promise<KubernetesObject | undefined> {
  try {
    return await kubeConfigOf()
      .makeApiClient(KubernetesObjectApi)
      .read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace },
      });
  } catch (error) {
    if (describeError(error).code === 404) return undefined;
    throw error;
  }
}

/** The pool's phase changes, oldest first (`Pending → OutOfSync`, …). */
async function phaseChanges(portal: { api: Portal['api'] }, pool: string) {
  const events = (await portal.api.get(`/pools/${pool}/events?limit=100`)).body
    .items;
  return events
    .filter((e: { action: string }) => e.action === 'phase-changed')
    .map((e: { message: string }) => e.message.split(':')[0])
    .reverse();
}

const appliedMessage = (status: any): string =>
  status.conditions.find((c: { type: string }) => c.type === 'Applied')
    ?.message;

describe('agent delivery through API server faults', () => {
  let portal: Portal;
  let proxy: KubernetesFaultProxy;

  beforeAll(async () => {
    portal = await startPortal();
    const { server, caData } = tierState();
    proxy = await KubernetesFaultProxy.start({
      target: { url: server, caData },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await proxy?.stop();
  });

  it('applies -> Active; throttled, failing and slow answers are retried; a removed RoleBinding -> Degraded -> recovered; prunes; a rotated token locks it out; silence -> Stale', async () => {
    const pool = 'f-agent';
    const namespace = `aigw-${pool}`;
    await createNamespace(namespace);
    const created = await portal.api.post(
      '/pools',
      aPool(pool, 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'agent' },
        ingress: [{ kind: 'gateway-api', className: 'agentgateway' }],
      }),
    );
    expect(created.status).toBe(201);
    // Installed by the admin (agent.test.ts proves the deployer Role can).
    const bootstrap = await portal.stage(pool, 'bootstrap');
    const install = (objects: ManifestObject[]) =>
      new KubernetesApplier(kubeConfigOf(), { namespace }).apply(objects, {
        attempts: 1,
        fieldManager: 'ai-gateway-install',
      });
    expect((await install(bootstrap)).failed).toEqual([]);

    // The operator acts as its own ServiceAccount, through the proxy.
    const account = bootstrap.find(o => o.kind === 'ServiceAccount')!;
    const subject = `system:serviceaccount:${namespace}:${account.metadata.name}`;
    const token = await serviceAccountToken(namespace, account.metadata.name);
    const operator = portal.operator(
      proxy.kubeConfig(token, subject),
      namespace,
      created.body.enrollmentToken,
    );
    const healthy = async () =>
      writeControllerStatus(namespace, await portal.stage(pool, 'runtime'));

    operator.start();
    try {
      const applied = await portal.waitForApplied(pool);
      expect(applied.heartbeat.operatorVersion).toBe('0.1.0');
      const runtime = await portal.stage(pool, 'runtime');
      for (const object of runtime)
        expect([refOf(object), !!(await live(object, namespace))]).toEqual([
          refOf(object),
          true,
        ]);
      // The operator applies runtime objects only; the bootstrap is the installer's.
      const operatorDeployment = await live(
        bootstrap.find(o => o.kind === 'Deployment')!,
        namespace,
      );
      expect(
        operatorDeployment?.metadata?.managedFields?.map(f => f.manager),
      ).toEqual(['ai-gateway-install']);
      await healthy();
      await portal.waitForActive(pool);

      // 429s, a 500 and a slow answer: the applier retries and waits; no failure reaches the pool.
      proxy.failNext(2, {
        code: 429,
        matching: {
          method: 'PATCH',
          kind: 'AgentgatewayBackend',
          name: 'mcp-github',
        },
      });
      proxy.failNext(1, {
        code: 500,
        message: 'etcdserver: request timed out',
        matching: { method: 'PATCH', kind: 'HTTPRoute', name: 'mcp-github' },
      });
      proxy.delayNext(1, 2_000, {
        method: 'PATCH',
        kind: 'HTTPRoute',
        name: 'mcp-github',
      });
      const firstRequest = proxy.requests.length;
      expect(
        (
          await portal.api.post(
            '/mcp-servers',
            anMcpServer('github', 'payments', pool),
          )
        ).status,
      ).toBe(201);
      await portal.waitForApplied(pool);
      const github = (await portal.stage(pool, 'runtime')).filter(o =>
        o.metadata.name.includes('github'),
      );
      expect(github.map(o => o.kind).sort()).toEqual([
        'AgentgatewayBackend',
        'HTTPRoute',
      ]);
      const writes = proxy.requests
        .slice(firstRequest)
        .filter(r => r.method === 'PATCH' && r.path.includes('github'))
        .map(r => [
          r.path.split('/').slice(-2).join('/'),
          r.status,
          r.delayedMs ?? 0,
        ]);
      // 201: a server-side apply that creates answers Created.
      expect(writes).toEqual([
        ['agentgatewaybackends/mcp-github', 429, 0],
        ['agentgatewaybackends/mcp-github', 429, 0],
        ['agentgatewaybackends/mcp-github', 201, 0],
        ['httproutes/mcp-github', 500, 2_000],
        ['httproutes/mcp-github', 201, 0],
      ]);
      await healthy();
      await portal.waitForActive(pool);
      expect(await phaseChanges(portal, pool)).toEqual([
        'Pending → OutOfSync',
        'OutOfSync → Active',
        'Active → OutOfSync',
        'OutOfSync → Active',
      ]);

      // Its RoleBindings removed, the API server refuses the operator: Degraded with the refusal.
      const rbac = kubeConfigOf().makeApiClient(RbacAuthorizationV1Api);
      const bindings = bootstrap.filter(o => o.kind === 'RoleBinding');
      expect(bindings.length).toBeGreaterThan(0);
      for (const binding of bindings)
        await rbac.deleteNamespacedRoleBinding({
          name: binding.metadata.name,
          namespace,
        });
      await waitForAccess(
        kubeConfigWithToken(token, subject),
        {
          namespace,
          group: 'agentgateway.dev',
          resource: 'agentgatewaybackends',
          verb: 'patch',
        },
        false,
      );
      await portal.api.post(
        '/mcp-servers',
        anMcpServer('jira', 'payments', pool),
      );
      const degraded = await eventually(
        'the pool Degraded',
        async () => {
          const s = await portal.status(pool);
          return s.phase === 'Degraded' ? s : undefined;
        },
        60_000,
      );
      expect(appliedMessage(degraded)).toContain(`User "${subject}" cannot`);
      const jira = (await portal.stage(pool, 'runtime')).filter(o =>
        o.metadata.name.includes('jira'),
      );
      expect(jira.length).toBeGreaterThan(0);
      for (const object of jira)
        expect(await live(object, namespace)).toBeUndefined();

      // Bound again, the operator recovers on its backoff with nothing lost.
      expect((await install(bindings)).failed).toEqual([]);
      await portal.waitForApplied(pool);
      for (const object of [...jira, ...github])
        expect([refOf(object), !!(await live(object, namespace))]).toEqual([
          refOf(object),
          true,
        ]);
      await healthy();
      await portal.waitForActive(pool);

      // A deleted MCP server is pruned.
      expect((await portal.api.delete('/mcp-servers/github')).status).toBe(200);
      await portal.waitForApplied(pool);
      for (const object of github)
        expect(await live(object, namespace)).toBeUndefined();
      await portal.waitForActive(pool);

      // A rotated enrollment token locks the operator out.
      expect(
        (await portal.api.post(`/pools/${pool}/enrollment-token`)).status,
      ).toBe(201);
      await eventually(
        'the token rejected',
        async () => operator.tokenRejected,
      );
    } finally {
      await operator.stop();
    }

    // Heartbeats stopped: Stale once the window has passed.
    const current = (await portal.api.get(`/pools/${pool}`)).body;
    const shortened = await portal.api.put(`/pools/${pool}`, {
      ...current.spec,
      heartbeatStaleSeconds: 30,
      version: current.version,
    });
    expect(shortened.status).toBe(200);
    const row = await portal.t.knex('aigw_pool_status').where({ pool }).first();
    await portal.t
      .knex('aigw_pool_status')
      .where({ pool })
      .update({
        heartbeat: JSON.stringify({
          ...JSON.parse(row.heartbeat),
          receivedAt: new Date(Date.now() - 31_000).toISOString(),
        }),
      });
    expect((await portal.status(pool)).phase).toBe('Stale');
  });
});

describe('direct delivery through API server faults', () => {
  let proxy: KubernetesFaultProxy;
  let portal: Portal;
  let api: Portal['api'];

  beforeAll(async () => {
    const { server, caData } = tierState();
    proxy = await KubernetesFaultProxy.start({
      target: { url: server, caData },
    });
    portal = await startPortal({
      controlPlaneToken: await newServiceAccount(
        CONTROL_PLANE_NAMESPACE,
        CONTROL_PLANE_ACCOUNT,
      ),
      // client-node takes http:// only without TLS verification
      cluster: { url: proxy.url, skipTLSVerify: true },
    });
    api = portal.api;
  });
  afterAll(async () => {
    await portal?.stop();
    await proxy?.stop();
  });

  const status = async (pool: string) =>
    (await api.get(`/pools/${pool}/status`)).body;
  const sync = async (pool: string) =>
    (await api.post(`/pools/${pool}/sync`)).body.result;
  const runtime = async (pool: string) =>
    objectsOfStage(
      (await api.get(`/pools/${pool}/manifests`)).body,
      'runtime',
    ) as ManifestObject[];
  const waitForPhase = (pool: string, phase: string) =>
    eventually(`pool ${pool} ${phase}`, async () => {
      const s = await status(pool);
      return s.phase === phase ? s : undefined;
    });
  /**
   * The newest revision applied, then healthy: no controller runs, so the
   * test writes the objects' status and the control plane reads it back.
   */
  const healthy = async (pool: string, namespace: string) => {
    await eventually(
      `pool ${pool} applied on its newest revision`,
      async () => {
        const s = await status(pool);
        if (
          s.heartbeat?.runningRevision === s.desiredRevision &&
          s.heartbeat?.lastApply?.succeeded
        )
          return true;
        throw new Error(`${s.phase}: ${appliedMessage(s) ?? ''}`);
      },
      60_000,
      200,
    );
    await writeControllerStatus(namespace, await runtime(pool));
    expect((await sync(pool)).phase).toBe('Active');
  };

  it('applies -> Active; an unreachable API server -> Degraded and no live diff -> reseed recovers; a 409 is retried; an admission policy refusal (422) -> Degraded with its message -> fixed', async () => {
    const pool = 'f-direct';
    const namespace = `aigw-${pool}`;
    await createNamespace(namespace);
    const identity = {
      kind: 'ServiceAccount' as const,
      name: CONTROL_PLANE_ACCOUNT,
      namespace: CONTROL_PLANE_NAMESPACE,
    };
    await bindRole(
      namespace,
      { name: 'ai-gateway-runtime', rules: [...OPERATOR_RUNTIME_RULES] },
      identity,
    );
    await bindRole(
      namespace,
      {
        name: 'ai-gateway-runtime-agentgateway',
        rules: [...AGENTGATEWAY_RUNTIME_RULES],
      },
      identity,
    );
    const created = await api.post(
      '/pools',
      aPool(pool, 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'direct' },
        ingress: [{ kind: 'gateway-api', className: 'agentgateway' }],
      }),
    );
    expect(created.status).toBe(201);
    await sync(pool);
    await healthy(pool, namespace);
    expect((await status(pool)).heartbeat.operatorVersion).toBe(
      'control-plane',
    );

    await api.post('/mcp-servers', anMcpServer('github', 'payments', pool));
    await healthy(pool, namespace);
    const github = (await runtime(pool)).filter(o =>
      o.metadata.name.includes('github'),
    );
    expect(github.length).toBeGreaterThan(0);
    // The live diff is taken against the cluster itself: nothing to do.
    expect(
      (await api.get(`/pools/${pool}/manifests?diff=live`)).body,
    ).toMatchObject({
      against: 'cluster',
      diff: { added: [], changed: [], removed: [] },
    });

    // Unreachable: no live diff (503: the cluster, not the request, is at fault), Degraded.
    await proxy.setUnreachable(true);
    const noDiff = await api.get(`/pools/${pool}/manifests?diff=live`);
    expect(noDiff.status).toBe(503);
    expect(noDiff.body.error.message).toContain(
      `Cannot read pool ${pool} from cluster '${CLUSTER}'`,
    );
    const unreachable = await api.post(`/pools/${pool}/sync`);
    expect(unreachable.status).toBe(202);
    expect(unreachable.body.result.phase).toBe('Degraded');
    expect(appliedMessage(unreachable.body.result)).toContain(
      'the Kubernetes API server cannot be reached: ECONNREFUSED',
    );
    await proxy.setUnreachable(false);
    const reseeded = (await api.post(`/pools/${pool}/reseed`)).body.result;
    expect(reseeded.phase).toBe('Active');
    for (const object of github)
      expect(await live(object, namespace)).toBeDefined();

    // A 409 on an apply is retried.
    const firstRequest = proxy.requests.length;
    proxy.failNext(1, {
      code: 409,
      message: 'Operation cannot be fulfilled: the object has been modified',
      matching: { method: 'PATCH', kind: 'HTTPRoute', name: 'mcp-jira' },
    });
    await api.post('/mcp-servers', anMcpServer('jira', 'payments', pool));
    await healthy(pool, namespace);
    expect(
      proxy.requests
        .slice(firstRequest)
        .filter(
          r => r.method === 'PATCH' && r.path.endsWith('/httproutes/mcp-jira'),
        )
        .map(r => r.status),
    ).toEqual([409, 201]);

    // The cluster's own admission policy refuses an image: 422 with its message, Degraded.
    await admitImagesOnlyFrom('ghcr.io/', namespace);
    const wiki = anMcpServer('wiki', 'payments', pool, {
      source: { type: 'image', image: 'docker.io/example/wiki-mcp:1.0' },
    });
    await api.post('/mcp-servers', wiki);
    const degraded = await waitForPhase(pool, 'Degraded');
    const deployment = (await runtime(pool)).find(
      o => o.kind === 'Deployment' && o.metadata.name.includes('wiki'),
    )!;
    expect(appliedMessage(degraded)).toContain(`${refOf(deployment)}: 422 `);
    expect(appliedMessage(degraded)).toContain(
      'images must come from ghcr.io/',
    );
    expect(await live(deployment, namespace)).toBeUndefined();
    // Fixed by its owner: applied.
    const current = (await api.get('/mcp-servers/wiki')).body;
    expect(
      (
        await api.put('/mcp-servers/wiki', {
          ...current.spec,
          source: { type: 'image', image: 'ghcr.io/example/wiki-mcp:1.0' },
          version: current.version,
        })
      ).status,
    ).toBe(200);
    await healthy(pool, namespace);
    expect(await live(deployment, namespace)).toBeDefined();
  });

  it('a cluster that is not configured is a clear Degraded reason, logged once', async () => {
    const pool = 'f-nowhere';
    await api.post(
      '/pools',
      aPool(pool, 'payments', {
        cluster: { name: 'elsewhere', type: 'eks' },
        delivery: { mode: 'direct' },
      }),
    );
    const result = await sync(pool);
    expect(result.phase).toBe('Degraded');
    expect(appliedMessage(result)).toBe(
      `cluster 'elsewhere' is not in kubernetes.clusterLocatorMethods (known: ${CLUSTER}); direct delivery needs it`,
    );
    expect((await api.get(`/pools/${pool}/manifests?diff=live`)).status).toBe(
      400,
    );
    // Retrying the same failure does not flood the pool's event log.
    await sync(pool);
    await sync(pool);
    const events = (await api.get(`/pools/${pool}/events`)).body.items;
    expect(
      events.filter((e: { action: string }) => e.action === 'apply-failed'),
    ).toHaveLength(1);
  });
});

/**
 * A ValidatingAdmissionPolicy, as a platform team sets one up: MCP servers'
 * Deployments (teams' own images) in `namespace` may only run images from
 * `registry`; refusals are 422 Invalid. Returns once the API server
 * enforces it.
 */
async function admitImagesOnlyFrom(registry: string, namespace: string) {
  const name = `images-from-${namespace}`;
  await adminApply([
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['deployments'],
            },
          ],
        },
        validations: [
          {
            expression: `object.spec.template.spec.containers.all(c, c.image.startsWith('${registry}'))`,
            message: `images must come from ${registry}`,
            reason: 'Invalid',
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': namespace },
          },
          objectSelector: {
            matchLabels: { 'app.kubernetes.io/component': 'mcp-server' },
          },
        },
      },
    } as KubernetesObject,
  ]);
  const probe = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'admission-probe',
      namespace,
      labels: { 'app.kubernetes.io/component': 'mcp-server' },
    },
    spec: {
      selector: { matchLabels: { app: 'probe' } },
      template: {
        metadata: { labels: { app: 'probe' } },
        spec: { containers: [{ name: 'probe', image: 'docker.io/probe:1' }] },
      },
    },
  };
  const objects = kubeConfigOf().makeApiClient(KubernetesObjectApi);
  await eventually(
    'the admission policy enforced',
    async () => {
      const error = await objects.create(probe, undefined, 'All').then(
        () => undefined,
        e => e,
      );
      return describeError(error).code === 422;
    },
    30_000,
    200,
  );
}
