import { z } from 'zod';
import { formatPath, formatZodIssues, summarizeIssues } from './validation';

describe('formatPath', () => {
  it('writes dots for keys, brackets for indexes and odd keys', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['redis', 'host'])).toBe('redis.host');
    expect(formatPath(['ingress', 1, 'host'])).toBe('ingress[1].host');
    expect(formatPath(['spec', 'groups', 0, 'providers', 0, 'weight'])).toBe(
      'spec.groups[0].providers[0].weight',
    );
    expect(formatPath(['annotations', 'example.com/team'])).toBe(
      'annotations["example.com/team"]',
    );
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });
});

describe('formatZodIssues', () => {
  it('reports each unknown key on its own path, and hints at references for secrets', () => {
    const schema = z
      .object({ redis: z.object({ host: z.string() }).strict() })
      .strict();
    const result = schema.safeParse({
      redis: { host: 'x', password: 'p', port: 1 },
      extra: true,
    });
    expect(formatZodIssues(result.error!)).toEqual([
      {
        field: 'redis.password',
        message:
          'is not a known field; secret values are never accepted, give a reference to a Kubernetes Secret instead (e.g. passwordSecretRef: { name, key })',
      },
      { field: 'redis.port', message: 'is not a known field' },
      { field: 'extra', message: 'is not a known field' },
    ]);
  });

  it('says "is required" for missing values even for schemas without custom messages', () => {
    const result = z.object({ name: z.string() }).safeParse({});
    expect(formatZodIssues(result.error!)).toEqual([
      { field: 'name', message: 'is required' },
    ]);
  });

  it('summarises issues in one line', () => {
    expect(
      summarizeIssues([
        { field: 'redis.host', message: 'is required' },
        { field: '', message: 'a policy needs at least one of: ...' },
      ]),
    ).toBe('redis.host: is required; a policy needs at least one of: ...');
  });
});
