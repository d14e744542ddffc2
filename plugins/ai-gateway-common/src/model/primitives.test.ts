import { dnsLabelSchema, parseQuantity, resourceRequirementsSchema, secretRefSchema } from './primitives';
import { formatZodIssues } from './validation';

describe('primitives', () => {
  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('0.5')).toBe(0.5);
    expect(parseQuantity('128Mi')).toBe(128 * 1024 * 1024);
    expect(parseQuantity('1Gi')).toBe(1024 ** 3);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(() => parseQuantity('lots')).toThrow(/not a Kubernetes quantity/);
    expect(() => parseQuantity('1XB')).toThrow();
  });

  it('refuses a limit below its request, naming the field', () => {
    const r = resourceRequirementsSchema.safeParse({
      requests: { cpu: '1', memory: '1Gi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(r.success).toBe(false);
    expect(formatZodIssues(r.error!)).toEqual([
      { field: 'limits.cpu', message: 'limits.cpu (500m) must be at least requests.cpu (1)' },
      { field: 'limits.memory', message: 'limits.memory (512Mi) must be at least requests.memory (1Gi)' },
    ]);
    expect(resourceRequirementsSchema.safeParse({ requests: { cpu: '100m' }, limits: { cpu: '0.1' } }).success).toBe(true);
  });

  it('validates DNS labels', () => {
    for (const ok of ['a', 'pool-1', 'x'.repeat(63)]) expect(dnsLabelSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)]) expect(dnsLabelSchema.safeParse(bad).success).toBe(false);
  });

  it('accepts secret references only, never values', () => {
    expect(secretRefSchema.safeParse({ name: 'openai', key: 'api-key' }).success).toBe(true);
    const r = secretRefSchema.safeParse({ name: 'openai', key: 'api-key', value: 'sk-123' });
    expect(r.success).toBe(false);
    expect(formatZodIssues(r.error!)[0].field).toBe('value');
  });
});
