import type {
  IngressKind,
  SecretRef,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** The ingress provider types as the pool model and the create-pool template name them. */
export const INGRESS_KIND_LABELS: Record<IngressKind, string> = {
  'kubernetes-ingress': 'Kubernetes Ingress',
  istio: 'Istio Gateway',
  traefik: 'Traefik IngressRoute',
  'gateway-api': 'Gateway API HTTPRoute',
  'openshift-route': 'OpenShift Route',
};

/** A Secret reference as users read it; the value itself is never fetched. */
export function secretRefLabel(ref: SecretRef): string {
  return `Secret ${ref.name}, key ${ref.key}`;
}

/** Key: value lines for annotations, or undefined when there are none. */
export function annotationLines(
  annotations: Record<string, string>,
): string[] | undefined {
  const entries = Object.entries(annotations);
  return entries.length
    ? entries.map(([key, value]) => `${key}: ${value}`)
    : undefined;
}
