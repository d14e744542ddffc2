import { CONTROL_PLANE_OPERATOR } from './poolGuidance';
import { derivePoolHealth } from './poolHealth';
import type { Heartbeat } from './status';

const now = new Date('2026-11-25T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const heartbeat = (h: Partial<Heartbeat> = {}): Heartbeat => ({
  operatorVersion: '0.1.0',
  runningRevision: 'sha256:a',
  receivedAt: ago(10),
  components: [{ name: 'Deployment/prod', kind: 'Deployment', healthy: true }],
  lastApply: { revision: 'sha256:a', succeeded: true, appliedAt: ago(600) },
  ...h,
});
const derive = (h: Heartbeat | undefined, desired = 'sha256:a') =>
  derivePoolHealth({
    now,
    heartbeat: h,
    heartbeatStaleSeconds: 1800,
    desiredRevision: desired,
  });
const condition = (r: ReturnType<typeof derive>, type: string) =>
  r.conditions.find(c => c.type === type);

describe('derivePoolHealth', () => {
  it('is Pending until the first heartbeat', () => {
    const r = derive(undefined);
    expect(r.phase).toBe('Pending');
    expect(condition(r, 'OperatorConnected')).toMatchObject({
      status: 'False',
      reason: 'HeartbeatMissing',
    });
    expect(condition(r, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Pending',
    });
  });

  it('is Active when fresh, in sync and healthy', () => {
    const r = derive(heartbeat());
    expect(r.phase).toBe('Active');
    expect(condition(r, 'Ready')).toMatchObject({ status: 'True' });
  });

  it('is OutOfSync when another revision runs or the desired one still rolls out', () => {
    expect(derive(heartbeat(), 'sha256:b').phase).toBe('OutOfSync');
    expect(condition(derive(heartbeat(), 'sha256:b'), 'InSync')).toMatchObject({
      status: 'False',
      reason: 'RevisionDiffers',
      message: 'Running sha256:a, desired sha256:b',
    });
    const rolling = heartbeat({
      components: [
        {
          name: 'Deployment/mcp-x',
          healthy: false,
          message: '0/1 replicas ready',
        },
      ],
      lastApply: { revision: 'sha256:a', succeeded: true, appliedAt: ago(20) },
    });
    expect(derive(rolling).phase).toBe('OutOfSync');
    expect(condition(derive(rolling), 'ComponentsHealthy')?.reason).toBe(
      'RolloutInProgress',
    );
  });

  it('is Degraded when the last apply failed or components stay unhealthy', () => {
    const failed = heartbeat({
      lastApply: {
        revision: 'sha256:b',
        succeeded: false,
        message: '422 Invalid',
        appliedAt: ago(5),
      },
    });
    expect(derive(failed, 'sha256:b').phase).toBe('Degraded');
    expect(condition(derive(failed, 'sha256:b'), 'Applied')).toMatchObject({
      status: 'False',
      message: '422 Invalid',
    });
    const sick = heartbeat({
      components: [
        { name: 'Gateway/prod', healthy: false, message: 'not programmed yet' },
      ],
    });
    expect(derive(sick).phase).toBe('Degraded');
    expect(condition(derive(sick), 'ComponentsHealthy')?.message).toBe(
      'Gateway/prod: not programmed yet',
    );
  });

  it('says the control plane delivers a direct pool, not that an operator is connected', () => {
    const direct = derive(
      heartbeat({ operatorVersion: CONTROL_PLANE_OPERATOR }),
    );
    expect(direct.phase).toBe('Active');
    const connected = condition(direct, 'OperatorConnected');
    expect(connected).toMatchObject({
      status: 'True',
      reason: 'ControlPlaneDelivers',
    });
    expect(connected?.message).toMatch(/^Direct delivery: no operator runs/);
    expect(connected?.message).not.toMatch(/Operator control-plane/);
    // An operator's heartbeat keeps its own reason.
    expect(condition(derive(heartbeat()), 'OperatorConnected')).toMatchObject({
      reason: 'HeartbeatReceived',
      message: `Operator 0.1.0 reported at ${ago(10)}`,
    });
    // A stale direct pool is stale like any other.
    expect(
      condition(
        derive(
          heartbeat({
            operatorVersion: CONTROL_PLANE_OPERATOR,
            receivedAt: ago(1801),
          }),
        ),
        'OperatorConnected',
      )?.reason,
    ).toBe('HeartbeatStale');
  });

  it('is Stale when the heartbeat is older than the window, whatever else holds', () => {
    const r = derive(heartbeat({ receivedAt: ago(1801) }));
    expect(r.phase).toBe('Stale');
    expect(condition(r, 'OperatorConnected')?.reason).toBe('HeartbeatStale');
  });

  it('keeps lastTransitionTime and phaseSince while nothing changes', () => {
    const first = derive(heartbeat());
    const later = derivePoolHealth(
      {
        now: new Date(now.getTime() + 60_000),
        heartbeat: heartbeat({ receivedAt: now.toISOString() }),
        heartbeatStaleSeconds: 1800,
        desiredRevision: 'sha256:a',
      },
      first,
    );
    expect(later.phaseSince).toBe(first.phaseSince);
    expect(condition(later, 'Ready')?.lastTransitionTime).toBe(
      condition(first, 'Ready')?.lastTransitionTime,
    );
    const changed = derivePoolHealth(
      {
        now: new Date(now.getTime() + 60_000),
        heartbeat: heartbeat({ receivedAt: now.toISOString() }),
        heartbeatStaleSeconds: 1800,
        desiredRevision: 'sha256:b',
      },
      first,
    );
    expect(changed.phaseSince).not.toBe(first.phaseSince);
    expect(condition(changed, 'InSync')?.lastTransitionTime).toBe(
      new Date(now.getTime() + 60_000).toISOString(),
    );
  });
});
