/**
 * Validates rendered Kubernetes objects against the real schemas, for tests of
 * manifest renderers: what `kubectl apply --validate=strict` (server-side,
 * `fieldValidation=Strict`) would reject should fail a unit test instead.
 *
 * Sources of truth:
 * - standard kinds, Gateway API, cert-manager, Istio and Traefik: the
 *   validation compiled into the `kubernetes-models` packages, plus an
 *   unknown-field check derived from the same validators (see `traceReads`);
 * - agentgateway CRDs: the CRD YAML files (OpenAPI schema with unknown fields
 *   as errors, defaults, list-type uniqueness and the `x-kubernetes-validations`
 *   CEL rules, evaluated with `@marcbachmann/cel-js`);
 * - OpenShift Route: the Route CRD openshift/api publishes (`crds/openshift/`),
 *   through the same CRD pipeline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { Environment } from '@marcbachmann/cel-js';

/** @public */
export type KubernetesObjectLike = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** @public */
export interface ManifestSchemaValidator {
  /** Problems of one object; empty when valid. Each message starts with `${kind}/${name}: ` and names the field path, e.g. `AgentgatewayBackend/openai: spec.ai.groups[0].providers: must NOT have fewer than 1 items`. */
  validate(object: KubernetesObjectLike): string[];
  /** CEL rules that could not be compiled/evaluated by the evaluator (rule text + schema path), so tests can report honestly what was not checked. */
  readonly skippedCelRules: ReadonlyArray<{
    kind: string;
    path: string;
    rule: string;
    reason: string;
  }>;
  /** The kinds (apiVersion + kind) it can validate. An object of an unknown kind is an error from validate(), never silently accepted. */
  readonly supportedKinds: string[];
}

type JsonObject = Record<string, unknown>;
type PathSegment = string | number;
type SkippedCelRule = ManifestSchemaValidator['skippedCelRules'][number];

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindKey = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

/** A copy without null-valued keys (YAML's empty keywords), which JSON Schema rejects. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

const firstLine = (message: string | undefined) =>
  (message ?? 'unknown error').split('\n')[0];

// ---------------------------------------------------------------------------
// Field paths, printed the way the API server prints them
// (`spec.ports[0].port`, `metadata.labels["app.kubernetes.io/name"]`).

function formatPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return '<root>';
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || segment === '*') {
      out += `[${segment}]`;
    } else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
      out += out ? `.${segment}` : segment;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}

/** Turns an ajv JSON pointer into segments, using the data to tell list indexes from map keys. */
function pointerSegments(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node = isObject(node) ? node[key] : undefined;
    }
  }
  return segments;
}

const isAtOrBelow = (pointer: string, parent: string) =>
  pointer === parent || pointer.startsWith(`${parent}/`);

/**
 * One line per ajv error. The sub-errors of a failed `anyOf`/`oneOf` are
 * folded into that error, otherwise a single choice produces a wall of
 * "must be integer / must be string / must match a schema" lines.
 */
function formatAjvErrors(
  errors: readonly ErrorObject[],
  root: unknown,
): string[] {
  // Which branch error each sub-error belongs to. ajv reports the sub-errors
  // of a branch just before it. Schema paths of CRD errors are absolute, so
  // they tell; those of kubernetes-models are relative to one referenced
  // type (`#/oneOf`, `#/type`), so there the sub-errors are the run of
  // errors at the same data path just before the branch.
  const owner = new Map<ErrorObject, ErrorObject>();
  errors.forEach((branch, k) => {
    if (branch.keyword !== 'anyOf' && branch.keyword !== 'oneOf') return;
    const relative = branch.schemaPath === `#/${branch.keyword}`;
    for (let j = k - 1; j >= 0; j--) {
      const detail = errors[j];
      const belongs = relative
        ? detail.instancePath === branch.instancePath
        : detail.schemaPath.startsWith(`${branch.schemaPath}/`) &&
          isAtOrBelow(detail.instancePath, branch.instancePath);
      if (belongs) {
        if (!owner.has(detail)) owner.set(detail, branch);
      } else if (relative) {
        break;
      }
    }
  });
  const describe = (e: ErrorObject): string => {
    const at = pointerSegments(e.instancePath, root);
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        return `${formatPath([
          ...at,
          String(params.additionalProperty),
        ])}: unknown field`;
      case 'required':
        return `${formatPath([
          ...at,
          String(params.missingProperty),
        ])}: required field is missing`;
      case 'enum':
        return `${formatPath(
          at,
        )}: must be equal to one of the allowed values: ${(
          params.allowedValues as unknown[]
        )
          .map(v => JSON.stringify(v))
          .join(', ')}`;
      case 'anyOf':
      case 'oneOf': {
        const here = `${formatPath(at)}: `;
        const details = errors
          .filter(d => owner.get(d) === e)
          .map(describe)
          .map(d => (d.startsWith(here) ? d.slice(here.length) : d));
        return `${here}${e.message}${
          details.length ? ` (${[...new Set(details)].join('; ')})` : ''
        }`;
      }
      default:
        return `${formatPath(at)}: ${e.message}`;
    }
  };
  return [...new Set(errors.filter(e => !owner.has(e)).map(describe))];
}

