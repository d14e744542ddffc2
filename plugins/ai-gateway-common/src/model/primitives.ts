import { z } from 'zod';
import { expecting, intBetween, text } from './messages';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * DNS-1123 label: what Kubernetes accepts for namespaces and most names.
 *
 * @public
 */
export const dnsLabelSchema = z
  .string(expecting('a DNS label such as team-a'))
  .min(1, { message: 'must not be empty', abort: true })
  .max(63, 'must be at most 63 characters')
  .regex(
    DNS_LABEL,
    'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  );

/**
 * DNS-1123 subdomain: dot-separated labels, e.g. a domain or a Secret name.
 * `whenMissing` lets a field say why it is required.
 *
 * @public
 */
export function dnsSubdomainSchemaWith(whenMissing?: string) {
  return z
    .string(expecting('a DNS name such as ai.example.com', whenMissing))
    .min(1, { message: whenMissing ?? 'must not be empty', abort: true })
    .max(253, 'must be at most 253 characters')
    .regex(
      DNS_SUBDOMAIN,
      'must be a DNS name: lower-case labels of letters, digits and "-", separated by dots',
    )
    .refine(
      s => s.split('.').every(label => label.length <= 63),
      'each dot-separated part must be at most 63 characters',
    );
}
/** @public */
export const dnsSubdomainSchema = dnsSubdomainSchemaWith();

/**
 * True when `host` can be used in a URL as written: WHATWG URL parsing
 * rejects, for instance, `xn--` labels that are not valid punycode, which
 * DNS-1123 syntax alone allows.
 *
 * @public
 */
export function isUrlHost(host: string): boolean {
  try {
    return new URL(`https://${host}/`).hostname === host;
  } catch {
    return false;
  }
}

/**
 * True when `name` is a host name clients can reach: DNS-1123 and URL-safe.
 *
 * @public
 */
export function isValidHostName(name: string): boolean {
  return dnsSubdomainSchema.safeParse(name).success && isUrlHost(name);
}

/**
 * A host name such as api.example.com (optionally a leading `*.` wildcard).
 * `whenMissing` lets a field say why it is required.
 *
 * @public
 */
export function hostSchemaWith(whenMissing?: string) {
  return z
    .string(expecting('a host name such as api.example.com', whenMissing))
    .min(1, { message: whenMissing ?? 'must not be empty', abort: true })
    .max(253, 'must be at most 253 characters')
    .regex(
      /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      {
        message:
          'must be a host name such as api.example.com (lower case, no scheme or port)',
        abort: true,
      },
    )
    .refine(
      host => isUrlHost(host.replace(/^\*\./, '')),
      'must be a host name a URL can carry (labels starting with xn-- must be valid punycode)',
    );
}
/** @public */
export const hostSchema = hostSchemaWith();

/**
 * A TCP port.
 *
 * @public
 */
export const portSchema = intBetween(1, 65535, 'a port');

/**
 * Kubernetes-style name of an object of the suite (and of references to one).
 *
 * @public
 */
export const objectNameSchema = dnsLabelSchema;

/** @public */
export const titleSchema = text(100, { min: 1 });
/** @public */
export const descriptionSchema = text(1000);

/**
 * An http:// or https:// URL.
 *
 * @public
 */
export const httpUrlSchema = z.url({
  protocol: /^https?$/,
  error: (issue: { input?: unknown }) =>
    issue.input === undefined
      ? 'is required'
      : 'must be an http:// or https:// URL such as https://example.com',
});

// --- Kubernetes resource quantities ---------------------------------------

const QUANTITY =
  /^(\+?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?\d+)?$/;
const MULTIPLIER: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The largest quantity accepted: 8Ei (2^63), what Kubernetes can represent. */
const MAX_QUANTITY = 2 ** 63;

/** The value of a quantity, or undefined when `q` is not one. */
function quantityValue(q: string): number | undefined {
  const match = QUANTITY.exec(q.trim());
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  // An exponent (1e3), not the exa suffixes E and Ei.
  if (/^[eE][-+]?\d/.test(suffix)) return Number(`${number}${suffix}`);
  return Number(number) * MULTIPLIER[suffix];
}

/**
 * The numeric value of a (non-negative) Kubernetes quantity: "500m" → 0.5,
 * "1Gi" → 1073741824, "1e3" → 1000. Used to compare requests with limits.
 * Throws on anything that is not a quantity; the message does not repeat the
 * value, which may be anything pasted into the wrong field.
 *
 * @public
 */
export function parseQuantity(q: string): number {
  const value = quantityValue(q);
  if (value === undefined) {
    throw new Error(
      'not a Kubernetes quantity (such as 100m, 0.5, 128Mi or 1Gi)',
    );
  }
  return value;
}

/**
 * A Kubernetes resource quantity such as 100m, 0.5, 128Mi or 1Gi, at most
 * 8Ei. Messages never repeat the value.
 *
 * @public
 */
export const k8sQuantitySchema = z
  .string(expecting('a quantity such as 500m or 1Gi'))
  .trim()
  .superRefine((q, ctx) => {
    const value = quantityValue(q);
    if (value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      });
    } else if (!(value <= MAX_QUANTITY)) {
      ctx.addIssue({ code: 'custom', message: 'must be at most 8Ei' });
    }
  });

