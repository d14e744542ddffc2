import { getPath, JsonObject } from './json';
import { badRequest } from './status';

type Requirement =
  | { op: 'exists' | '!'; key: string }
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'gt' | 'lt'; key: string; value: number };

export type Selector = (object: JsonObject) => boolean;

const matchAll: Selector = () => true;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map(t => t.trim()).filter(Boolean);
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const SET_TERM = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\((.*)\\)$`);
const OP_TERM = new RegExp(`^(${KEY})\\s*(==|!=|=|>|<)\\s*(${VALUE})$`);
const EXISTS_TERM = new RegExp(`^(!?)\\s*(${KEY})$`);
const VALUE_ONLY = new RegExp(`^${VALUE}$`);

function parseRequirement(term: string): Requirement {
  let m = SET_TERM.exec(term);
  if (m) {
    const values = m[4].split(',').map(v => v.trim());
    if (values.some(v => !VALUE_ONLY.test(v))) {
      throw badRequest(
        `unable to parse requirement: invalid value in "${term}"`,
      );
    }
    return { op: m[3] as 'in' | 'notin', key: m[1], values };
  }
  m = OP_TERM.exec(term);
  if (m) {
    const [, key, , op, value] = m;
    if (op === '>' || op === '<') {
      const n = Number(value);
      if (!/^-?\d+$/.test(value)) {
        throw badRequest(
          `unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer`,
        );
      }
      return { op: op === '>' ? 'gt' : 'lt', key, value: n };
    }
    return { op: op === '!=' ? '!=' : '=', key, value };
  }
  m = EXISTS_TERM.exec(term);
  if (m) return { op: m[1] ? '!' : 'exists', key: m[2] };
  throw badRequest(
    `unable to parse requirement: "${term}" is not a valid label selector`,
  );
}

function matches(r: Requirement, labels: Record<string, unknown>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? String(labels[r.key]) : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return value === r.value;
    case '!=':
      return value !== r.value;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'gt':
    case 'lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return r.op === 'gt' ? Number(value) > r.value : Number(value) < r.value;
    }
    default:
      return false;
  }
}

/** Parses a label selector (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`, `>`, `<`). */
export function parseLabelSelector(selector: string | null): Selector {
  if (!selector?.trim()) return matchAll;
  const requirements = splitTerms(selector).map(parseRequirement);
  return object => {
    const labels = getPath(object, ['metadata', 'labels']);
    const map =
      labels && typeof labels === 'object'
        ? (labels as Record<string, unknown>)
        : {};
    return requirements.every(r => matches(r, map));
  };
}

/** Field selectors the server accepts beyond metadata.name/namespace, per kind. */
const FIELD_LABELS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
  Secret: ['type'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'reason',
    'type',
  ],
};

/** Parses a field selector (`field=value`, `field==value`, `field!=value`, comma-separated). */
export function parseFieldSelector(
  selector: string | null,
  kind: string,
): Selector {
  if (!selector?.trim()) return matchAll;
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    ...(FIELD_LABELS[kind] ?? []),
  ];
  const requirements = selector.split(',').map(term => {
    const m = /^\s*([A-Za-z0-9.]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(term);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    const [, field, op, value] = m;
    if (!allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { path: field.split('.'), negate: op === '!=', value };
  });
  return object =>
    requirements.every(r => {
      const actual = getPath(object, r.path);
      const equal = String(actual ?? '') === r.value;
      return r.negate ? !equal : equal;
    });
}