// ---------------------------------------------------------------------------
// Go (RE2) regular expressions, used by CRD `pattern`s and CEL `matches()`.
// Most are valid JavaScript as they are; the RE2-only syntax the CRDs use
// (leading `(?i)` flags, POSIX classes like `[:cntrl:]`) is translated.

class UnsupportedRegexError extends Error {}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const regexCache = new Map<string, RegExp | UnsupportedRegexError>();

function re2ToRegExp(pattern: string): RegExp {
  let cached = regexCache.get(pattern);
  if (!cached) {
    try {
      cached = translateRe2(pattern);
    } catch (error) {
      cached =
        error instanceof UnsupportedRegexError
          ? error
          : new UnsupportedRegexError(
              `regex ${JSON.stringify(pattern)} is not supported: ${
                (error as Error).message
              }`,
            );
    }
    regexCache.set(pattern, cached);
  }
  if (cached instanceof Error) throw cached;
  return cached;
}

function translateRe2(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    if (leading[1].includes('U')) {
      throw new UnsupportedRegexError(`ungreedy flag in ${pattern}`);
    }
    flags = leading[1];
    source = source.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'A') out += '^';
      else if (next === 'z') out += '$';
      else if (next === 'Q') {
        throw new UnsupportedRegexError(`\\Q...\\E in ${pattern}`);
      } else if ((next === 'p' || next === 'P') && source[i + 2] !== '{') {
        out += `\\${next}{${source[i + 2]}}`;
        i++;
      } else out += c + next;
      i++;
      continue;
    }
    if (inClass && source.startsWith('[:', i)) {
      const end = source.indexOf(':]', i + 2);
      const posix =
        end > 0 ? POSIX_CLASSES[source.slice(i + 2, end)] : undefined;
      if (!posix) throw new UnsupportedRegexError(`POSIX class in ${pattern}`);
      out += posix;
      i = end + 1;
      continue;
    }
    if (!inClass && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  try {
    return new RegExp(out, `${flags}u`);
  } catch {
    // Some RE2 escapes (e.g. `\-` outside a class) are only invalid in unicode mode.
    return new RegExp(out, flags);
  }
}

// ---------------------------------------------------------------------------
// The Kubernetes CEL environment: cel-js plus the Kubernetes libraries the
// rules use (URLs, quantities) and RE2 semantics for `matches()`.

/** `kubernetes.URL`, parsed like Go's `url.ParseRequestURI`: an absolute URI or an absolute path. */
class KubernetesUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly escapedPath: string,
    readonly query: string,
  ) {}

  static parse(value: string): KubernetesUrl {
    const match =
      /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(#.*)?$/.exec(
        value,
      );
    if (!match || (!match[1] && !value.startsWith('/')) || match[5]) {
      throw new Error(`URL is invalid: ${value}`);
    }
    const authority = match[2] ?? '';
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    return new KubernetesUrl(
      (match[1] ?? '').toLowerCase(),
      host,
      match[3],
      match[4] ?? '',
    );
  }

  hostname(): string {
    if (this.host.startsWith('[')) {
      return this.host.slice(1, this.host.indexOf(']'));
    }
    const colon = this.host.lastIndexOf(':');
    return colon >= 0 ? this.host.slice(0, colon) : this.host;
  }

  port(): string {
    const close = this.host.lastIndexOf(']');
    const colon = this.host.lastIndexOf(':');
    return colon > close ? this.host.slice(colon + 1) : '';
  }

  queryMap(): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(this.query)) {
      (result[key] ??= []).push(value);
    }
    return result;
  }
}

const QUANTITY_PATTERN =
  /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** `kubernetes.Quantity` as an exact fraction, so comparisons are exact like the Go library. */
class Quantity {
  constructor(readonly numerator: bigint, readonly denominator: bigint) {}

  static parse(value: string): Quantity {
    const match = QUANTITY_PATTERN.exec(value);
    if (!match) throw new Error(`quantities must match ${QUANTITY_PATTERN}`);
    const [, sign, number, suffix = ''] = match;
    const [whole, fraction = ''] = number.split('.');
    let numerator = BigInt(`${whole || '0'}${fraction}`);
    let denominator = 10n ** BigInt(fraction.length);
    const binary = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].indexOf(suffix);
    const decimal: Record<string, number> = {
      n: -9,
      u: -6,
      m: -3,
      '': 0,
      k: 3,
      M: 6,
      G: 9,
      T: 12,
      P: 15,
      E: 18,
    };
    if (binary >= 0) {
      numerator *= 1024n ** BigInt(binary + 1);
    } else {
      const exponent =
        suffix in decimal ? decimal[suffix] : Number(suffix.slice(1));
      if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
      else denominator *= 10n ** BigInt(-exponent);
    }
    return new Quantity(sign === '-' ? -numerator : numerator, denominator);
  }

  static of(value: Quantity | bigint): Quantity {
    return value instanceof Quantity ? value : new Quantity(value, 1n);
  }

  compareTo(other: Quantity): bigint {
    const a = this.numerator * other.denominator;
    const b = other.numerator * this.denominator;
    if (a === b) return 0n;
    return a < b ? -1n : 1n;
  }

  add(other: Quantity, factor: bigint): Quantity {
    return new Quantity(
      this.numerator * other.denominator +
        factor * other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }
}

const REGEX_FUNCTION = 're2Matches';
const HAS_FUNCTION = 'hasField';

