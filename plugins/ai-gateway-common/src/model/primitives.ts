import { z } from 'zod';

/** DNS-1123 label: what Kubernetes accepts for namespaces and most names. */
export const dnsLabelSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  );

/** DNS-1123 subdomain (e.g. a host name or a Secret name). */
export const dnsSubdomainSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a DNS name: lower-case labels of letters, digits and "-", separated by dots',
  );

/** A host name, optionally with a leading wildcard label. */
export const hostSchema = z
  .string({ message: 'must be a string' })
  .max(253, 'must be at most 253 characters')
  .regex(
    /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a host name such as api.example.com',
  );

const QUANTITY = /^([+-]?[0-9.]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const SUFFIX: Record<string, number> = {
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

/** The numeric value of a Kubernetes quantity ("500m" -> 0.5, "1Gi" -> 1073741824). */
export function parseQuantity(quantity: string): number {
  const match = QUANTITY.exec(quantity.trim());
  if (!match || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(match[1])) {
    throw new Error(`'${quantity}' is not a Kubernetes quantity`);
  }
  const [, number, suffix = ''] = match;
  if (/^[eE]/.test(suffix)) return Number(`${number}${suffix}`);
  return Number(number) * SUFFIX[suffix];
}

/** A Kubernetes resource quantity such as 100m, 0.5, 128Mi or 1Gi. */
export const k8sQuantitySchema = z
  .string({ message: 'must be a string such as 500m or 1Gi' })
  .refine(
    q => {
      try {
        return parseQuantity(q) >= 0;
      } catch {
        return false;
      }
    },
    { message: 'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi' },
  );

/** A Kubernetes Secret name (DNS subdomain). */
export const secretNameSchema = dnsSubdomainSchema;

/**
 * A reference to one key of a Kubernetes Secret in the pool's namespace.
 * Secrets are only ever referenced: no schema of the suite accepts a value.
 */
export const secretRefSchema = z
  .object({
    name: secretNameSchema,
    key: z
      .string({ message: 'must be a string' })
      .min(1, 'must not be empty')
      .max(253, 'must be at most 253 characters')
      .regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key: letters, digits, "-", "_" and "."'),
  })
  .strict();
export type SecretRef = z.infer<typeof secretRefSchema>;

/** Kubernetes labels or annotations: string keys (with optional prefix) to string values. */
export const labelsOrAnnotationsSchema = z.record(
  z
    .string()
    .max(316, 'keys must be at most 316 characters')
    .regex(
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
      'keys must be Kubernetes label/annotation keys such as example.com/name',
    ),
  z.string({ message: 'values must be strings' }),
);

const cpuMemory = z
  .object({ cpu: k8sQuantitySchema.optional(), memory: k8sQuantitySchema.optional() })
  .strict();

/** Requests and limits; a limit below its request is an error. */
export const resourceRequirementsSchema = z
  .object({
    requests: cpuMemory.default({}),
    limits: cpuMemory.default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    for (const resource of ['cpu', 'memory'] as const) {
      const request = r.requests[resource];
      const limit = r.limits[resource];
      if (request && limit && parseQuantity(limit) < parseQuantity(request)) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', resource],
          message: `limits.${resource} (${limit}) must be at least requests.${resource} (${request})`,
        });
      }
    }
  });
export type ResourceRequirements = z.infer<typeof resourceRequirementsSchema>;

/** An http(s) URL. */
export const httpUrlSchema = z
  .string({ message: 'must be a URL' })
  .url('must be a URL such as https://example.com')
  .refine(u => /^https?:\/\//.test(u), 'must be an http:// or https:// URL');

/** Kubernetes-style name of an object of the suite. */
export const objectNameSchema = dnsLabelSchema;

export const descriptionSchema = z
  .string({ message: 'must be a string' })
  .max(1000, 'must be at most 1000 characters');
