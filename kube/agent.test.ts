import {
  aPolicy,
  aPool,
  anAiBackend,
  anMcpServer,
  eventually,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  describeError,
  KubernetesApplier,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  AppsV1Api,
  CustomObjectsApi,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  bindRole,
  createNamespace,
  kubeConfigOf,
  kubeConfigWithToken,
  serviceAccountToken,
  waitForAccess,
  writeControllerStatus,
} from './harness/cluster';
import { CLUSTER, Portal, startPortal } from './harness/portal';

jest.setTimeout(300_000);

/**
 * Agent delivery on a real API server, one pool per ingress kind / TLS mode /
 * Redis mode: a person bound only to the generated deployer Role installs the
 * bootstrap; the operator runs with a TokenRequest token of its own
 * ServiceAccount, so the only rights it has are the rendered Roles'.
 */
const variants: Array<{ name: string; spec: object }> = [
  {
    name: 'gwapi',
    spec: {
      ingress: [{ kind: 'gateway-api', className: 'agentgateway' }],
      tls: { mode: 'selfsigned' },
      redis: { mode: 'auto' },
    },
  },
  {
    name: 'ingress',
    spec: {
      ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
      tls: { mode: 'provided', wildcardSecretName: 'wildcard-tls' },
      redis: {
        mode: 'manual',
        host: 'cache.example.com',
        passwordSecretRef: { name: 'redis', key: 'password' },
        tls: true,
      },
    },
  },
  {
    name: 'istio',
    spec: {
      ingress: [{ kind: 'istio', className: 'ingressgateway' }],
      tls: {
        mode: 'letsencrypt',
        issuer: 'production',
        email: 'platform@example.com',
        dns01: {
          provider: 'cloudflare',
          dnsZone: 'example.com',
          credentialsSecretRef: { name: 'cloudflare', key: 'api-token' },
        },
      },
      domains: { baseDomain: 'ai.example.com' },
    },
  },
  {
    name: 'traefik',
    spec: {
      ingress: [{ kind: 'traefik', className: 'websecure' }],
      tls: { mode: 'selfsigned' },
      redis: { mode: 'auto' },
    },
  },
  {
    name: 'openshift',
    spec: {
      cluster: { name: CLUSTER, type: 'openshift' },
      ingress: [{ kind: 'openshift-route' }],
      tls: { mode: 'provided', wildcardSecretName: 'wildcard-tls' },
    },
  },
];

const refOf = (o: { kind: string; metadata: { name: string } }) =>
  `${o.kind}/${o.metadata.name}`;

