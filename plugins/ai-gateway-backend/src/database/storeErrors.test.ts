import { isRetryable, storeError, type WriteContext } from './storeErrors';

/** A driver error as pg or better-sqlite3 throws it (knex passes them on). */
function driverError(message: string, fields: Record<string, unknown>) {
  return Object.assign(new Error(message), fields);
}

const mcpInsert: WriteContext = {
  kind: 'mcpServer',
  operation: 'insert',
  name: 'github',
  columns: { project: 'payments', pool: 'prod', prefix: 'gh' },
};

const answer = (error: unknown) => {
  const e = storeError(error, mcpInsert) as Error & { issues?: unknown };
  return { name: e.name, issues: e.issues };
};

describe('storeError', () => {
  it.each([
    [
      'a PostgreSQL primary key',
      driverError('duplicate key value violates unique constraint', {
        code: '23505',
        table: 'aigw_mcp_servers',
        constraint: 'aigw_mcp_servers_pkey',
      }),
      'name',
    ],
    [
      'a PostgreSQL unique index',
      driverError('duplicate key value violates unique constraint', {
        code: '23505',
        table: 'aigw_mcp_servers',
        constraint: 'aigw_mcp_servers_pool_prefix_uq',
      }),
      'prefix',
    ],
    [
      'a SQLite primary key',
      driverError(
        'insert into `aigw_mcp_servers` - UNIQUE constraint failed: aigw_mcp_servers.name',
        { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
      ),
      'name',
    ],
    [
      'a SQLite unique index',
      driverError(
        'insert into `aigw_mcp_servers` - UNIQUE constraint failed: aigw_mcp_servers.pool, aigw_mcp_servers.prefix',
        { code: 'SQLITE_CONSTRAINT_UNIQUE' },
      ),
      'prefix',
    ],
  ])('turns %s into 409 naming the field', (_, error, field) => {
    expect(answer(error)).toEqual({
      name: 'ConflictError',
      issues: [{ field, message: expect.any(String) }],
    });
  });

  it('names the namespace when two pools claim one', () => {
    const error = storeError(
      driverError('duplicate key', {
        code: '23505',
        table: 'aigw_pools',
        constraint: 'aigw_pools_cluster_namespace_uq',
      }),
      {
        kind: 'pool',
        operation: 'insert',
        name: 'b',
        columns: { project: 'p', cluster: 'c', namespace: 'ns' },
      },
    ) as Error & { issues: unknown };
    expect(error.issues).toEqual([
      { field: 'namespace', message: expect.stringMatching(/already used/) },
    ]);
  });

  it('turns a missing reference into 422 naming it, on either database', () => {
    const pg = driverError('insert violates foreign key constraint', {
      code: '23503',
      table: 'aigw_mcp_servers',
      constraint: 'aigw_mcp_servers_pool_foreign',
    });
    const sqlite = driverError('FOREIGN KEY constraint failed', {
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    for (const error of [pg, sqlite]) {
      expect(answer(error)).toEqual({
        name: 'UnprocessableError',
        issues: [
          {
            field: 'pool',
            message:
              "pool 'prod' does not exist (it was deleted while this request ran)",
          },
        ],
      });
    }
  });

  it('turns dependents that appeared during a delete into 409 naming cascade', () => {
    const error = storeError(
      driverError('update or delete violates foreign key constraint', {
        code: '23503',
        table: 'aigw_mcp_servers',
        constraint: 'aigw_mcp_servers_pool_foreign',
      }),
      { kind: 'pool', operation: 'delete', name: 'prod' },
    ) as Error & { issues: Array<{ field: string }> };
    expect(error.name).toBe('ConflictError');
    expect(error.issues.map(i => i.field)).toEqual(['cascade']);
  });

  it('turns NOT NULL and CHECK violations into 422 naming the field', () => {
    expect(
      answer(
        driverError('null value in column', {
          code: '23502',
          table: 'aigw_pools',
          column: 'cluster',
        }),
      ),
    ).toEqual({
      name: 'UnprocessableError',
      issues: [{ field: 'cluster.name', message: 'is required' }],
    });
    expect(
      answer(
        driverError('NOT NULL constraint failed: aigw_mcp_servers.prefix', {
          code: 'SQLITE_CONSTRAINT_NOTNULL',
        }),
      ).issues,
    ).toEqual([{ field: 'prefix', message: 'is required' }]);
    expect(
      answer(
        driverError('CHECK constraint failed: something', {
          code: 'SQLITE_CONSTRAINT_CHECK',
        }),
      ),
    ).toEqual({
      name: 'UnprocessableError',
      issues: [{ field: 'body', message: 'is not a value the store accepts' }],
    });
  });

  it('turns values a column cannot hold into 400, without repeating them', () => {
    const error = storeError(
      driverError('invalid byte sequence for encoding "UTF8": 0x00', {
        code: '22021',
      }),
    ) as Error & { issues: unknown };
    expect(error.name).toBe('InputError');
    expect(error.issues).toEqual([
      { field: 'request', message: expect.stringMatching(/NUL/) },
    ]);
    expect(error.message).not.toMatch(/0x00/);
  });

  it('leaves other errors alone, and knows which races are worth a retry', () => {
    const lost = new Error('Connection terminated unexpectedly');
    expect(storeError(lost)).toBe(lost);
    expect(storeError('a string')).toBe('a string');
    const deadlock = driverError('deadlock detected', { code: '40P01' });
    expect(isRetryable(deadlock)).toBe(true);
    expect(isRetryable(lost)).toBe(false);
    expect((storeError(deadlock) as Error).name).toBe('ConflictError');
  });
});
