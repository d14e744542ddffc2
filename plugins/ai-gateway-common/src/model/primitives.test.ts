import {
  dnsLabelSchema,
  dnsSubdomainSchema,
  k8sQuantitySchema,
  labelsOrAnnotationsSchema,
  parseQuantity,
  resourceRequirementsSchema,
  resourceRequirementsWithDefaults,
  secretRefSchema,
} from './primitives';
import { issuesOf } from './testFixtures';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['100m', 0.1],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1k', 1000],
    ['1e3', 1000],
    ['250u', 0.00025],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['2e-3', 0.002],
  ])('%s is %d', (q, value) => {
    expect(parseQuantity(q)).toBeCloseTo(value, 12);
  });

  it('orders quantities with different suffixes', () => {
    expect(parseQuantity('1Gi')).toBeGreaterThan(parseQuantity('1G'));
    expect(parseQuantity('1')).toBeGreaterThan(parseQuantity('999m'));
  });

  it.each(['lots', '1XB', '', '-1', '1.2.3', 'Mi', '1 Gi'])('refuses %j', q => {
    expect(() => parseQuantity(q)).toThrow(/not a Kubernetes quantity/);
    expect(k8sQuantitySchema.safeParse(q).success).toBe(false);
  });

  it('does not repeat the value it refuses (it may be a secret in the wrong field)', () => {
    const pasted = 'sk-live-0123456789abcdef';
    expect(() => parseQuantity(pasted)).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining(pasted),
      }),
    );
    expect(JSON.stringify(issuesOf(k8sQuantitySchema, pasted))).not.toContain(
      pasted,
    );
  });

  it('refuses quantities beyond 8Ei', () => {
    expect(k8sQuantitySchema.safeParse('8Ei').success).toBe(true);
    for (const huge of ['9Ei', '1e999', '99999999999999999999']) {
      expect(issuesOf(k8sQuantitySchema, huge)).toEqual([
        { field: '', message: 'must be at most 8Ei' },
      ]);
    }
  });
});

