import { componentHealth, readBundleHealth } from './componentHealth';

describe('componentHealth', () => {
  it('reads workloads by ready replicas of the current generation', () => {
    const deployment = (ready: number, observed = 2) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mcp-github', generation: 2 },
      spec: { replicas: 2 },
      status: { readyReplicas: ready, observedGeneration: observed },
    });
    expect(componentHealth(deployment(2))).toEqual({
      name: 'Deployment/mcp-github',
      kind: 'Deployment',
      healthy: true,
    });
    expect(componentHealth(deployment(1))).toMatchObject({
      healthy: false,
      message: '1/2 replicas ready',
    });
    expect(componentHealth(deployment(2, 1))?.message).toBe(
      '2/2 replicas ready (rollout in progress)',
    );
  });

  it('reads the Gateway by Programmed, routes by Accepted parents, agentgateway objects by Accepted', () => {
    const gateway = (status: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'prod' },
      status: {
        conditions: [{ type: 'Programmed', status, reason: 'Pending' }],
      },
    });
    expect(componentHealth(gateway('True'))?.healthy).toBe(true);
    expect(componentHealth(gateway('False'))).toMatchObject({
      healthy: false,
      message: 'Programmed=False: Pending',
    });
    expect(
      componentHealth({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        status: { parents: [] },
      } as any)?.healthy,
    ).toBe(false);
    expect(
      componentHealth({
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayBackend',
        metadata: { name: 'b' },
        status: { conditions: [{ type: 'Accepted', status: 'True' }] },
      } as any)?.healthy,
    ).toBe(true);
    // A parent that has not set Accepted yet is not accepted.
    expect(
      componentHealth({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        status: { parents: [{ conditions: [] }] },
      } as any),
    ).toMatchObject({ healthy: false, message: 'Accepted=Unknown:' });
    // Policies report per ancestor, as the CRD's status schema has it.
    const policy = (ancestors: object[]) =>
      componentHealth({
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayPolicy',
        metadata: { name: 'p' },
        status: { ancestors },
      } as any);
    expect(policy([])).toMatchObject({
      healthy: false,
      message: 'not accepted by any of its targets yet',
    });
    expect(
      policy([{ conditions: [{ type: 'Accepted', status: 'True' }] }])?.healthy,
    ).toBe(true);
    expect(
      policy([
        { conditions: [{ type: 'Accepted', status: 'True' }] },
        {
          conditions: [
            {
              type: 'Accepted',
              status: 'False',
              reason: 'TargetNotFound',
              message: 'no route mcp-x',
            },
          ],
        },
      ]),
    ).toMatchObject({
      healthy: false,
      message: 'Accepted=False: TargetNotFound no route mcp-x',
    });
    expect(
      componentHealth({
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'istio' },
      }),
    ).toBe(undefined);
    expect(
      componentHealth({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
      }),
    ).toBe(undefined);
  });
});

describe('readBundleHealth', () => {
  it("reports one component per health object, missing ones unhealthy, never Istio's Gateway", async () => {
    const objects = [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'prod' },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'prod-istio' },
      },
      {
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayBackend',
        metadata: { name: 'gone' },
      },
    ];
    const listed: string[] = [];
    const health = await readBundleHealth(
      {
        list: async kinds => {
          listed.push(...kinds.map(k => `${k.apiVersion} ${k.kind}`));
          return objects.slice(0, 2).map(o => ({
            ...o,
            status: {
              conditions: [{ type: 'Programmed', status: 'True' }],
            },
          }));
        },
      },
      {
        kinds: objects.map(({ apiVersion, kind }) => ({ apiVersion, kind })),
        objects,
      },
      'pool=prod',
    );
    expect(listed).toEqual([
      'gateway.networking.k8s.io/v1 Gateway',
      'agentgateway.dev/v1alpha1 AgentgatewayBackend',
    ]);
    expect(health).toEqual([
      { name: 'Gateway/prod', kind: 'Gateway', healthy: true },
      {
        name: 'AgentgatewayBackend/gone',
        kind: 'AgentgatewayBackend',
        healthy: false,
        message: 'not found in the cluster',
      },
    ]);
  });
});