// --- Secrets: only ever references ---------------------------------------

/**
 * A Kubernetes Secret name (DNS subdomain).
 *
 * @public
 */
export const secretNameSchema = dnsSubdomainSchema;
/** @public */
export const secretNameSchemaWith = dnsSubdomainSchemaWith;

/**
 * A reference to one key of a Kubernetes Secret in the pool's namespace.
 * Secrets are only ever referenced: no schema of the suite accepts a value,
 * and every field that points at one is named `...SecretRef`.
 *
 * @public
 */
export const secretRefSchema = z
  .object(
    {
      name: secretNameSchema,
      key: z
        .string(expecting('a Secret key such as api-key'))
        .min(1, 'must not be empty')
        .max(253, 'must be at most 253 characters')
        .regex(
          /^[-._a-zA-Z0-9]+$/,
          'must be a Secret key: letters, digits, "-", "_" and "."',
        ),
    },
    expecting('a Secret reference { name, key }'),
  )
  .strict();
/** @public */
export type SecretRef = z.infer<typeof secretRefSchema>;

// --- Labels and annotations -----------------------------------------------

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Kubernetes labels or annotations: `prefix/name` keys to string values.
 *
 * @public
 */
export const labelsOrAnnotationsSchema = z.record(
  z
    .string()
    .max(316, 'must be at most 316 characters')
    .regex(
      LABEL_KEY,
      'must be a Kubernetes label or annotation key such as example.com/team',
    ),
  z.string(expecting('a string (quote numbers and booleans)')),
  expecting('a map of keys to string values'),
);

// --- Compute resources ------------------------------------------------------

const cpuMemoryShape = {
  cpu: k8sQuantitySchema.optional(),
  memory: k8sQuantitySchema.optional(),
};

type CpuMemory = { cpu?: string; memory?: string };
type Requirements = { requests: CpuMemory; limits: CpuMemory };

/**
 * A limit below its request is an error, reported on the limit. Values left
 * out take `defaults` (when given), and the message says when one did.
 */
function checkLimits(
  r: Requirements,
  ctx: z.RefinementCtx,
  defaults?: Requirements,
) {
  for (const resource of ['cpu', 'memory'] as const) {
    const value = (part: 'requests' | 'limits') => {
      const given = r[part][resource];
      const fallback = defaults?.[part][resource];
      if (given !== undefined) return given;
      return fallback === undefined ? undefined : `${fallback}, the default`;
    };
    const request = r.requests[resource] ?? defaults?.requests[resource];
    const limit = r.limits[resource] ?? defaults?.limits[resource];
    // A value that is not a quantity has its own issue already.
    const requested =
      request === undefined ? undefined : quantityValue(request);
    const limited = limit === undefined ? undefined : quantityValue(limit);
    if (
      requested !== undefined &&
      limited !== undefined &&
      limited < requested
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['limits', resource],
        message: `limits.${resource} (${value(
          'limits',
        )}) must be at least requests.${resource} (${value('requests')})`,
      });
    }
  }
}

const cpuMemorySchema = z
  .object(cpuMemoryShape, expecting('{ cpu, memory }'))
  .strict()
  .prefault({});

/**
 * Requests and limits of a container. Any of the four may be left out (as in
 * Kubernetes: no limit means unbounded).
 */
const requirementsObject = z
  .object(
    { requests: cpuMemorySchema, limits: cpuMemorySchema },
    expecting('{ requests, limits }'),
  )
  .strict();

/** @public */
export const resourceRequirementsSchema = requirementsObject.superRefine(
  (r, ctx) => checkLimits(r, ctx),
);
/** @public */
export type ResourceRequirements = z.infer<typeof resourceRequirementsSchema>;

/**
 * Requests and limits with every value present.
 *
 * @public
 */
export type CompleteResourceRequirements = {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
};

/**
 * Requests and limits where each value left out takes a default, so stored
 * objects are complete (the pool's defaults for its MCP servers).
 *
 * @public
 */
export function resourceRequirementsWithDefaults(
  defaults: CompleteResourceRequirements,
) {
  const fill = (given: CpuMemory, d: { cpu: string; memory: string }) => ({
    cpu: given.cpu ?? d.cpu,
    memory: given.memory ?? d.memory,
  });
  return requirementsObject
    .superRefine((r, ctx) => checkLimits(r, ctx, defaults))
    .transform(
      (r): CompleteResourceRequirements => ({
        requests: fill(r.requests, defaults.requests),
        limits: fill(r.limits, defaults.limits),
      }),
    )
    .prefault({});
}
