import Box from '@material-ui/core/Box';
import type { JsonPatchOperation } from '../api/AiGatewayApi';

/** Patch operations shown before "and N more", unless the caller says otherwise. */
const MAX_OPERATIONS_SHOWN = 40;

/** A JSON pointer as people read it: `/spec/ports/0/port` → `spec.ports[0].port`. */
export function readablePath(pointer: string): string {
  if (pointer === '') return '(whole object)';
  return pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, segment) => {
      if (/^\d+$/.test(segment)) return `${out}[${segment}]`;
      return out ? `${out}.${segment}` : segment;
    }, '');
}

const readableValue = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/** One patch operation on one line: `~ tls.mode: "acme"`, `+ domains.api: "api"`, `- tools.deny`. */
export function describeOperation(op: JsonPatchOperation): string {
  const path = readablePath(op.path);
  switch (op.op) {
    case 'add':
      return `+ ${path}: ${readableValue(op.value)}`;
    case 'remove':
      return `- ${path}`;
    case 'replace':
      return `~ ${path}: ${readableValue(op.value)}`;
    case 'move':
    case 'copy':
      return `${op.op} ${readablePath(op.from ?? '')} → ${path}`;
    default:
      return `${op.op} ${path}`;
  }
}

const OPERATION_COLOURS: Record<string, string> = {
  '+': '#2e7d32',
  '-': '#c62828',
  '~': '#ef6c00',
};

/**
 * Patch operations as a compact list, coloured by what they do: what a
 * change to an object did (event log) or what applying a bundle would do
 * (live diff).
 */
export function OperationList(props: {
  operations: JsonPatchOperation[];
  max?: number;
}) {
  const { operations, max = MAX_OPERATIONS_SHOWN } = props;
  const shown = operations.slice(0, max);
  return (
    <Box
      component="ul"
      m={0}
      pl={0}
      style={{ listStyle: 'none', fontFamily: 'monospace', fontSize: '0.8rem' }}
    >
      {shown.map((op, i) => {
        const line = describeOperation(op);
        return (
          <li
            key={i}
            style={{
              color: OPERATION_COLOURS[line[0]],
              wordBreak: 'break-all',
            }}
          >
            {line}
          </li>
        );
      })}
      {operations.length > shown.length && (
        <li>… and {operations.length - shown.length} more</li>
      )}
    </Box>
  );
}