describe('agent delivery on a real API server', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });
  afterAll(async () => {
    await portal?.stop();
  });

  async function install(pool: string, spec: object) {
    const namespace = `aigw-${pool}`;
    await createNamespace(namespace);
    const created = await portal.api.post(
      '/pools',
      aPool(pool, 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'agent' },
        maxReplicas: 4,
        ...spec,
      }),
    );
    expect(created.body).toMatchObject({ spec: { name: pool } });
    const enrollmentToken: string = created.body.enrollmentToken;
    const bootstrap = await portal.stage(pool, 'bootstrap');

    // The person installing holds the generated deployer Role and nothing else.
    const installer = new KubernetesApplier(kubeConfigOf('installer'), {
      namespace,
    });
    const refused = await installer.apply(bootstrap, { attempts: 1 });
    expect(refused.failed[0]).toMatchObject({
      code: 403,
      message: expect.stringContaining(
        `User "pool-installer" cannot patch resource`,
      ),
    });
    const deployerRole = (
      await portal.api.get(`/pools/${pool}/rbac/deployer-role`)
    ).body;
    await bindRole(
      namespace,
      { name: deployerRole.metadata.name, rules: deployerRole.rules },
      { kind: 'User', name: 'pool-installer' },
    );
    await waitForAccess(kubeConfigOf('installer'), {
      namespace,
      group: 'rbac.authorization.k8s.io',
      resource: 'roles',
      verb: 'create',
    });
    const installed = await installer.apply(bootstrap, {
      attempts: 1,
      fieldManager: 'ai-gateway-install',
    });
    expect(installed.failed).toEqual([]);
    expect(installed.applied.map(o => o.ref).sort()).toEqual(
      bootstrap.map(refOf).sort(),
    );

    // The operator's identity: a token of the ServiceAccount the bootstrap created.
    const account = bootstrap.find(o => o.kind === 'ServiceAccount')!;
    const token = await serviceAccountToken(namespace, account.metadata.name);
    const operatorKubeConfig = kubeConfigWithToken(
      token,
      `system:serviceaccount:${namespace}:${account.metadata.name}`,
    );
    const operator = portal.operator(
      operatorKubeConfig,
      namespace,
      enrollmentToken,
    );
    return { namespace, operator, operatorKubeConfig, account };
  }

  /** Every runtime object of the bundle exists, applied by the operator's field manager. */
  async function expectApplied(pool: string, namespace: string) {
    const runtime = await portal.stage(pool, 'runtime');
    const admin = kubeConfigOf().makeApiClient(KubernetesObjectApi);
    const missing: string[] = [];
    for (const object of runtime) {
      try {
        const live = await admin.read({
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name: object.metadata.name, namespace },
        });
        const managers = (live.metadata?.managedFields ?? []).map(
          f => `${f.manager}/${f.operation}`,
        );
        if (!managers.includes('ai-gateway/Apply'))
          missing.push(`${refOf(object)} not applied by ai-gateway`);
      } catch (error) {
        missing.push(`${refOf(object)}: ${describeError(error).message}`);
      }
    }
    expect(missing).toEqual([]);
    return runtime;
  }

  it.each(variants)(
    '$name: the deployer Role installs the bootstrap, the operator applies the whole bundle with its own Roles, adds and prunes',
    async ({ name, spec }) => {
      const pool = `a-${name}`;
      const { namespace, operator } = await install(pool, spec);
      operator.start();
      try {
        await portal.waitForApplied(pool);
        const first = await expectApplied(pool, namespace);
        expect(first.length).toBeGreaterThan(5);
        // No controller runs: the pool is applied, not Active, until the
        // objects' status says they work; the operator reads it back.
        expect((await portal.status(pool)).phase).not.toBe('Active');
        await writeControllerStatus(namespace, first);
        await portal.waitForActive(pool);

        // Self-service additions reach the cluster through the operator.
        for (const [path, body] of [
          [
            '/mcp-servers',
            anMcpServer(`${name}-remote`, 'payments', pool, {
              prefix: `${name}-remote`,
            }),
          ],
          [
            '/mcp-servers',
            anMcpServer(`${name}-image`, 'payments', pool, {
              prefix: `${name}-image`,
              source: {
                type: 'image',
                image: 'ghcr.io/github/github-mcp-server:0.9.0',
                env: { GITHUB_HOST: 'github.com' },
                secretEnv: [
                  {
                    name: 'GITHUB_TOKEN',
                    secretRef: { name: 'github', key: 'token' },
                  },
                ],
              },
            }),
          ],
          ['/ai-backends', anAiBackend(`${name}-llm`, 'payments', pool)],
          [
            '/policies',
            aPolicy(`${name}-limit`, 'payments', pool, {
              kind: 'backend',
              name: `${name}-llm`,
            }),
          ],
        ] as const) {
          const response = await portal.api.post(path, body);
          expect([path, response.status, response.body]).toEqual([
            path,
            201,
            expect.anything(),
          ]);
        }
        await portal.waitForApplied(pool);
        const grown = await expectApplied(pool, namespace);
        expect(grown.length).toBeGreaterThan(first.length);

        // Deleting an MCP server prunes its objects from the cluster.
        const imageObjects = grown.filter(o =>
          o.metadata.name.includes(`${name}-image`),
        );
        expect(imageObjects.length).toBeGreaterThan(0);
        expect(
          (await portal.api.delete(`/mcp-servers/${name}-image`)).status,
        ).toBe(200);
        await portal.waitForApplied(pool);
        const admin = kubeConfigOf().makeApiClient(KubernetesObjectApi);
        for (const object of imageObjects) {
          await expect(
            admin.read({
              apiVersion: object.apiVersion,
              kind: object.kind,
              metadata: { name: object.metadata.name, namespace },
            }),
          ).rejects.toMatchObject({ code: 404 });
        }
      } finally {
        await operator.stop();
      }
    },
  );

  it("the API server itself refuses the operator's identity anything outside its namespace or cluster-scoped", async () => {
    const pool = 'a-refused';
    const { namespace, operatorKubeConfig, account } = await install(pool, {});
    await createNamespace('aigw-elsewhere');
    const subject = `system:serviceaccount:${namespace}:${account.metadata.name}`;

    const elsewhere = await new KubernetesApplier(operatorKubeConfig, {
      namespace: 'aigw-elsewhere',
    }).apply(
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'foreign' },
          data: { a: 'b' },
        } as ManifestObject,
      ],
      { attempts: 1 },
    );
    expect(elsewhere.failed).toEqual([
      expect.objectContaining({
        code: 403,
        message: `configmaps "foreign" is forbidden: User "${subject}" cannot patch resource "configmaps" in API group "" in the namespace "aigw-elsewhere"`,
      }),
    ]);

    const api = operatorKubeConfig.makeApiClient(KubernetesObjectApi);
    for (const object of [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'aigw-escalate' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'aigw-new' },
      },
    ]) {
      const error = await api.create(object as KubernetesObject).then(
        () => undefined,
        e => e,
      );
      expect(describeError(error)).toEqual({
        code: 403,
        message: expect.stringMatching(
          new RegExp(
            `is forbidden: User "${subject.replace(
              /[.*+?^${}()|[\]\\]/g,
              '\\$&',
            )}" cannot create resource "(clusterroles|namespaces)" in API group "[^"]*" at the cluster scope`,
          ),
        ),
      });
    }
    // Nor may it grant itself more: Roles and RoleBindings are not in its Roles.
    const escalate = await api
      .create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'more', namespace },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      } as KubernetesObject)
      .then(
        () => undefined,
        e => e,
      );
    expect(describeError(escalate)).toMatchObject({
      code: 403,
      message: expect.stringContaining(
        `cannot create resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "${namespace}"`,
      ),
    });
  });

  it("another field manager's spec.replicas (an HPA's) is not fought over, and health is read back from real object status", async () => {
    const pool = 'a-owners';
    const { namespace, operator, operatorKubeConfig } = await install(pool, {});
    await portal.api.post(
      '/mcp-servers',
      anMcpServer('scaled', 'payments', pool, {
        source: {
          type: 'image',
          image: 'ghcr.io/example/scaled-mcp:1.0',
          replicas: 1,
        },
      }),
    );
    operator.start();
    try {
      await portal.waitForApplied(pool);
      const runtime = await portal.stage(pool, 'runtime');
      const deployment = runtime.find(
        o => o.kind === 'Deployment' && o.metadata.name.includes('scaled'),
      )!;
      expect(deployment).toBeDefined();
      expect(
        runtime.some(
          o =>
            o.kind === 'HorizontalPodAutoscaler' &&
            (o.spec as any).scaleTargetRef.name === deployment.metadata.name,
        ),
      ).toBe(true);

      // The HPA controller scales through the scale subresource with its own manager.
      const apps = kubeConfigOf().makeApiClient(AppsV1Api);
      await apps.replaceNamespacedDeploymentScale({
        name: deployment.metadata.name,
        namespace,
        fieldManager: 'kube-controller-manager',
        body: {
          metadata: { name: deployment.metadata.name, namespace },
          spec: { replicas: 3 },
        },
      });
      // A re-apply of the whole bundle (reseed) keeps the HPA's choice.
      const appliedAt = async () =>
        (await portal.status(pool)).heartbeat.lastApply?.appliedAt;
      const lastApplied = await appliedAt();
      expect((await portal.api.post(`/pools/${pool}/reseed`)).status).toBe(202);
      await eventually(
        'the operator re-applied everything',
        async () => (await appliedAt()) !== lastApplied,
      );
      await portal.waitForApplied(pool);
      const live = await apps.readNamespacedDeployment({
        name: deployment.metadata.name,
        namespace,
      });
      expect(live.spec?.replicas).toBe(3);
      const owned = JSON.stringify(
        live.metadata?.managedFields?.find(f => f.manager === 'ai-gateway')
          ?.fieldsV1,
      );
      expect(owned).not.toContain('f:replicas');

      // Health: no controller runs here, so the test writes status as one would.
      const before = await portal.status(pool);
      const component = (s: any) =>
        s.heartbeat.components.find(
          (c: any) => c.name === `Deployment/${deployment.metadata.name}`,
        );
      expect(component(before)).toMatchObject({
        healthy: false,
        message: '0/3 replicas ready',
      });
      await apps.replaceNamespacedDeploymentStatus({
        name: deployment.metadata.name,
        namespace,
        body: {
          ...live,
          status: {
            observedGeneration: live.metadata!.generation,
            replicas: 3,
            readyReplicas: 3,
            availableReplicas: 3,
            updatedReplicas: 3,
          },
        },
      });
      const gateway = runtime.find(o => o.kind === 'Gateway')!;
      const custom = kubeConfigOf().makeApiClient(CustomObjectsApi);
      const liveGateway: any = await custom.getNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace,
        plural: 'gateways',
        name: gateway.metadata.name,
      });
      await custom.replaceNamespacedCustomObjectStatus({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace,
        plural: 'gateways',
        name: gateway.metadata.name,
        body: {
          ...liveGateway,
          status: {
            conditions: [
              {
                type: 'Programmed',
                status: 'False',
                reason: 'AddressNotAssigned',
                message: 'No addresses have been assigned to the Gateway',
                lastTransitionTime: new Date().toISOString(),
                observedGeneration: liveGateway.metadata.generation,
              },
            ],
          },
        },
      });
      expect((await portal.api.post(`/pools/${pool}/sync`)).status).toBe(202);
      const after = await eventually('health read back', async () => {
        const s = await portal.status(pool);
        return component(s)?.healthy ? s : undefined;
      });
      expect(
        after.heartbeat.components.find(
          (c: any) => c.name === `Gateway/${gateway.metadata.name}`,
        ),
      ).toMatchObject({
        healthy: false,
        message:
          'Programmed=False: AddressNotAssigned No addresses have been assigned to the Gateway',
      });
      expect(operatorKubeConfig.getCurrentUser()?.name).toContain(
        'system:serviceaccount',
      );
    } finally {
      await operator.stop();
    }
  });
});
