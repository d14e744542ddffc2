import {
  CONTROL_PLANE_OPERATOR,
  describeRemovedState,
  describeServedState,
  explainPoolStatus,
} from './poolGuidance';
import { derivePoolHealth } from './poolHealth';
import type { DeliveryMode } from './pool';
import type { Heartbeat } from './status';

const now = new Date('2026-11-25T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

const poolOf = (mode: DeliveryMode) => ({
  name: 'prod-eu',
  namespace: 'aigw-prod',
  cluster: { name: 'prod-eu-eks' },
  delivery: { mode },
});

const heartbeat = (h: Partial<Heartbeat> = {}): Heartbeat => ({
  operatorVersion: '0.1.0',
  runningRevision: 'sha256:a',
  receivedAt: ago(10),
  components: [{ name: 'Deployment/prod', healthy: true }],
  lastApply: { revision: 'sha256:a', succeeded: true, appliedAt: ago(60) },
  ...h,
});

/** A status as the control plane derives it from a heartbeat. */
const statusOf = (h: Heartbeat | undefined, desiredRevision = 'sha256:a') => ({
  ...derivePoolHealth({
    now,
    heartbeat: h,
    heartbeatStaleSeconds: 1800,
    desiredRevision,
  }),
  desiredRevision,
  heartbeat: h,
});

const failedApply = (message: string) =>
  statusOf(
    heartbeat({
      operatorVersion: CONTROL_PLANE_OPERATOR,
      runningRevision: null,
      lastApply: {
        revision: 'sha256:a',
        succeeded: false,
        message,
        appliedAt: ago(5),
      },
    }),
  );

describe('explainPoolStatus', () => {
  it('serves an Active pool and needs no next step', () => {
    const guidance = explainPoolStatus(poolOf('agent'), statusOf(heartbeat()));
    expect(guidance).toEqual({ served: true, cause: expect.any(String) });
    expect(guidance.nextStep).toBeUndefined();
  });

  it('asks to wait when no status is recorded yet', () => {
    expect(explainPoolStatus(poolOf('direct'), undefined)).toMatchObject({
      served: false,
      cause: expect.stringMatching(/has not recorded a status/),
      nextStep: expect.stringMatching(/Wait/),
    });
  });

  it('explains Pending by delivery mode, pointing at what installs the pool', () => {
    const pending = statusOf(undefined);
    expect(pending.phase).toBe('Pending');
    const agent = explainPoolStatus(poolOf('agent'), pending);
    expect(agent.served).toBe(false);
    expect(agent.cause).toMatch(/No operator has connected/);
    expect(agent.nextStep).toMatch(/Install tab/);
    expect(agent.nextStep).toContain(
      'cluster prod-eu-eks (namespace aigw-prod)',
    );
    const gitops = explainPoolStatus(poolOf('gitops'), pending);
    expect(gitops.cause).toMatch(/GitOps folder has not been synced/);
    expect(gitops.nextStep).toMatch(/Argo CD or Flux/);
    const direct = explainPoolStatus(poolOf('direct'), pending);
    expect(direct.cause).toMatch(/has not applied this pool/);
    expect(direct.nextStep).toMatch(
      /cluster prod-eu-eks is in kubernetes\.clusterLocatorMethods/,
    );
  });

  it('quotes a failed apply and gives the next step the failure calls for', () => {
    const cases: Array<[string, RegExp]> = [
      [
        "cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods (known: none); direct delivery needs it",
        /Add cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
      ],
      [
        'the Kubernetes API server cannot be reached: connect ECONNREFUSED 10.0.0.1:6443',
        /is reachable from the portal/,
      ],
      [
        'Deployment/prod: 403 deployments.apps is forbidden',
        /bind the Roles shown on the Access tab/,
      ],
      [
        'namespace aigw-prod not found',
        /Create namespace aigw-prod in cluster prod-eu-eks/,
      ],
      [
        'Gateway/prod: no matches for kind "Gateway"',
        /Install agentgateway \(its CRDs and GatewayClass\)/,
      ],
      ['Service/prod: 422 spec.ports: Required value', /Events tab/],
    ];
    for (const [message, nextStep] of cases) {
      const status = failedApply(message);
      expect(status.phase).toBe('Degraded');
      const guidance = explainPoolStatus(poolOf('direct'), status);
      expect({ message, ...guidance }).toEqual({
        message,
        served: false,
        cause: `The last apply failed: ${message.replace(/\.?$/, '.')}`,
        nextStep: expect.stringMatching(nextStep),
      });
    }
  });

  it('tells unhealthy components from a failed apply', () => {
    const sick = statusOf(
      heartbeat({
        components: [
          { name: 'Gateway/prod', healthy: false, message: 'not programmed' },
        ],
        // Past the rollout deadline: no longer rolling out.
        lastApply: {
          revision: 'sha256:a',
          succeeded: true,
          appliedAt: ago(600),
        },
      }),
    );
    expect(sick.phase).toBe('Degraded');
    expect(explainPoolStatus(poolOf('agent'), sick)).toMatchObject({
      served: false,
      cause: 'Components are unhealthy: Gateway/prod: not programmed.',
      nextStep: expect.stringMatching(/Kubernetes tab/),
    });
  });

  it('explains a stale pool by who delivers it', () => {
    const stale = statusOf(heartbeat({ receivedAt: ago(1801) }));
    expect(stale.phase).toBe('Stale');
    expect(explainPoolStatus(poolOf('agent'), stale)).toMatchObject({
      cause: expect.stringMatching(/^No recent heartbeat: The last heartbeat/),
      nextStep: expect.stringMatching(
        /operator pod runs in namespace aigw-prod of cluster prod-eu-eks/,
      ),
    });
    expect(explainPoolStatus(poolOf('direct'), stale).nextStep).toMatch(
      /reconciler has not run/,
    );
  });

  it('tells a rollout from an older revision when out of sync', () => {
    const older = statusOf(heartbeat(), 'sha256:b');
    expect(older.phase).toBe('OutOfSync');
    expect(explainPoolStatus(poolOf('agent'), older)).toMatchObject({
      served: false,
      cause: expect.stringMatching(/runs an older revision \(sha256:a\)/),
      nextStep: expect.stringMatching(/Wait for the next reconcile/),
    });
    expect(explainPoolStatus(poolOf('gitops'), older).nextStep).toMatch(
      /Commit the current GitOps folder/,
    );
    const rolling = statusOf(
      heartbeat({
        components: [
          { name: 'Deployment/mcp-x', healthy: false, message: '0/1 ready' },
        ],
        lastApply: {
          revision: 'sha256:a',
          succeeded: true,
          appliedAt: ago(20),
        },
      }),
    );
    expect(rolling.phase).toBe('OutOfSync');
    expect(explainPoolStatus(poolOf('agent'), rolling).cause).toMatch(
      /^The desired revision is applied and rolling out: Deployment\/mcp-x: 0\/1 ready/,
    );
  });
});

describe('describeServedState', () => {
  it('says plainly when the pool serves the object', () => {
    expect(
      describeServedState(
        'MCP server github',
        poolOf('agent'),
        statusOf(heartbeat()),
      ),
    ).toEqual({
      served: true,
      message: 'MCP server github is served by pool prod-eu.',
    });
  });

  it('says registered, not served, with the phase, its cause and the next step', () => {
    const failure =
      "cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods (known: none); direct delivery needs it";
    const state = describeServedState(
      'MCP server github',
      poolOf('direct'),
      failedApply(failure),
    );
    expect(state).toEqual({
      served: false,
      message: `MCP server github is registered; it is served once pool prod-eu is applied. Now Degraded: The last apply failed: ${failure}.`,
      nextStep: expect.stringMatching(
        /^Add cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
      ),
    });
  });

  it('says the phase is unknown when no status is recorded', () => {
    expect(
      describeServedState('Policy budget', poolOf('agent'), undefined).message,
    ).toMatch(/Now unknown: The control plane has not recorded a status/);
  });
});

describe('describeRemovedState', () => {
  it('says the pool no longer serves it once the pool runs the change', () => {
    expect(
      describeRemovedState(
        'MCP server github',
        poolOf('agent'),
        statusOf(heartbeat()),
      ),
    ).toEqual({
      applied: true,
      message:
        'MCP server github is deleted and pool prod-eu no longer serves it.',
    });
  });

  it('says it stops being served once applied, with the phase, its cause and the next step', () => {
    const failure =
      "cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods (known: none); direct delivery needs it";
    expect(
      describeRemovedState(
        'Policy limits',
        poolOf('direct'),
        failedApply(failure),
      ),
    ).toEqual({
      applied: false,
      message: `Policy limits is deleted; pool prod-eu stops serving it once the change is applied. Now Degraded: The last apply failed: ${failure}.`,
      nextStep: expect.stringMatching(
        /^Add cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
      ),
    });
  });
});
