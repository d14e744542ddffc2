import {
  aPool,
  anMcpServer,
  eventually,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  describeError,
  KubernetesApplier,
  OPERATOR_RUNTIME_RULES,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_RUNTIME_RULES } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import {
  bindRole,
  createNamespace,
  kubeConfigOf,
  newServiceAccount,
} from './harness/cluster';
import { CLUSTER, Portal, startPortal } from './harness/portal';

jest.setTimeout(300_000);

// Its own: other files of the run share the API server (kubernetesTab uses ai-gateway-system).
const CONTROL_PLANE_NAMESPACE = 'aigw-d-system';
const CONTROL_PLANE_ACCOUNT = 'ai-gateway-control-plane';

async function exists(
  object: { apiVersion: string; kind: string; metadata: { name: string } },
  namespace: string,
): Promise<boolean> {
  try {
    await kubeConfigOf()
      .makeApiClient(KubernetesObjectApi)
      .read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace },
      });
    return true;
  } catch (error) {
    if (describeError(error).code === 404) return false;
    throw error;
  }
}

describe('direct and gitops delivery on a real API server', () => {
  let portal: Portal;

  beforeAll(async () => {
    // The portal acts on the cluster as a ServiceAccount of its own, as
    // docs/rbac.md tells a platform team to set it up.
    portal = await startPortal({
      controlPlaneToken: await newServiceAccount(
        CONTROL_PLANE_NAMESPACE,
        CONTROL_PLANE_ACCOUNT,
      ),
    });
  });
  afterAll(async () => {
    await portal?.stop();
  });

  it('direct: the control plane, holding the two runtime Roles in the namespace, applies, adds and prunes', async () => {
    const namespace = 'aigw-d-direct';
    await createNamespace(namespace);
    await bindRole(
      namespace,
      { name: 'ai-gateway-runtime', rules: [...OPERATOR_RUNTIME_RULES] },
      {
        kind: 'ServiceAccount',
        name: CONTROL_PLANE_ACCOUNT,
        namespace: CONTROL_PLANE_NAMESPACE,
      },
    );
    await bindRole(
      namespace,
      {
        name: 'ai-gateway-runtime-agentgateway',
        rules: [...AGENTGATEWAY_RUNTIME_RULES],
      },
      {
        kind: 'ServiceAccount',
        name: CONTROL_PLANE_ACCOUNT,
        namespace: CONTROL_PLANE_NAMESPACE,
      },
    );
    const created = await portal.api.post(
      '/pools',
      aPool('d-direct', 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'direct' },
        ingress: [{ kind: 'gateway-api', className: 'agentgateway' }],
      }),
    );
    expect(created.status).toBe(201);
    await portal.api.post('/pools/d-direct/sync');
    const applied = await portal.waitForApplied('d-direct');
    expect(applied.heartbeat.operatorVersion).toBe('control-plane');
    const runtime = await portal.stage('d-direct', 'runtime');
    for (const object of runtime)
      expect([
        object.kind,
        object.metadata.name,
        await exists(object, namespace),
      ]).toEqual([object.kind, object.metadata.name, true]);

    await portal.api.post(
      '/mcp-servers',
      anMcpServer('docs', 'payments', 'd-direct'),
    );
    await portal.api.post('/pools/d-direct/sync');
    const withServer = await portal.stage('d-direct', 'runtime');
    const added = withServer.filter(
      o =>
        !runtime.some(
          r => r.kind === o.kind && r.metadata.name === o.metadata.name,
        ),
    );
    expect(added.length).toBeGreaterThan(0);
    await eventually('the MCP server applied', async () => {
      for (const o of added) if (!(await exists(o, namespace))) return false;
      return true;
    });

    await portal.api.delete('/mcp-servers/docs');
    await portal.api.post('/pools/d-direct/sync');
    await eventually('the MCP server pruned', async () => {
      for (const o of added) if (await exists(o, namespace)) return false;
      return true;
    });
    await portal.waitForApplied('d-direct');

    // The live diff is read from the real cluster: nothing left to do.
    const diff = (await portal.api.get('/pools/d-direct/manifests?diff=live'))
      .body;
    expect(diff).toMatchObject({
      against: 'cluster',
      diff: { added: [], changed: [], removed: [] },
    });
  });

  it("direct: without a binding in the namespace the pool is Degraded with the API server's own refusal", async () => {
    const namespace = 'aigw-d-unbound';
    await createNamespace(namespace);
    await portal.api.post(
      '/pools',
      aPool('d-unbound', 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'direct' },
      }),
    );
    const status = (await portal.api.post('/pools/d-unbound/sync')).body.result;
    expect(status.phase).toBe('Degraded');
    expect(
      status.conditions.find((c: any) => c.type === 'Applied').message,
    ).toContain(
      `User "system:serviceaccount:${CONTROL_PLANE_NAMESPACE}:${CONTROL_PLANE_ACCOUNT}" cannot`,
    );
  });

  it('gitops: the kustomize folder, applied as Argo CD or Flux would, is accepted object by object', async () => {
    const namespace = 'aigw-g-gitops';
    await portal.api.post(
      '/pools',
      aPool('g-gitops', 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace,
        delivery: { mode: 'gitops', path: 'clusters/g-gitops' },
        ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
      }),
    );
    await portal.api.post(
      '/mcp-servers',
      anMcpServer('wiki', 'payments', 'g-gitops'),
    );
    const folder = (await portal.api.get('/pools/g-gitops/gitops')).body;
    const kustomization = parse(folder.files['kustomization.yaml']);
    const objects = (kustomization.resources as string[]).flatMap(file =>
      parseAllDocuments(folder.files[file]).map(d => d.toJS()),
    ) as ManifestObject[];
    expect(objects.length).toBeGreaterThan(10);
    await createNamespace(namespace);
    const result = await new KubernetesApplier(kubeConfigOf(), {
      namespace,
    }).apply(
      objects.filter(o => o.kind !== 'Namespace'),
      { attempts: 1 },
    );
    expect(result.failed).toEqual([]);
    for (const object of objects.filter(o => o.kind !== 'Namespace'))
      expect(await exists(object, namespace)).toBe(true);
  });
});
