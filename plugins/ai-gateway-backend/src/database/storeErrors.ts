import {
  resourceKinds,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ConflictError } from '@backstage/errors';
import {
  conflict,
  invalidInput,
  UnprocessableError,
  type FieldIssue,
} from '../service/errors';

/**
 * What the database refuses, as the API's answers. The services check
 * uniqueness and references before they write, but two requests can pass the
 * same check at once (two creates of one name, a create in a pool that is
 * being deleted); the database's constraints then decide, and the loser gets
 * the answer the check would have given it: 409 for a duplicate or for
 * dependents that appeared during a delete, 422 for a reference that
 * disappeared. Values outside what a column can hold are a 400. Messages name
 * objects by their (validated) names, never other values.
 */

/** The write a database error came from, to name the field at fault. */
export type WriteContext = {
  kind: ResourceKind;
  operation: 'insert' | 'update' | 'delete';
  name: string;
  /** The columns written (see tables.ts), e.g. pool and prefix. */
  columns?: Record<string, string>;
};

type Violation =
  | 'unique'
  | 'foreignKey'
  | 'notNull'
  | 'check'
  | 'data'
  | 'concurrency';

/** The fields of the API that a column holds. */
const FIELD_OF_COLUMN: Record<string, string> = {
  name: 'name',
  owner: 'owner',
  project: 'project',
  pool: 'pool',
  prefix: 'prefix',
  cluster: 'cluster.name',
  namespace: 'namespace',
  delivery_mode: 'delivery.mode',
  target_kind: 'target.kind',
  target_name: 'target.name',
};

type DriverError = Error & {
  /** PostgreSQL SQLSTATE (23505) or SQLite extended code (SQLITE_CONSTRAINT_UNIQUE). */
  code?: unknown;
  /** PostgreSQL: the constraint, table and column concerned. */
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
};

function violationOf(error: DriverError): Violation | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  switch (code) {
    case '23505':
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return 'unique';
    case '23503':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return 'foreignKey';
    case '23502':
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return 'notNull';
    case '23514':
    case 'SQLITE_CONSTRAINT_CHECK':
      return 'check';
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case 'SQLITE_BUSY':
    case 'SQLITE_BUSY_SNAPSHOT':
      return 'concurrency';
    default:
      // Class 22, data exceptions: too long, out of range, NUL bytes, bad syntax.
      return /^22[0-9A-Z]{3}$/.test(code) ? 'data' : undefined;
  }
}

/**
 * A driver error, by shape: `instanceof Error` is not enough, since a native
 * driver keeps the error class of the first realm that loaded it (Jest runs
 * each test file in a realm of its own).
 */
function asDriverError(error: unknown): DriverError | undefined {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as DriverError).message === 'string'
    ? (error as DriverError)
    : undefined;
}

/** Whether running the whole transaction again may succeed. */
export function isRetryable(error: unknown): boolean {
  const driverError = asDriverError(error);
  return (
    driverError !== undefined && violationOf(driverError) === 'concurrency'
  );
}

/**
 * The columns a constraint covers: PostgreSQL names the constraint
 * (`aigw_mcp_servers_pool_prefix_uq`, `aigw_pools_project_foreign`,
 * `aigw_pools_pkey`) or the column; SQLite lists `table.column`s in its
 * message ("UNIQUE constraint failed: aigw_mcp_servers.pool, aigw_mcp_servers.prefix").
 */
function columnsOf(error: DriverError): string[] {
  if (typeof error.column === 'string') return [error.column];
  if (typeof error.constraint === 'string') {
    const table = typeof error.table === 'string' ? error.table : '';
    const rest = error.constraint.startsWith(`${table}_`)
      ? error.constraint.slice(table.length + 1)
      : error.constraint;
    if (rest === 'pkey') return ['name'];
    const columns = rest.replace(/_(uq|unique|foreign|fkey|check)$/, '');
    return Object.keys(FIELD_OF_COLUMN).filter(c =>
      new RegExp(`(^|_)${c}($|_)`).test(columns),
    );
  }
  const listed =
    /constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(error.message)?.[1] ?? '';
  return listed
    .split(', ')
    .map(c => c.slice(c.lastIndexOf('.') + 1))
    .filter(Boolean);
}

