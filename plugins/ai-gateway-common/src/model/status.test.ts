import { conditionSchema, heartbeatSchema, poolPhaseSchema } from './status';
import { issuesOf } from './testFixtures';

describe('conditionSchema', () => {
  const condition = {
    type: 'Ready',
    status: 'False',
    reason: 'HeartbeatMissing',
    lastTransitionTime: '2026-11-24T10:00:00Z',
  };

  it('accepts a Kubernetes-style condition and defaults the message', () => {
    expect(conditionSchema.parse(condition)).toEqual({
      ...condition,
      message: '',
    });
  });

  it('checks status, CamelCase reason and ISO time', () => {
    expect(
      issuesOf(conditionSchema, {
        ...condition,
        status: 'false',
        reason: 'heartbeat missing',
        lastTransitionTime: 'yesterday',
      }),
    ).toEqual([
      { field: 'status', message: 'must be one of: True, False, Unknown' },
      { field: 'reason', message: 'must be CamelCase, e.g. HeartbeatMissing' },
      {
        field: 'lastTransitionTime',
        message: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z',
      },
    ]);
  });
});

describe('poolPhaseSchema', () => {
  it('lists the phases', () => {
    expect(poolPhaseSchema.options).toEqual([
      'Pending',
      'Active',
      'OutOfSync',
      'Degraded',
      'Stale',
    ]);
    expect(issuesOf(poolPhaseSchema, 'Inactive')).toEqual([
      {
        field: '',
        message: 'must be one of: Pending, Active, OutOfSync, Degraded, Stale',
      },
    ]);
  });
});

describe('heartbeatSchema', () => {
  it('fills defaults of a first heartbeat', () => {
    expect(heartbeatSchema.parse({ operatorVersion: '0.1.0' })).toEqual({
      operatorVersion: '0.1.0',
      runningRevision: null,
      components: [],
    });
  });

  it('accepts a full heartbeat and refuses unknown fields', () => {
    const heartbeat = {
      operatorVersion: '0.1.0',
      runningRevision: 'sha256:abc',
      components: [
        {
          name: 'agentgateway',
          kind: 'Deployment',
          healthy: false,
          message: '0/2 ready',
        },
      ],
      lastApply: {
        revision: 'sha256:abc',
        succeeded: true,
        appliedAt: '2026-11-24T10:00:00.000Z',
        objects: 12,
      },
    };
    expect(heartbeatSchema.parse(heartbeat)).toEqual(heartbeat);
    expect(
      issuesOf(heartbeatSchema, { ...heartbeat, token: 'x' })[0].field,
    ).toBe('token');
    expect(
      issuesOf(heartbeatSchema, {
        ...heartbeat,
        components: [{ name: 'x', healthy: 'yes' }],
      }),
    ).toEqual([
      { field: 'components[0].healthy', message: 'must be true or false' },
    ]);
  });
});