/**
 * Renames calls outside string literals. cel-js' own `matches()` uses
 * JavaScript regex syntax and cannot be overridden, so it becomes a function
 * that applies the RE2 translation; `has()` becomes a macro accepting any
 * operand when cel-js' own rejects one (see `createCelEnvironment`).
 */
function renameCalls(
  expression: string,
  renames: Record<string, string>,
): string {
  const names = Object.keys(renames).join('|');
  const callPattern = new RegExp(`^(${names})\\s*\\(`);
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      const raw = /[rR]/.test(expression[i - 1] ?? '');
      const quote = expression.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < expression.length && !expression.startsWith(quote, j)) {
        j += !raw && expression[j] === '\\' ? 2 : 1;
      }
      j += quote.length;
      out += expression.slice(i, j);
      i = j;
      continue;
    }
    const call = callPattern.exec(expression.slice(i));
    if (call && !/\w/.test(expression[i - 1] ?? '')) {
      out += renames[call[1]];
      i += call[1].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function createCelEnvironment(): Environment {
  const regexTest = (value: string, pattern: string) =>
    re2ToRegExp(pattern).test(value);
  const quantityMethods: Array<
    [string, (q: Quantity, ...a: any[]) => unknown]
  > = [
    ['isLessThan(kubernetes.Quantity): bool', (q, o) => q.compareTo(o) < 0n],
    ['isGreaterThan(kubernetes.Quantity): bool', (q, o) => q.compareTo(o) > 0n],
    ['compareTo(kubernetes.Quantity): int', (q, o) => q.compareTo(o)],
    ['sign(): int', q => q.compareTo(new Quantity(0n, 1n))],
    ['isInteger(): bool', q => q.numerator % q.denominator === 0n],
    [
      'asInteger(): int',
      q => {
        if (q.numerator % q.denominator !== 0n) {
          throw new Error('cannot convert value to integer');
        }
        return q.numerator / q.denominator;
      },
    ],
    [
      'asApproximateFloat(): double',
      q => Number(q.numerator) / Number(q.denominator),
    ],
    ['add(kubernetes.Quantity): kubernetes.Quantity', (q, o) => q.add(o, 1n)],
    ['add(int): kubernetes.Quantity', (q, o) => q.add(Quantity.of(o), 1n)],
    ['sub(kubernetes.Quantity): kubernetes.Quantity', (q, o) => q.add(o, -1n)],
    ['sub(int): kubernetes.Quantity', (q, o) => q.add(Quantity.of(o), -1n)],
  ];
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  })
    .registerVariable('self', 'dyn')
    .registerFunction(`string.${REGEX_FUNCTION}(string): bool`, regexTest)
    .registerFunction(`${REGEX_FUNCTION}(string, string): bool`, regexTest)
    .registerFunction(
      'string.find(string): string',
      (value: string, re: string) =>
        String(value.match(re2ToRegExp(re))?.[0] ?? ''),
    )
    .registerFunction(
      'string.findAll(string): list<string>',
      (value: string, re: string) => findAll(value, re),
    )
    .registerType('kubernetes.URL', KubernetesUrl)
    .registerFunction('url(string): kubernetes.URL', (value: string) =>
      KubernetesUrl.parse(value),
    )
    .registerFunction('isURL(string): bool', (value: string) => {
      try {
        KubernetesUrl.parse(value);
        return true;
      } catch {
        return false;
      }
    })
    .registerFunction(
      'kubernetes.URL.getScheme(): string',
      (u: KubernetesUrl) => u.scheme,
    )
    .registerFunction(
      'kubernetes.URL.getHost(): string',
      (u: KubernetesUrl) => u.host,
    )
    .registerFunction(
      'kubernetes.URL.getHostname(): string',
      (u: KubernetesUrl) => u.hostname(),
    )
    .registerFunction('kubernetes.URL.getPort(): string', (u: KubernetesUrl) =>
      u.port(),
    )
    .registerFunction(
      'kubernetes.URL.getEscapedPath(): string',
      (u: KubernetesUrl) => u.escapedPath,
    )
    .registerFunction(
      'kubernetes.URL.getQuery(): map<string, list<string>>',
      (u: KubernetesUrl) => u.queryMap(),
    )
    .registerType('kubernetes.Quantity', Quantity)
    .registerFunction(
      'quantity(string): kubernetes.Quantity',
      (value: string) => Quantity.parse(value),
    )
    .registerFunction('isQuantity(string): bool', (value: string) =>
      QUANTITY_PATTERN.test(value),
    );
  for (const [signature, handler] of quantityMethods) {
    env.registerFunction(`kubernetes.Quantity.${signature}`, handler);
  }
  // A `has()` macro for any operand: `has(x.f)` is true when map or object `x` has key `f`.
  env.registerFunction(`${HAS_FUNCTION}(ast): bool`, ({ args }: MacroInput) => {
    const [selection] = args;
    if (selection?.op !== '.') throw new Error('has() invalid argument');
    const [operand, field] = selection.args as [unknown, string];
    return {
      typeCheck: (checker: MacroChecker, _macro: unknown, ctx: unknown) => {
        checker.check(operand, ctx);
        return checker.getType('bool');
      },
      evaluate: (evaluator: MacroEvaluator, _macro: unknown, ctx: unknown) => {
        const value = evaluator.run(operand, ctx);
        if (value instanceof Map) return value.has(field);
        if (isObject(value)) return value[field] !== undefined;
        throw new Error(`has(): ${typeof value} has no field ${field}`);
      },
    };
  });
  return env;
}

