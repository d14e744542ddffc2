import {
  ApiException,
  ApisApi,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { KubernetesApiTestServer } from './KubernetesApiTestServer';

const MANAGER = 'ai-gateway';
const NS = 'ai-gateway';

/** The failure of a client call: its HTTP code and the Status object it carried. */
async function apiError(
  call: Promise<unknown>,
): Promise<{ code: number; status: any; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = error.body as unknown;
      return {
        code: error.code,
        status: typeof body === 'string' ? JSON.parse(body) : body,
        message: error.message,
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Simulated controller delay; long enough that "not ready yet" reads are not flaky on a busy machine. */
const READY_MS = 150;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function deployment(options: {
  replicas?: number;
  labels?: Record<string, string>;
  image?: string;
}): KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'gateway',
      namespace: NS,
      labels: { app: 'gateway', ...options.labels },
    },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      selector: { matchLabels: { app: 'gateway' } },
      template: {
        metadata: { labels: { app: 'gateway' } },
        spec: {
          containers: [
            { name: 'gateway', image: options.image ?? 'agentgateway:1' },
          ],
        },
      },
    },
  };
}

function configMap(
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = { key: name },
): KubernetesObject & { data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS, labels },
    data,
  };
}

describe('KubernetesApiTestServer', () => {
  let server: KubernetesApiTestServer;
  let kc: KubeConfig;
  let client: KubernetesObjectApi;

  const apply = (object: KubernetesObject, manager = MANAGER, force = true) =>
    client.patch(
      object,
      undefined,
      undefined,
      manager,
      force,
      PatchStrategy.ServerSideApply,
    );

  beforeEach(async () => {
    server = await KubernetesApiTestServer.start({
      readinessDelayMs: READY_MS,
    });
    kc = server.kubeConfig();
    client = KubernetesObjectApi.makeApiClient(kc);
  });

  afterEach(async () => {
    await server.stop();
  });

  it('serves discovery for the built-in table', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map(g => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'gateway.networking.k8s.io',
        'agentgateway.dev',
        'cert-manager.io',
        'route.openshift.io',
      ]),
    );
    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    expect(core.resources.find(r => r.kind === 'Namespace')).toMatchObject({
      name: 'namespaces',
      namespaced: false,
    });
    const response = await fetch(
      `${server.url}/apis/gateway.networking.k8s.io/v1`,
      { headers: { authorization: 'Bearer test-token' } },
    );
    const gatewayApi = await response.json();
    expect(gatewayApi).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'gateway.networking.k8s.io/v1',
    });
    expect(
      gatewayApi.resources.find(
        (r: { kind: string }) => r.kind === 'HTTPRoute',
      ),
    ).toMatchObject({
      name: 'httproutes',
      namespaced: true,
      singularName: 'httproute',
      verbs: expect.arrayContaining(['get', 'list', 'patch', 'delete']),
    });
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toEqual([
      'ai-gateway',
      'default',
    ]);
  });

  it('server-side applies a Deployment: create, update, field removal, readiness', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const created = await apply(
      deployment({ replicas: 2, labels: { tier: 'edge' } }),
    );
    expect(created.metadata).toMatchObject({
      name: 'gateway',
      namespace: NS,
      generation: 1,
      labels: { app: 'gateway', tier: 'edge' },
    });
    expect(created.metadata?.uid).toBeDefined();
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: MANAGER,
        operation: 'Apply',
        fieldsType: 'FieldsV1',
      }),
    ]);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${NS}/deployments/gateway`,
      contentType: 'application/apply-patch+yaml',
      fieldManager: MANAGER,
      status: 201,
    });

    // Not ready until the simulated controller's delay has passed.
    const fresh = await apps.readNamespacedDeployment({
      name: 'gateway',
      namespace: NS,
    });
    expect(fresh.status?.readyReplicas).toBeUndefined();

    // Re-applying the same configuration is a no-op.
    const same = await apply(
      deployment({ replicas: 2, labels: { tier: 'edge' } }),
    );
    expect(same.metadata?.resourceVersion).toBe(
      created.metadata?.resourceVersion,
    );

    const scaled = await apply(
      deployment({ replicas: 3, labels: { tier: 'edge' } }),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(Number(scaled.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );

    // Fields the manager no longer applies are removed; metadata-only
    // changes do not bump the generation.
    const pruned = await apply(deployment({ replicas: 3 }));
    expect(pruned.metadata?.labels).toEqual({ app: 'gateway' });
    expect(pruned.metadata?.generation).toBe(2);
    const defaulted = await apply(deployment({}));
    expect((defaulted as any).spec.replicas).toBeUndefined();
    expect(defaulted.metadata?.generation).toBe(3);

    await sleep(READY_MS + 50);
    const ready = await apps.readNamespacedDeployment({
      name: 'gateway',
      namespace: NS,
    });
    expect(ready.status).toMatchObject({
      observedGeneration: 3,
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 1,
    });
    expect(ready.status?.conditions?.map(c => [c.type, c.status])).toEqual([
      ['Available', 'True'],
      ['Progressing', 'True'],
    ]);

    // A spec change makes it stale again until the controller catches up.
    await apply(deployment({ replicas: 4 }));
    const stale = await apps.readNamespacedDeployment({
      name: 'gateway',
      namespace: NS,
    });
    expect(stale.status?.observedGeneration).toBe(3);
    await sleep(READY_MS + 50);
    const caughtUp = await apps.readNamespacedDeployment({
      name: 'gateway',
      namespace: NS,
    });
    expect(caughtUp.status).toMatchObject({
      observedGeneration: 4,
      readyReplicas: 4,
    });
  });

  it('applies custom resources and cluster-scoped objects', async () => {
    const backend = {
      apiVersion: 'agentgateway.dev/v1alpha1',
      kind: 'AgentgatewayBackend',
      metadata: { name: 'openai', namespace: NS, labels: { pool: 'a' } },
      spec: { ai: { provider: { openai: { model: 'gpt-4o' } } } },
    };
    const applied = await apply(backend);
    expect(applied).toMatchObject({
      kind: 'AgentgatewayBackend',
      metadata: { name: 'openai', namespace: NS },
      spec: backend.spec,
    });
    await sleep(READY_MS + 50);
    const read = (await client.read({
      apiVersion: backend.apiVersion,
      kind: backend.kind,
      metadata: { name: 'openai', namespace: NS },
    })) as any;
    expect(read.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Accepted',
        status: 'True',
        observedGeneration: 1,
      }),
    ]);

    const gatewayClass = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'agentgateway' },
      spec: { controllerName: 'agentgateway.dev/agentgateway' },
    };
    const cls = await apply(gatewayClass);
    expect(cls.metadata?.namespace).toBeUndefined();
    expect(server.requests.at(-1)?.path).toBe(
      '/apis/gateway.networking.k8s.io/v1/gatewayclasses/agentgateway',
    );
    expect(
      server.get(
        'gateway.networking.k8s.io/v1',
        'GatewayClass',
        undefined,
        'agentgateway',
      ),
    ).toMatchObject({ spec: gatewayClass.spec });

    // Seeded objects are visible to clients; custom resources reject
    // strategic merge patches (the client's default patch type), as on a
    // real server.
    server.put({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'istio' },
      spec: { controllerName: 'istio.io/gateway-controller' },
      status: { conditions: [{ type: 'Accepted', status: 'True' }] },
    } as KubernetesObject);
    const listed = await client.list(
      'gateway.networking.k8s.io/v1',
      'GatewayClass',
    );
    expect(listed.items.map(i => [i.kind, i.metadata?.name])).toEqual([
      ['GatewayClass', 'agentgateway'],
      ['GatewayClass', 'istio'],
    ]);
    const strategic = await apiError(client.patch({ ...backend, spec: {} }));
    expect(strategic.code).toBe(415);
    const merged = await client.patch(
      { ...backend, metadata: { ...backend.metadata, labels: { pool: 'b' } } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(merged.metadata?.labels).toEqual({ pool: 'b' });
  });

  it('lists with label and field selectors, deletes, and 404s afterwards', async () => {
    await Promise.all([
      apply(configMap('cm-a', { pool: 'a', stage: 'runtime' })),
      apply(configMap('cm-b', { pool: 'b' })),
      apply(configMap('cm-c', { pool: 'c' })),
      apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'secret-a', namespace: NS, labels: { pool: 'a' } },
        stringData: { token: 'x' },
      } as KubernetesObject),
      apply({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'svc-b',
          namespace: NS,
          labels: { pool: 'b', stage: 'runtime' },
        },
        spec: { ports: [{ port: 80 }] },
      } as KubernetesObject),
    ]);
    const names = async (
      apiVersion: string,
      kind: string,
      labelSelector?: string,
      fieldSelector?: string,
    ) =>
      (
        await client.list(
          apiVersion,
          kind,
          NS,
          undefined,
          undefined,
          undefined,
          fieldSelector,
          labelSelector,
        )
      ).items.map(i => i.metadata?.name);

    expect(await names('v1', 'ConfigMap', 'pool=a')).toEqual(['cm-a']);
    expect(await names('v1', 'ConfigMap', 'pool==b')).toEqual(['cm-b']);
    expect(await names('v1', 'ConfigMap', 'pool!=a')).toEqual(['cm-b', 'cm-c']);
    expect(await names('v1', 'ConfigMap', 'pool in (a, c)')).toEqual([
      'cm-a',
      'cm-c',
    ]);
    expect(await names('v1', 'ConfigMap', 'pool notin (a)')).toEqual([
      'cm-b',
      'cm-c',
    ]);
    expect(await names('v1', 'ConfigMap', '!stage')).toEqual(['cm-b', 'cm-c']);
    expect(await names('v1', 'ConfigMap', 'stage,pool in (a,b)')).toEqual([
      'cm-a',
    ]);
    expect(await names('v1', 'Secret', 'pool in (a,b)')).toEqual(['secret-a']);
    expect(await names('v1', 'Service', 'pool in (a,b),stage')).toEqual([
      'svc-b',
    ]);
    expect(
      await names('v1', 'ConfigMap', undefined, 'metadata.name=cm-c'),
    ).toEqual(['cm-c']);
    // Typed APIs go through the same paths.
    const core = kc.makeApiClient(CoreV1Api);
    const secrets = await core.listNamespacedSecret({
      namespace: NS,
      labelSelector: 'pool=a',
    });
    expect(secrets.items.map(s => s.metadata?.name)).toEqual(['secret-a']);
    // Built-in list items carry no apiVersion/kind, as on a real server.
    expect(secrets.items[0].kind).toBeUndefined();
    const invalidSelector = await apiError(
      core.listNamespacedConfigMap({
        namespace: NS,
        labelSelector: 'pool in a',
      }),
    );
    expect(invalidSelector.code).toBe(400);

    // Lists across namespaces.
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'elsewhere', labels: { pool: 'a' } } },
    });
    const everywhere = await core.listConfigMapForAllNamespaces({
      labelSelector: 'pool=a',
    });
    expect(
      everywhere.items.map(i => `${i.metadata?.namespace}/${i.metadata?.name}`),
    ).toEqual(['ai-gateway/cm-a', 'default/elsewhere']);

    // Pagination.
    const page1 = await core.listNamespacedConfigMap({
      namespace: NS,
      limit: 2,
    });
    expect(page1.items.map(i => i.metadata?.name)).toEqual(['cm-a', 'cm-b']);
    const page2 = await core.listNamespacedConfigMap({
      namespace: NS,
      limit: 2,
      _continue: page1.metadata?._continue,
    });
    expect(page2.items.map(i => i.metadata?.name)).toEqual(['cm-c']);
    expect(page2.metadata?._continue).toBeUndefined();

    const status = await client.delete(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm-a', namespace: NS },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      'Foreground',
    );
    expect(status).toMatchObject({
      status: 'Success',
      details: { name: 'cm-a', kind: 'configmaps' },
    });
    const gone = await apiError(
      client.read({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm-a', namespace: NS },
      }),
    );
    expect(gone.code).toBe(404);
    expect(gone.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'configmaps "cm-a" not found',
      details: { name: 'cm-a', kind: 'configmaps' },
      code: 404,
    });
    const again = await apiError(
      client.delete({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm-a', namespace: NS },
      }),
    );
    expect(again.code).toBe(404);
    expect(await names('v1', 'ConfigMap', 'pool')).toEqual(['cm-b', 'cm-c']);

    // Custom resources are deleted too (the server answers with the object,
    // which the client reads as a V1Status).
    await apply({
      apiVersion: 'agentgateway.dev/v1alpha1',
      kind: 'AgentgatewayPolicy',
      metadata: { name: 'limits', namespace: NS },
      spec: {},
    } as KubernetesObject);
    await client.delete({
      apiVersion: 'agentgateway.dev/v1alpha1',
      kind: 'AgentgatewayPolicy',
      metadata: { name: 'limits', namespace: NS },
    });
    expect(server.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      status: 200,
    });
    const missingPolicy = await apiError(
      client.read({
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayPolicy',
        metadata: { name: 'limits', namespace: NS },
      }),
    );
    expect(missingPolicy.status.message).toBe(
      'agentgatewaypolicies.agentgateway.dev "limits" not found',
    );
  });

  it('reports apply conflicts between field managers unless forced', async () => {
    await apply(deployment({ replicas: 2 }));
    const conflict = await apiError(
      apply(deployment({ replicas: 5 }), 'autoscaler', false),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "ai-gateway" using apps/v1: .spec.replicas',
      details: {
        causes: [
          expect.objectContaining({
            field: '.spec.replicas',
            reason: 'FieldManagerConflict',
          }),
        ],
      },
    });

    // Agreeing on a value is shared ownership, not a conflict.
    await apply(deployment({ replicas: 2 }), 'auditor', false);

    const forced = await apply(deployment({ replicas: 5 }), 'autoscaler', true);
    expect((forced as any).spec.replicas).toBe(5);
    const owners = (forced.metadata?.managedFields ?? []).map(f => [
      f.manager,
      JSON.stringify(f.fieldsV1).includes('"f:replicas"'),
    ]);
    expect(owners).toEqual([
      ['ai-gateway', false],
      ['auditor', false],
      ['autoscaler', true],
    ]);

    // The original manager now conflicts, and dropping the field leaves it
    // to its new owner.
    const back = await apiError(
      apply(deployment({ replicas: 2 }), MANAGER, false),
    );
    expect(back.status.message).toContain('conflict with "autoscaler"');
    const without = await apply(deployment({}), MANAGER, false);
    expect((without as any).spec.replicas).toBe(5);

    // Non-apply writes take ownership too, so re-applying conflicts with them.
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment(
      {
        name: 'gateway',
        namespace: NS,
        fieldManager: 'kubectl-edit',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'gateway', image: 'edited' }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const edited = await apiError(apply(deployment({}), MANAGER, false));
    expect(edited.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers',
    );
  });

  it('rejects stale updates, duplicates and invalid objects', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    const updated = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: NS,
      body: { ...created, data: { a: '2' } },
    });
    expect(updated.data).toEqual({ a: '2' });
    const stale = await apiError(
      core.replaceNamespacedConfigMap({
        name: 'settings',
        namespace: NS,
        body: { ...created, data: { a: '3' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status.message).toBe(
      'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    );

    // Leases (leader election) rely on the same optimistic concurrency.
    const coordination = kc.makeApiClient(CoordinationV1Api);
    const lease = await coordination.createNamespacedLease({
      namespace: NS,
      body: { metadata: { name: 'operator' }, spec: { holderIdentity: 'a' } },
    });
    await coordination.replaceNamespacedLease({
      name: 'operator',
      namespace: NS,
      body: { ...lease, spec: { holderIdentity: 'b' } },
    });
    expect(
      (
        await apiError(
          coordination.replaceNamespacedLease({
            name: 'operator',
            namespace: NS,
            body: { ...lease, spec: { holderIdentity: 'c' } },
          }),
        )
      ).code,
    ).toBe(409);

    const duplicate = await apiError(
      core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'settings' } },
      }),
    );
    expect(duplicate.code).toBe(409);
    expect(duplicate.status).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "settings" already exists',
    });

    const bad = await apiError(
      client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'Not_Valid', namespace: NS },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.status).toMatchObject({
      reason: 'Invalid',
      details: {
        name: 'Not_Valid',
        kind: 'ConfigMap',
        causes: [expect.objectContaining({ field: 'metadata.name' })],
      },
    });
    expect(bad.status.message).toMatch(
      /^ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/,
    );

    const unnamed = await apiError(
      core.createNamespacedConfigMap({ namespace: NS, body: {} }),
    );
    expect(unnamed.status.details.causes).toEqual([
      expect.objectContaining({
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      }),
    ]);

    const badLabel = await apiError(
      apply(configMap('labels', { tier: 'x'.repeat(64) })),
    );
    expect(badLabel.code).toBe(422);

    const wrongNamespace = await apiError(
      core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'x', namespace: 'default' } },
      }),
    );
    expect(wrongNamespace.code).toBe(400);

    const missingNamespace = await apiError(
      apply({
        ...configMap('x', {}),
        metadata: { name: 'x', namespace: 'nowhere' },
      }),
    );
    expect(missingNamespace.code).toBe(404);
    expect(missingNamespace.status.message).toBe(
      'namespaces "nowhere" not found',
    );

    const noManager = await apiError(
      client.patch(
        configMap('x', {}),
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(noManager.code).toBe(400);
  });

  it('supports JSON and merge patches, dry runs, watches and informers', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await apply(configMap('settings', { pool: 'a' }, { a: '1', b: '2' }));
    const patched = await core.patchNamespacedConfigMap({
      name: 'settings',
      namespace: NS,
      body: [
        { op: 'replace', path: '/data/a', value: '10' },
        { op: 'remove', path: '/data/b' },
      ],
    });
    expect(patched.data).toEqual({ a: '10' });
    const merged = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: NS, body: { data: { c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: '10', c: '3' });

    // Apply bodies may be YAML, as kubectl sends them.
    const yamlApply = await fetch(
      `${server.url}/api/v1/namespaces/${NS}/configmaps/from-yaml?fieldManager=kubectl`,
      {
        method: 'PATCH',
        headers: {
          authorization: 'Bearer test-token',
          'content-type': 'application/apply-patch+yaml',
        },
        body: [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: from-yaml',
          'data:',
          '  greeting: hello',
        ].join('\n'),
      },
    );
    expect(yamlApply.status).toBe(201);
    expect(server.get('v1', 'ConfigMap', NS, 'from-yaml')).toMatchObject({
      data: { greeting: 'hello' },
      metadata: { managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
    });

    const dry = await client.patch(
      configMap('dry', {}),
      undefined,
      'All',
      MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(dry.metadata?.name).toBe('dry');
    expect(server.get('v1', 'ConfigMap', NS, 'dry')).toBeUndefined();

    const events: Array<[string, string]> = [];
    const watching = await new Watch(kc).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      {},
      (phase, object: V1ConfigMap) =>
        events.push([phase, object.metadata!.name!]),
      () => {},
    );
    await apply(configMap('watched', {}));
    await client.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: NS },
    });
    for (let i = 0; i < 200 && events.length < 4; i++) await sleep(10);
    watching.abort();
    expect(events).toEqual([
      ['ADDED', 'from-yaml'],
      ['ADDED', 'settings'],
      ['ADDED', 'watched'],
      ['DELETED', 'watched'],
    ]);

    // Informers list, then watch from the list's resourceVersion.
    const informer = makeInformer(
      kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace: NS }),
    );
    const updates: string[] = [];
    informer.on('update', object => updates.push(object.metadata!.name!));
    await informer.start();
    expect(informer.list().map(o => o.metadata?.name)).toEqual([
      'from-yaml',
      'settings',
    ]);
    await apply(configMap('settings', { pool: 'b' }));
    await apply(configMap('informed', {}));
    for (let i = 0; i < 200 && !informer.get('informed', NS); i++) {
      await sleep(10);
    }
    await informer.stop();
    expect(updates).toEqual(['settings']);
    expect(informer.get('settings', NS)?.metadata?.labels).toEqual({
      pool: 'b',
    });
  });

  it('simulates missing CRDs', async () => {
    const limited = await KubernetesApiTestServer.start({
      apiGroups: ['apps', 'gateway.networking.k8s.io'],
    });
    try {
      const limitedKc = limited.kubeConfig();
      const limitedClient = KubernetesObjectApi.makeApiClient(limitedKc);
      const groups = await limitedKc.makeApiClient(ApisApi).getAPIVersions();
      expect(groups.groups.map(g => g.name)).toEqual([
        'apps',
        'gateway.networking.k8s.io',
      ]);
      const backend = {
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayBackend',
        metadata: { name: 'openai', namespace: NS },
      };
      // The client's discovery lookup gets a 404 and says which kind it was after.
      const missing = await apiError(
        limitedClient.patch(
          backend,
          undefined,
          undefined,
          MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        ),
      );
      expect(missing.code).toBe(404);
      expect(missing.message).toContain(
        'Failed to fetch resource metadata for agentgateway.dev/v1alpha1/AgentgatewayBackend',
      );
      // A served group without that kind: the client finds no resource.
      await expect(
        limitedClient.read({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'x', namespace: NS },
        }),
      ).rejects.toThrow(
        'Unrecognized API version and kind: apps/v1 ReplicaSet',
      );
      // Raw requests to the missing group 404 too.
      const response = await fetch(
        `${limited.url}/apis/agentgateway.dev/v1alpha1/namespaces/${NS}/agentgatewaybackends`,
        {
          headers: { authorization: 'Bearer test-token' },
        },
      );
      expect(response.status).toBe(404);
    } finally {
      await limited.stop();
    }
  });

  it('injects failures, outages, RBAC denials and bad credentials', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const read = () =>
      core.readNamespacedConfigMap({ name: 'settings', namespace: NS });
    await apply(configMap('settings', { pool: 'a' }));

    server.failNext(1, { code: 500, message: 'etcd is sad' });
    const failed = await apiError(read());
    expect(failed.code).toBe(500);
    expect(failed.status).toMatchObject({
      reason: 'InternalError',
      message: 'etcd is sad',
    });
    expect((await read()).metadata?.name).toBe('settings');

    server.failNext(2, {
      code: 429,
      matching: { method: 'PATCH', kind: 'ConfigMap' },
    });
    expect((await read()).metadata?.name).toBe('settings');
    expect(
      (await apiError(apply(configMap('settings', { pool: 'b' })))).code,
    ).toBe(429);
    expect(
      (await apiError(apply(configMap('settings', { pool: 'b' })))).code,
    ).toBe(429);
    expect(
      (await apply(configMap('settings', { pool: 'b' }))).metadata?.labels,
    ).toEqual({ pool: 'b' });

    server.setUnreachable(true);
    await expect(read()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(apply(configMap('other', {}))).rejects.toThrow(/ECONNREFUSED/);
    server.setUnreachable(false);
    expect((await read()).metadata?.labels).toEqual({ pool: 'b' });

    const allow = server.forbid(
      r =>
        r.namespace === 'default' ||
        (r.namespace === undefined && r.verb !== 'get' && r.verb !== 'list'),
    );
    const denied = await apiError(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(denied.code).toBe(403);
    expect(denied.status.message).toBe(
      'configmaps is forbidden: User "test" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
    const clusterWrite = await apiError(
      apply({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'agentgateway' },
      } as KubernetesObject),
    );
    expect(clusterWrite.status.message).toBe(
      'gatewayclasses.gateway.networking.k8s.io "agentgateway" is forbidden: User "test" cannot patch resource "gatewayclasses" in API group "gateway.networking.k8s.io" at the cluster scope',
    );
    expect((await read()).metadata?.name).toBe('settings');
    allow();
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'x' } },
    });

    const wrong = new KubeConfig();
    wrong.loadFromOptions({
      clusters: [{ name: 'test', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'test', token: 'wrong' }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    const unauthorized = await apiError(
      wrong
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: 'settings', namespace: NS }),
    );
    expect(unauthorized.code).toBe(401);
  });

  it('honours status overrides and disabled controllers', async () => {
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: NS },
      spec: {
        gatewayClassName: 'agentgateway',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    };
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'route', namespace: NS },
      spec: {
        parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'http' }],
      },
    };
    server.setStatus(gateway.apiVersion, gateway.kind, NS, 'gw', {
      conditions: [{ type: 'Programmed', status: 'False', reason: 'Pending' }],
    });
    await apply(gateway);
    await apply(route);
    await sleep(READY_MS + 50);
    expect(server.get(gateway.apiVersion, 'Gateway', NS, 'gw')).toMatchObject({
      status: { conditions: [{ type: 'Programmed', status: 'False' }] },
    });
    const routeStatus = server.get(
      route.apiVersion,
      'HTTPRoute',
      NS,
      'route',
    ) as any;
    expect(routeStatus.status.parents).toHaveLength(2);
    expect(routeStatus.status.parents[1]).toMatchObject({
      parentRef: { name: 'gw', sectionName: 'http' },
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Accepted', status: 'True' }),
      ]),
    });

    server.setStatus(gateway.apiVersion, gateway.kind, NS, 'gw', undefined);
    const programmed = server.get(
      gateway.apiVersion,
      'Gateway',
      NS,
      'gw',
    ) as any;
    expect(
      programmed.status.conditions.map((c: any) => [c.type, c.status]),
    ).toEqual([
      ['Accepted', 'True'],
      ['Programmed', 'True'],
    ]);

    server.setControllers(false);
    await apply({ ...deployment({ replicas: 2 }) });
    await sleep(READY_MS + 50);
    expect(
      (server.get('apps/v1', 'Deployment', NS, 'gateway') as any).status,
    ).toBeUndefined();
    server.setControllers(true);
    expect(
      (server.get('apps/v1', 'Deployment', NS, 'gateway') as any).status,
    ).toMatchObject({
      readyReplicas: 2,
    });
  });

  it('applies 500 ConfigMaps with bounded concurrency', async () => {
    const total = 500;
    const concurrency = 16;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          await apply(
            configMap(`cm-${String(i).padStart(3, '0')}`, {
              bench: 'yes',
              shard: String(i % 4),
            }),
          );
        }
      }),
    );
    const elapsed = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`applied ${total} ConfigMaps in ${elapsed} ms`);
    const all = await client.list(
      'v1',
      'ConfigMap',
      NS,
      undefined,
      undefined,
      undefined,
      undefined,
      'bench=yes',
    );
    expect(all.items).toHaveLength(total);
    const shard = await client.list(
      'v1',
      'ConfigMap',
      NS,
      undefined,
      undefined,
      undefined,
      undefined,
      'bench=yes,shard=1',
    );
    expect(shard.items).toHaveLength(total / 4);
    expect(server.objects({ kind: 'ConfigMap', namespace: NS })).toHaveLength(
      total,
    );
  }, 30_000);
});
