import { componentHealth } from './componentHealth';

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
    expect(
      componentHealth({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
      }),
    ).toBe(undefined);
  });
});