/** The parts of cel-js' macro API (see its README, "Custom macros") used by `hasField`. */
interface MacroInput {
  args: Array<{ op: string; args: unknown }>;
}
interface MacroChecker {
  check(node: unknown, ctx: unknown): unknown;
  getType(name: string): unknown;
}
interface MacroEvaluator {
  run(node: unknown, ctx: unknown): unknown;
}

function findAll(value: string, pattern: string): string[] {
  const re = re2ToRegExp(pattern);
  return [...value.matchAll(new RegExp(re.source, `${re.flags}g`))].map(
    m => m[0],
  );
}

interface CompiledExpression {
  (context: { self: unknown }): unknown;
}

interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  /** Missing when the rule is skipped. */
  evaluate?: CompiledExpression;
  messageEvaluate?: CompiledExpression;
}

/** Compiles each distinct expression once; a failure is the reason it is skipped. */
class CelCompiler {
  private readonly env = createCelEnvironment();
  private readonly cache = new Map<string, CompiledExpression | string>();

  compile(expression: string): CompiledExpression | string {
    let cached = this.cache.get(expression);
    if (cached === undefined) {
      cached = this.compileUncached(expression);
      this.cache.set(expression, cached);
    }
    return cached;
  }

  private compileUncached(expression: string): CompiledExpression | string {
    if (/\boldSelf\b/.test(expression)) return 'transition rule';
    const renamed = renameCalls(expression, { matches: REGEX_FUNCTION });
    const result = this.tryCompile(renamed);
    if (
      typeof result === 'string' &&
      result.includes('has() invalid argument')
    ) {
      // cel-js only accepts `has(a.b.c)`; Kubernetes rules also use `has(self[i].field)`.
      const retry = this.tryCompile(
        renameCalls(renamed, { has: HAS_FUNCTION }),
      );
      if (typeof retry !== 'string') return retry;
    }
    return result;
  }

  private tryCompile(expression: string): CompiledExpression | string {
    try {
      const parsed = this.env.parse(expression);
      const check = parsed.check();
      if (!check.valid) {
        return `does not compile: ${firstLine(check.error?.message)}`;
      }
      return parsed;
    } catch (error) {
      return `does not compile: ${firstLine((error as Error).message)}`;
    }
  }
}

// ---------------------------------------------------------------------------
// CRD schemas (Kubernetes structural OpenAPI) → JSON schema for ajv.

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

/** `metadata` of a custom resource: the CRD only says `type: object`, the API server validates ObjectMeta strictly. */
const OBJECT_META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    selfLink: { type: 'string' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: STRING_MAP,
    annotations: STRING_MAP,
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
    },
    managedFields: { type: 'array', items: { type: 'object' } },
  },
};

const NESTED_SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

/**
 * `structural` is false inside `allOf`/`anyOf`/`oneOf`/`not`: there,
 * `properties` only constrain values and must not forbid other fields.
 */
function toJsonSchema(node: JsonObject, structural: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      key.startsWith('x-kubernetes-') ||
      key === 'nullable' ||
      key === 'description'
    ) {
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          toJsonSchema(child as JsonObject, structural),
        ]),
      );
    } else if ((key === 'items' || key === 'not') && isObject(value)) {
      out[key] = toJsonSchema(value, key === 'items' && structural);
    } else if (key === 'additionalProperties' && isObject(value)) {
      out.additionalProperties = toJsonSchema(value, structural);
    } else if (NESTED_SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(child => toJsonSchema(child as JsonObject, false));
    } else {
      out[key] = value;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    // controller-gen also emits `anyOf: [{type: integer}, {type: string}]`; a type list says the same with one error.
    out.type = ['integer', 'string'];
    if (
      Array.isArray(out.anyOf) &&
      out.anyOf.every(
        s =>
          isObject(s) &&
          Object.keys(s).length === 1 &&
          typeof s.type === 'string',
      )
    ) {
      delete out.anyOf;
    }
  }
  if (node.nullable === true && out.type !== undefined) {
    out.type = [...(Array.isArray(out.type) ? out.type : [out.type]), 'null'];
  }
  const preservesUnknown =
    node['x-kubernetes-preserve-unknown-fields'] === true ||
    node['x-kubernetes-embedded-resource'] === true;
  if (
    structural &&
    !preservesUnknown &&
    out.additionalProperties === undefined &&
    (out.properties !== undefined || out.type === 'object')
  ) {
    // Pruning drops fields the schema does not declare; with fieldValidation=Strict they are errors.
    out.additionalProperties = false;
  }
  return out;
}

/** What the API server does before validating: drop `null`s of non-nullable fields, then apply defaults. */
function applyDefaults(
  value: unknown,
  schema: JsonObject | undefined,
): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : undefined;
    return value.map(item => applyDefaults(item, items));
  }
  if (!isObject(value)) return value;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const additional = isObject(schema.additionalProperties)
    ? schema.additionalProperties
    : undefined;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema =
      (properties[key] as JsonObject | undefined) ?? additional;
    if (child === null && childSchema?.nullable !== true) continue;
    result[key] = applyDefaults(child, childSchema);
  }
  for (const [key, childSchema] of Object.entries(properties)) {
    if (
      result[key] === undefined &&
      isObject(childSchema) &&
      'default' in childSchema
    ) {
      result[key] = applyDefaults(
        structuredClone(childSchema.default),
        childSchema,
      );
    }
  }
  return result;
}