function titleOf(kind: ResourceKind): string {
  return resourceKinds[kind].title;
}

function uniqueViolation(
  columns: string[],
  context: WriteContext,
): ConflictError {
  const { kind, name } = context;
  const row = context.columns ?? {};
  if (columns.includes('prefix')) {
    return conflict(
      `prefix '${row.prefix}' is already used by another MCP server in pool '${row.pool}'`,
      [
        {
          field: 'prefix',
          message: `is already used by another MCP server in pool '${row.pool}'`,
        },
      ],
    );
  }
  if (columns.includes('namespace')) {
    return conflict(
      `namespace '${row.namespace}' of cluster '${row.cluster}' is already used by another pool`,
      [
        {
          field: 'namespace',
          message: `is already used in cluster '${row.cluster}' by another pool`,
        },
      ],
    );
  }
  return conflict(`${titleOf(kind)} '${name}' already exists`, [
    { field: 'name', message: `${titleOf(kind)} '${name}' already exists` },
  ]);
}

function foreignKeyViolation(columns: string[], context: WriteContext): Error {
  const { kind, name, operation } = context;
  if (operation === 'delete') {
    const message = `${titleOf(
      kind,
    )} '${name}' got dependents while it was being deleted; delete those first or ask for cascade=true`;
    return conflict(message, [
      {
        field: 'cascade',
        message:
          'objects that depend on this one were created meanwhile; delete those first or ask for cascade=true',
      },
    ]);
  }
  // SQLite does not say which reference failed. Pools refer to a project;
  // other kinds to a pool, which only exists while its project does.
  const column =
    columns.find(c => c === 'project' || c === 'pool') ??
    (kind === 'pool' ? 'project' : 'pool');
  const value = context.columns?.[column];
  const issues: FieldIssue[] = [
    {
      field: column,
      message: `${column} '${value}' does not exist (it was deleted while this request ran)`,
    },
  ];
  return new UnprocessableError(issues[0].message, issues);
}

function fieldsOf(columns: string[]): string[] {
  const fields = columns
    .map(c => FIELD_OF_COLUMN[c])
    .filter((f): f is string => Boolean(f));
  return fields.length > 0 ? fields : ['body'];
}

/**
 * The API's answer for a database error, or the error itself when it is not
 * one the API can answer (a lost connection stays a 5xx).
 */
export function storeError(error: unknown, context?: WriteContext): unknown {
  const driverError = asDriverError(error);
  if (!driverError) return error;
  const violation = violationOf(driverError);
  if (!violation) return error;
  const columns = columnsOf(driverError);
  switch (violation) {
    case 'unique':
      return context ? uniqueViolation(columns, context) : conflictOf(columns);
    case 'foreignKey':
      return context
        ? foreignKeyViolation(columns, context)
        : new UnprocessableError('A referenced object does not exist', [
            { field: 'body', message: 'refers to an object that is gone' },
          ]);
    case 'notNull': {
      const issues = fieldsOf(columns).map(field => ({
        field,
        message: 'is required',
      }));
      return new UnprocessableError(
        `Required values are missing: ${issues.map(i => i.field).join(', ')}`,
        issues,
      );
    }
    case 'check': {
      const issues = fieldsOf(columns).map(field => ({
        field,
        message: 'is not a value the store accepts',
      }));
      return new UnprocessableError(
        `Values the store does not accept: ${issues
          .map(i => i.field)
          .join(', ')}`,
        issues,
      );
    }
    case 'data':
      return invalidInput('The request holds a value the store cannot keep', [
        {
          field: columns.length > 0 ? fieldsOf(columns)[0] : 'request',
          message:
            'holds a value the store cannot keep (too long, out of range, or with characters such as NUL)',
        },
      ]);
    case 'concurrency':
    default:
      return conflict('The request ran into a concurrent change', [
        {
          field: 'request',
          message:
            'ran into a concurrent change of the same objects; send it again',
        },
      ]);
  }
}

function conflictOf(columns: string[]): ConflictError {
  const fields = fieldsOf(columns);
  return conflict(`Already taken: ${fields.join(', ')}`, [
    ...fields.map(field => ({ field, message: 'is already taken' })),
  ]);
}