describe('resourceRequirementsSchema', () => {
  it('refuses a limit below its request, naming the limit', () => {
    expect(
      issuesOf(resourceRequirementsSchema, {
        requests: { cpu: '1', memory: '1Gi' },
        limits: { cpu: '500m', memory: '512Mi' },
      }),
    ).toEqual([
      {
        field: 'limits.cpu',
        message: 'limits.cpu (500m) must be at least requests.cpu (1)',
      },
      {
        field: 'limits.memory',
        message: 'limits.memory (512Mi) must be at least requests.memory (1Gi)',
      },
    ]);
  });

  it('accepts equal values written differently and missing parts', () => {
    expect(
      issuesOf(resourceRequirementsSchema, {
        requests: { cpu: '100m' },
        limits: { cpu: '0.1' },
      }),
    ).toEqual([]);
    expect(resourceRequirementsSchema.parse({})).toEqual({
      requests: {},
      limits: {},
    });
    expect(
      issuesOf(resourceRequirementsSchema, { requests: { cpu: '2' } }),
    ).toEqual([]);
  });

  it('refuses unknown resources and bad quantities', () => {
    expect(
      issuesOf(resourceRequirementsSchema, { requests: { gpu: '1' } }),
    ).toEqual([{ field: 'requests.gpu', message: 'is not a known field' }]);
    expect(
      issuesOf(resourceRequirementsSchema, { limits: { memory: '1 GB' } }),
    ).toEqual([
      {
        field: 'limits.memory',
        message:
          'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      },
    ]);
  });
});

describe('requirements with values that are not quantities', () => {
  const quantityMessage =
    'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi';

  it('reports each such value on its field and compares nothing', () => {
    const input = {
      requests: { cpu: 'abc', memory: '1Gi' },
      limits: { cpu: '1', memory: 'lots' },
    };
    const issues = issuesOf(resourceRequirementsSchema, input);
    expect(issues).toEqual([
      { field: 'requests.cpu', message: quantityMessage },
      { field: 'limits.memory', message: quantityMessage },
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/abc|lots/);
  });

  it('does the same against defaults', () => {
    const schema = resourceRequirementsWithDefaults({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(
      issuesOf(schema, {
        requests: { cpu: 'abc' },
        limits: { memory: 'lots' },
      }),
    ).toEqual([
      { field: 'requests.cpu', message: quantityMessage },
      { field: 'limits.memory', message: quantityMessage },
    ]);
  });
});

describe('resourceRequirementsWithDefaults', () => {
  const schema = resourceRequirementsWithDefaults({
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  });

  it('fills every missing value', () => {
    expect(schema.parse(undefined)).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(schema.parse({ limits: { memory: '2Gi' } })).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '2Gi' },
    });
  });

  it('says when the limit that is too low is a default', () => {
    expect(issuesOf(schema, { requests: { cpu: '1' } })).toEqual([
      {
        field: 'limits.cpu',
        message:
          'limits.cpu (500m, the default) must be at least requests.cpu (1)',
      },
    ]);
    expect(issuesOf(schema, { limits: { memory: '64Mi' } })).toEqual([
      {
        field: 'limits.memory',
        message:
          'limits.memory (64Mi) must be at least requests.memory (128Mi, the default)',
      },
    ]);
  });
});

describe('DNS names', () => {
  it('validates DNS-1123 labels', () => {
    for (const ok of ['a', 'pool-1', '1a', 'x'.repeat(63)]) {
      expect(dnsLabelSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)]) {
      expect(dnsLabelSchema.safeParse(bad).success).toBe(false);
    }
    expect(issuesOf(dnsLabelSchema, 'x'.repeat(64))).toEqual([
      { field: '', message: 'must be at most 63 characters' },
    ]);
  });

  it('validates DNS subdomains, each label at most 63 characters', () => {
    expect(dnsSubdomainSchema.safeParse('ai.example.com').success).toBe(true);
    expect(
      issuesOf(dnsSubdomainSchema, `${'x'.repeat(64)}.example.com`),
    ).toEqual([
      {
        field: '',
        message: 'each dot-separated part must be at most 63 characters',
      },
    ]);
    expect(dnsSubdomainSchema.safeParse('Example.com').success).toBe(false);
    expect(dnsSubdomainSchema.safeParse('a..b').success).toBe(false);
  });
});

describe('secretRefSchema', () => {
  it('accepts a reference and refuses anything that carries a value', () => {
    expect(secretRefSchema.parse({ name: 'openai', key: 'api-key' })).toEqual({
      name: 'openai',
      key: 'api-key',
    });
    expect(
      issuesOf(secretRefSchema, {
        name: 'openai',
        key: 'api-key',
        value: 'sk-123',
      }),
    ).toEqual([{ field: 'value', message: 'is not a known field' }]);
    expect(issuesOf(secretRefSchema, 'sk-123')).toEqual([
      { field: '', message: 'must be a Secret reference { name, key }' },
    ]);
    expect(issuesOf(secretRefSchema, { name: 'openai' })).toEqual([
      { field: 'key', message: 'is required' },
    ]);
  });
});

describe('labelsOrAnnotationsSchema', () => {
  it('checks keys and wants string values', () => {
    expect(
      labelsOrAnnotationsSchema.safeParse({ 'example.com/team': 'a', app: 'b' })
        .success,
    ).toBe(true);
    expect(
      issuesOf(labelsOrAnnotationsSchema, { 'not a key': 'x', replicas: 3 }),
    ).toEqual([
      {
        field: '["not a key"]',
        message:
          'is not a valid key: it must be a Kubernetes label or annotation key such as example.com/team',
      },
      {
        field: 'replicas',
        message: 'must be a string (quote numbers and booleans)',
      },
    ]);
  });
});