const typeOf = (schema: JsonObject) =>
  schema['x-kubernetes-int-or-string'] === true ? 'int-or-string' : schema.type;

/**
 * JSON → CEL values: `integer` fields are CEL `int` (BigInt), `number` fields
 * are `double`. Lists and maps are rebuilt in this realm: cel-js does not
 * recognise arrays of another realm (e.g. from Jest's `structuredClone`).
 */
function toCel(value: unknown, schema: JsonObject | undefined): unknown {
  if (Array.isArray(value)) {
    const items = schema && isObject(schema.items) ? schema.items : undefined;
    return Array.from(value, item => toCel(item, items));
  }
  if (isObject(value)) {
    const properties =
      schema && isObject(schema.properties) ? schema.properties : {};
    const additional =
      schema && isObject(schema.additionalProperties)
        ? schema.additionalProperties
        : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        toCel(child, (properties[key] as JsonObject | undefined) ?? additional),
      ]),
    );
  }
  if (typeof value === 'number') {
    const type = schema ? typeOf(schema) : undefined;
    if (type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string' && schema?.format === 'date-time') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}

/** Whether a value has the schema's type; rules and list checks skip mismatches, ajv reports them. */
function hasSchemaType(value: unknown, schema: JsonObject): boolean {
  switch (typeOf(schema)) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'bigint';
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'boolean':
      return typeof value === 'boolean';
    case 'int-or-string':
      return typeof value === 'bigint' || typeof value === 'string';
    default:
      return true;
  }
}

/** `x-kubernetes-list-type: set|map`: the API server rejects duplicate items / duplicate keys. */
function listTypeProblems(
  schema: JsonObject,
  list: readonly unknown[],
  at: PathSegment[],
): string[] {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return [];
  const keys =
    (schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
  const seen = new Set<string>();
  const problems: string[] = [];
  list.forEach((item, i) => {
    const identity =
      listType === 'set'
        ? canonical(item)
        : canonical(
            Object.fromEntries(
              keys.map(key => [key, isObject(item) ? item[key] : undefined]),
            ),
          );
    if (seen.has(identity)) {
      problems.push(`${formatPath([...at, i])}: Duplicate value: ${identity}`);
    }
    seen.add(identity);
  });
  return problems;
}

/** Canonical JSON with sorted keys, for list-type uniqueness. */
function canonical(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

interface CrdVersion {
  kind: string;
  clusterScoped: boolean;
  /** The Kubernetes schema, with CEL rules and `x-kubernetes-*` markers. */
  schema: JsonObject;
  rules: WeakMap<JsonObject, CelRule[]>;
  validator?: ValidateFunction;
}

// ---------------------------------------------------------------------------
// kubernetes-models packages.

type ModelClass = (new (data: unknown) => { validate(): void }) & {
  apiVersion: string;
  kind: string;
};

/** [package, module path below the package]: the module exports a class of the same name. */
const MODEL_MODULES: ReadonlyArray<readonly [string, string]> = [
  ...[
    'v1/ConfigMap',
    'v1/Namespace',
    'v1/PersistentVolumeClaim',
    'v1/Secret',
    'v1/Service',
    'v1/ServiceAccount',
    'apps/v1/DaemonSet',
    'apps/v1/Deployment',
    'apps/v1/StatefulSet',
    'autoscaling/v2/HorizontalPodAutoscaler',
    'networking.k8s.io/v1/Ingress',
    'networking.k8s.io/v1/NetworkPolicy',
    'policy/v1/PodDisruptionBudget',
    'rbac.authorization.k8s.io/v1/ClusterRole',
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/RoleBinding',
  ].map(m => ['kubernetes-models', m] as const),
  ...[
    'gateway.networking.k8s.io/v1/Gateway',
    'gateway.networking.k8s.io/v1/GatewayClass',
    'gateway.networking.k8s.io/v1/GRPCRoute',
    'gateway.networking.k8s.io/v1/HTTPRoute',
    'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
  ].map(m => ['@kubernetes-models/gateway-api', m] as const),
  ...[
    'cert-manager.io/v1/Certificate',
    'cert-manager.io/v1/ClusterIssuer',
    'cert-manager.io/v1/Issuer',
  ].map(m => ['@kubernetes-models/cert-manager', m] as const),
  ...[
    'networking.istio.io/v1/Gateway',
    'networking.istio.io/v1/VirtualService',
    'networking.istio.io/v1beta1/Gateway',
    'networking.istio.io/v1beta1/VirtualService',
  ].map(m => ['@kubernetes-models/istio', m] as const),
  ['@kubernetes-models/traefik', 'traefik.io/v1alpha1/IngressRoute'],
];

const CLUSTER_SCOPED_MODELS = new Set([
  'v1 Namespace',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'gateway.networking.k8s.io/v1 GatewayClass',
  'cert-manager.io/v1 ClusterIssuer',
]);

/**
 * The model packages are ESM-only with an `import`-only `exports` map. Jest's
 * CommonJS sandbox (and its `module.createRequire`) cannot resolve them, so
 * they are loaded with Node's own `require` (Node >= 22.12 loads ESM
 * synchronously), by file path below the resolved package directory.
 */
function loadModel(pkg: string, modulePath: string): ModelClass {
  const nodeModule = process.getBuiltinModule('node:module');
  const nativeRequire = nodeModule.createRequire(__filename);
  const pkgDir = path.dirname(nativeRequire.resolve(`${pkg}/package.json`));
  const exports = nativeRequire(
    path.join(pkgDir, `${modulePath}.js`),
  ) as Record<string, ModelClass | undefined>;
  const model = exports[path.basename(modulePath)];
  if (typeof model !== 'function') {
    throw new Error(`${pkg}/${modulePath} does not export a model class`);
  }
  return model;
}

/**
 * The compiled validators of `kubernetes-models` do not reject unknown fields
 * (the upstream OpenAPI schemas have no `additionalProperties: false`). They
 * do read every declared property of each object they check, so running them
 * on a proxy tells which fields the schema declares: an object on which the
 * validator read properties but never enumerated its keys (a map) has a
 * schema with `properties`, and any other key of it is unknown. Objects the
 * validator never looked into (free-form, e.g. RawExtension) are not judged.
 */
function traceReads(root: object): {
  proxy: object;
  unknownFields(): PathSegment[][];
} {
  interface Trace {
    path: PathSegment[];
    read: Set<string>;
    enumerated: boolean;
  }
  const traces = new Map<object, Trace>();
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, at: PathSegment[]): object => {
    const existing = proxies.get(target);
    if (existing) return existing;
    const trace: Trace = { path: at, read: new Set(), enumerated: false };
    traces.set(target, trace);
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        const value = Reflect.get(t, key, receiver);
        if (typeof key !== 'string') return value;
        trace.read.add(key);
        const own = Object.prototype.hasOwnProperty.call(t, key);
        if (!own || typeof value !== 'object' || value === null) return value;
        return wrap(value, [...at, Array.isArray(t) ? Number(key) : key]);
      },
      has(t, key) {
        if (typeof key === 'string') trace.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        trace.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return {
    proxy: wrap(root, []),
    unknownFields: () => {
      const unknown: PathSegment[][] = [];
      for (const [target, trace] of traces) {
        if (
          Array.isArray(target) ||
          trace.enumerated ||
          trace.read.size === 0
        ) {
          continue;
        }
        for (const key of Object.keys(target)) {
          if (!trace.read.has(key)) unknown.push([...trace.path, key]);
        }
      }
      return unknown;
    },
  };
}

function validateWithModel(Model: ModelClass, object: JsonObject): string[] {
  const instance = new Model(object);
  const { proxy, unknownFields } = traceReads(instance);
  let errors: ErrorObject[] = [];
  try {
    (proxy as { validate(): void }).validate();
  } catch (error) {
    // The error comes from Node's realm (see loadModel): duck-type it.
    const list = (error as { errors?: unknown }).errors;
    if (!Array.isArray(list)) throw error;
    errors = list as ErrorObject[];
  }
  return [
    ...formatAjvErrors(errors, object),
    ...unknownFields().map(at => `${formatPath(at)}: unknown field`),
  ];
}

// ---------------------------------------------------------------------------
// ObjectMeta syntax the API server checks for every kind.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type NameRule = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

/** Kinds whose names are not validated as DNS-1123 subdomains. */
const NAME_RULES: Record<string, NameRule> = {
  'v1 Service': 'dns1035',
  'v1 Namespace': 'label',
  'rbac.authorization.k8s.io/v1 Role': 'pathSegment',
  'rbac.authorization.k8s.io/v1 RoleBinding': 'pathSegment',
  'rbac.authorization.k8s.io/v1 ClusterRole': 'pathSegment',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'pathSegment',
};

function nameProblem(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'pathSegment':
      if (name === '.' || name === '..' || /[/%]/.test(name)) {
        return 'may not be "." or ".." and may not contain "/" or "%"';
      }
      return undefined;
    case 'dns1035':
      return name.length <= 63 && DNS1035_LABEL.test(name)
        ? undefined
        : 'must be a DNS-1035 label (at most 63 lowercase alphanumerics or "-", starting with a letter)';
    case 'label':
      return name.length <= 63 && DNS1123_LABEL.test(name)
        ? undefined
        : 'must be a DNS-1123 label (at most 63 lowercase alphanumerics or "-")';
    default:
      return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : 'must be a DNS-1123 subdomain (at most 253 lowercase alphanumerics, "-" or ".")';
  }
}

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && nameProblem(prefix, 'subdomain')) {
    return 'prefix must be a DNS-1123 subdomain';
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'name part must be at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  }
  return undefined;
}

function metadataProblems(
  metadata: unknown,
  nameRule: NameRule,
  clusterScoped: boolean,
): string[] {
  if (!isObject(metadata)) return ['metadata: required field is missing'];
  const problems: string[] = [];
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name !== 'string' || name === '') {
    problems.push('metadata.name: required field is missing');
  } else {
    const problem = nameProblem(name, nameRule);
    if (problem)
      problems.push(`metadata.name: ${JSON.stringify(name)} ${problem}`);
  }
  if (namespace !== undefined && clusterScoped) {
    problems.push('metadata.namespace: not allowed on a cluster-scoped kind');
  } else if (
    typeof namespace === 'string' &&
    nameProblem(namespace, 'label') !== undefined
  ) {
    problems.push(
      `metadata.namespace: ${JSON.stringify(namespace)} ${nameProblem(
        namespace,
        'label',
      )}`,
    );
  }
  for (const [field, map] of [
    ['labels', labels],
    ['annotations', annotations],
  ] as const) {
    if (!isObject(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const at = formatPath(['metadata', field, key]);
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) problems.push(`${at}: invalid key: ${keyProblem}`);
      if (
        field === 'labels' &&
        typeof value === 'string' &&
        (value.length > 63 || !LABEL_VALUE.test(value))
      ) {
        problems.push(
          `${at}: invalid label value ${JSON.stringify(
            value,
          )}: at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric`,
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------

/**
 * Builds a validator for the standard kinds, Gateway API, cert-manager,
 * Istio, Traefik, OpenShift Route and the CRDs in `crdDirectory` (default:
 * the agentgateway CRDs shipped with this package).
 *
 * @public
 */
export function createManifestSchemaValidator(
  options: { crdDirectory?: string } = {},
): ManifestSchemaValidator {
  // The CRDs ship with the package (`files`): found from source and from dist.
  const crdDirectory =
    options.crdDirectory ??
    resolvePackagePath(
      '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils',
      'crds/agentgateway',
    );
  const skippedCelRules: SkippedCelRule[] = [];
  const skippedKeys = new Set<string>();
  const skip = (entry: SkippedCelRule) => {
    const key = `${entry.kind}\u0000${entry.path}\u0000${entry.rule}`;
    if (!skippedKeys.has(key)) {
      skippedKeys.add(key);
      skippedCelRules.push(entry);
    }
  };
  const cel = new CelCompiler();

  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    logger: false,
    // Kubernetes patterns are RE2: the same translation as CEL matches(). A
    // pattern JavaScript cannot run makes the compilation throw, loudly.
    code: {
      regExp: Object.assign((pattern: string) => re2ToRegExp(pattern), {
        code: 're2ToRegExp',
      }),
    },
  });
  addFormats(ajv, [
    'date-time',
    'date',
    'uri',
    'email',
    'hostname',
    'ipv4',
    'ipv6',
    'uuid',
  ]);
  // Number formats are informational for the API server.
  for (const format of ['int32', 'int64', 'float', 'double']) {
    ajv.addFormat(format, { type: 'number', validate: () => true });
  }
  ajv.addFormat(
    'byte',
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  );
  ajv.addFormat(
    'duration',
    /^[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$|^0$/,
  );

  /** Compiles the CEL rules of a schema once, recording the ones that cannot be checked. */
  const collectRules = (
    kind: string,
    node: JsonObject,
    at: PathSegment[],
    rules: WeakMap<JsonObject, CelRule[]>,
  ) => {
    const declared = node['x-kubernetes-validations'];
    if (Array.isArray(declared)) {
      const compiled: CelRule[] = [];
      for (const raw of declared as JsonObject[]) {
        const rule = String(raw.rule);
        const entry: CelRule = {
          rule,
          message: typeof raw.message === 'string' ? raw.message : undefined,
          messageExpression:
            typeof raw.messageExpression === 'string'
              ? raw.messageExpression
              : undefined,
          fieldPath:
            typeof raw.fieldPath === 'string' ? raw.fieldPath : undefined,
        };
        const result = cel.compile(rule);
        if (typeof result === 'string') {
          skip({ kind, path: formatPath(at), rule, reason: result });
        } else {
          entry.evaluate = result;
        }
        if (entry.messageExpression) {
          const message = cel.compile(entry.messageExpression);
          if (typeof message !== 'string') entry.messageEvaluate = message;
        }
        compiled.push(entry);
      }
      rules.set(node, compiled);
    }
    if (isObject(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (isObject(child)) collectRules(kind, child, [...at, name], rules);
      }
    }
    if (isObject(node.items))
      collectRules(kind, node.items, [...at, '*'], rules);
    if (isObject(node.additionalProperties)) {
      collectRules(kind, node.additionalProperties, [...at, '*'], rules);
    }
  };

  const crds = new Map<string, CrdVersion>();
  const addCrdVersion = (
    group: string,
    version: string,
    kind: string,
    clusterScoped: boolean,
    schema: JsonObject,
  ) => {
    const rules = new WeakMap<JsonObject, CelRule[]>();
    collectRules(kind, schema, [], rules);
    crds.set(kindKey(`${group}/${version}`, kind), {
      kind,
      clusterScoped,
      schema,
      rules,
    });
  };

  const crdFiles = [
    ...fs
      .readdirSync(crdDirectory)
      .sort()
      .map(file => path.join(crdDirectory, file)),
    // No npm model exists for it: the CRD openshift/api publishes.
    resolvePackagePath(
      '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils',
      'crds/openshift/routes.crd.yaml',
    ),
  ];
  for (const file of crdFiles) {
    if (!/\.ya?ml$/.test(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      // The published Route CRD has `anyOf: null` (a keyword left empty).
      const crd = withoutNulls(doc.toJS()) as unknown;
      if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec as JsonObject;
      const names = spec.names as JsonObject;
      for (const version of spec.versions as JsonObject[]) {
        const schema = (version.schema as JsonObject | undefined)
          ?.openAPIV3Schema;
        if (version.served === false || !isObject(schema)) continue;
        addCrdVersion(
          String(spec.group),
          String(version.name),
          String(names.kind),
          spec.scope === 'Cluster',
          schema,
        );
      }
    }
  }

  const models = new Map<string, ModelClass>();
  for (const [pkg, modulePath] of MODEL_MODULES) {
    const model = loadModel(pkg, modulePath);
    models.set(kindKey(model.apiVersion, model.kind), model);
  }

  const evaluateRule = (
    crd: CrdVersion,
    rule: CelRule,
    self: unknown,
    at: PathSegment[],
  ): string | undefined => {
    if (!rule.evaluate) return undefined;
    const where = `${formatPath(at)}${rule.fieldPath ?? ''}`;
    let result: unknown;
    try {
      result = rule.evaluate({ self });
    } catch (error) {
      if (
        error instanceof UnsupportedRegexError ||
        (error as Error).cause instanceof UnsupportedRegexError
      ) {
        skip({
          kind: crd.kind,
          path: formatPath(at.map(s => (typeof s === 'number' ? '*' : s))),
          rule: rule.rule,
          reason: (error as Error).message,
        });
        return undefined;
      }
      // The API server rejects an object whose rule errors (e.g. "no such key").
      return `${where}: rule evaluation error: ${firstLine(
        (error as Error).message,
      )} (rule: ${rule.rule})`;
    }
    if (result === true) return undefined;
    if (result !== false) {
      return `${where}: rule did not evaluate to a bool (rule: ${rule.rule})`;
    }
    let message = rule.message;
    if (rule.messageEvaluate) {
      try {
        const custom = rule.messageEvaluate({ self });
        if (typeof custom === 'string' && custom) message = custom;
      } catch {
        // Like the API server: fall back to `message` when messageExpression fails.
      }
    }
    return `${where}: ${message ?? `failed rule: ${rule.rule}`}`;
  };

  /** Evaluates CEL rules and list-type uniqueness wherever a value is present. */
  const walkCrd = (
    crd: CrdVersion,
    value: unknown,
    schema: JsonObject,
    at: PathSegment[],
    problems: string[],
  ) => {
    if (
      value === undefined ||
      value === null ||
      !hasSchemaType(value, schema)
    ) {
      return;
    }
    for (const rule of crd.rules.get(schema) ?? []) {
      const problem = evaluateRule(crd, rule, value, at);
      if (problem) problems.push(problem);
    }
    if (Array.isArray(value)) {
      problems.push(...listTypeProblems(schema, value, at));
      if (isObject(schema.items)) {
        const items = schema.items;
        value.forEach((item, i) =>
          walkCrd(crd, item, items, [...at, i], problems),
        );
      }
    } else if (isObject(value)) {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const additional = isObject(schema.additionalProperties)
        ? schema.additionalProperties
        : undefined;
      for (const [key, child] of Object.entries(value)) {
        const childSchema =
          (properties[key] as JsonObject | undefined) ?? additional;
        if (childSchema)
          walkCrd(crd, child, childSchema, [...at, key], problems);
      }
    }
  };

  const validateCrd = (crd: CrdVersion, object: JsonObject): string[] => {
    const prepared = applyDefaults(object, crd.schema) as JsonObject;
    if (!crd.validator) {
      const jsonSchema = toJsonSchema(crd.schema, true);
      (jsonSchema.properties as JsonObject).metadata = OBJECT_META_SCHEMA;
      crd.validator = ajv.compile(jsonSchema);
    }
    const problems = crd.validator(prepared)
      ? []
      : formatAjvErrors(crd.validator.errors ?? [], prepared);
    walkCrd(crd, toCel(prepared, crd.schema), crd.schema, [], problems);
    return problems;
  };

  const supportedKinds = [...models.keys(), ...crds.keys()].sort();

  return {
    skippedCelRules,
    supportedKinds,
    validate(object: KubernetesObjectLike): string[] {
      const raw = object as unknown;
      const metadata = isObject(raw) ? raw.metadata : undefined;
      const label = `${
        isObject(raw) && typeof raw.kind === 'string' ? raw.kind : '<no kind>'
      }/${
        isObject(metadata) && typeof metadata.name === 'string'
          ? metadata.name
          : '<no name>'
      }`;
      if (
        !isObject(raw) ||
        typeof raw.apiVersion !== 'string' ||
        typeof raw.kind !== 'string'
      ) {
        return [`${label}: apiVersion and kind must be strings`];
      }
      const key = kindKey(raw.apiVersion, raw.kind);
      const model = models.get(key);
      const crd = crds.get(key);
      if (!model && !crd) {
        return [
          `${label}: unsupported kind: no schema for apiVersion ${JSON.stringify(
            raw.apiVersion,
          )}, kind ${JSON.stringify(raw.kind)}`,
        ];
      }
      const problems = [
        ...metadataProblems(
          metadata,
          NAME_RULES[key] ?? 'subdomain',
          crd ? crd.clusterScoped : CLUSTER_SCOPED_MODELS.has(key),
        ),
        ...(model ? validateWithModel(model, raw) : validateCrd(crd!, raw)),
      ];
      return [...new Set(problems)].map(problem => `${label}: ${problem}`);
    },
  };
}
