import {
  bodyIssues,
  MAX_BODY_DEPTH,
  pathIssues,
  queryIssues,
  requestInputIssues,
} from './requestInput';

describe('requestInputIssues', () => {
  it('finds nothing in an ordinary request', () => {
    expect(
      requestInputIssues({
        path: '/pools/prod/events',
        query: { limit: '10', project: 'payments' },
        body: { name: 'prod', annotations: { 'example.com/team': 'a' } },
      }),
    ).toEqual([]);
  });

  it('names the path parameter that holds a NUL, however it is encoded', () => {
    expect(pathIssues('/pools/pr%00od')).toEqual([
      { field: 'name', message: 'must not contain NUL characters (\\u0000)' },
    ]);
    expect(pathIssues('/pools/prod\0/events')[0].field).toBe('name');
    expect(pathIssues('/po%00ols')[0].field).toBe('path');
    // Bad percent-encoding is the validated router's to answer.
    expect(pathIssues('/pools/%E0%A4%A')).toEqual([]);
  });

  it('names the query parameter that holds a NUL, nested values too', () => {
    expect(
      queryIssues({ project: 'pay\0ments', limit: '5', cursor: ['a', 'b\0'] }),
    ).toEqual([
      {
        field: 'project',
        message: 'must not contain NUL characters (\\u0000)',
      },
      { field: 'cursor', message: 'must not contain NUL characters (\\u0000)' },
    ]);
    expect(queryIssues({ pool: { x: { 'y\0': 'z' } } })[0].field).toBe('pool');
    expect(queryIssues({ 'pro\0ject': 'a' })[0].field).toBe('query');
  });

  it('names every string and key of the body that holds a NUL', () => {
    const issues = bodyIssues({
      name: 'prod',
      description: 'a\0b',
      ingress: [{ annotations: { 'a\0': 'x', ok: 'y\0' } }],
    });
    expect(issues).toEqual([
      {
        field: 'description',
        message: 'must not contain NUL characters (\\u0000)',
      },
      {
        field: 'ingress[0].annotations',
        message: 'keys must not contain NUL characters (\\u0000)',
      },
      {
        field: 'ingress[0].annotations.ok',
        message: 'must not contain NUL characters (\\u0000)',
      },
    ]);
    expect(bodyIssues('\0')).toEqual([
      { field: 'body', message: 'must not contain NUL characters (\\u0000)' },
    ]);
  });

  it('refuses the key __proto__ wherever JSON.parse kept it, and keeps constructor and prototype', () => {
    const body = JSON.parse(
      '{"annotations":{"__proto__":{"polluted":"yes"},"constructor":"x","prototype":"y"},"__proto__":"z"}',
    );
    expect(bodyIssues(body)).toEqual([
      {
        field: '__proto__',
        message: 'is a reserved key and cannot be used (__proto__)',
      },
      {
        field: 'annotations.__proto__',
        message: 'is a reserved key and cannot be used (__proto__)',
      },
    ]);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('refuses nesting deeper than any object of the API, without recursion', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = bodyIssues({ description: deep });
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toBe(
      `is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`,
    );
    expect(issues[0].field).toMatch(/^description(\[0\])+$/);

    let fine: unknown = {};
    for (let i = 0; i < MAX_BODY_DEPTH - 1; i++) fine = { a: fine };
    expect(bodyIssues(fine)).toEqual([]);
  });

  it('reports at most 20 issues', () => {
    const body = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`k${i}`, '\0']),
    );
    expect(requestInputIssues({ path: '/', query: {}, body })).toHaveLength(20);
  });
});
