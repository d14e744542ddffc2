import type { IngressProvider } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { GATEWAY_API, PoolRenderContext } from './context';

/**
 * How traffic reaches the gateway from outside: one object (or pair) per
 * configured ingress provider, all pointing at the Service the agentgateway
 * controller creates for the Gateway. The gateway terminates TLS itself with
 * the wildcard certificate (it covers the in-cluster listener however traffic
 * reaches it), so providers that can pass
 * TLS through do; the others re-encrypt to port 443.
 */
export function renderExposure(ctx: PoolRenderContext): ManifestObject[] {
  return ctx.pool.ingress.flatMap(provider => renderProvider(ctx, provider));
}

function renderProvider(
  ctx: PoolRenderContext,
  provider: IngressProvider,
): ManifestObject[] {
  const service = ctx.gatewayName;
  const hosts = provider.host
    ? [provider.host]
    : [ctx.hosts.api, ctx.hosts.mcp];
  const annotations = { ...provider.annotations };
  const meta = (name: string) =>
    ctx.meta(name, 'ingress', { workloadName: ctx.gatewayName, annotations });
  switch (provider.kind) {
    case 'kubernetes-ingress':
      return [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: meta(ctx.gatewayName),
          spec: {
            ...(provider.className
              ? { ingressClassName: provider.className }
              : {}),
            ...(provider.tls
              ? { tls: [{ hosts, secretName: ctx.tlsSecretName }] }
              : {}),
            rules: hosts.map(host => ({
              host,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      service: { name: service, port: { number: 443 } },
                    },
                  },
                ],
              },
            })),
          },
        },
      ];
    case 'istio': {
      const name = ctx.name(ctx.gatewayName, 'istio');
      return [
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          metadata: meta(name),
          spec: {
            selector: { istio: provider.className ?? 'ingressgateway' },
            servers: [
              {
                port: {
                  number: 443,
                  name: 'tls',
                  protocol: provider.tls ? 'TLS' : 'HTTPS',
                },
                hosts,
                tls: provider.tls
                  ? { mode: 'PASSTHROUGH' }
                  : { mode: 'SIMPLE', credentialName: ctx.tlsSecretName },
              },
            ],
          },
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: meta(name),
          spec: {
            hosts,
            gateways: [name],
            tls: [
              {
                match: [{ port: 443, sniHosts: hosts }],
                route: [
                  {
                    destination: {
                      host: ctx.serviceHost(service),
                      port: { number: 443 },
                    },
                  },
                ],
              },
            ],
          },
        },
      ];
    }
    case 'traefik':
      return [
        {
          apiVersion: 'traefik.io/v1alpha1',
          kind: 'IngressRoute',
          metadata: meta(ctx.gatewayName),
          spec: {
            entryPoints: [provider.className ?? 'websecure'],
            routes: [
              {
                kind: 'Rule',
                match: hosts.map(h => `Host(\`${h}\`)`).join(' || '),
                services: [{ name: service, port: 443, scheme: 'https' }],
              },
            ],
            ...(provider.tls ? { tls: { secretName: ctx.tlsSecretName } } : {}),
          },
        },
      ];
    case 'gateway-api':
      // Attaches to a shared ingress Gateway (named by className) in front
      // of the pool's own Gateway.
      return [
        {
          apiVersion: GATEWAY_API,
          kind: 'HTTPRoute',
          metadata: meta(ctx.name(ctx.gatewayName, 'ingress')),
          spec: {
            parentRefs: [
              {
                group: 'gateway.networking.k8s.io',
                kind: 'Gateway',
                name: provider.className ?? 'ingress',
              },
            ],
            hostnames: hosts,
            rules: [
              {
                matches: [{ path: { type: 'PathPrefix', value: '/' } }],
                backendRefs: [
                  { group: '', kind: 'Service', name: service, port: 443 },
                ],
              },
            ],
          },
        },
      ];
    case 'openshift-route':
      // A Route serves one host; passthrough keeps TLS end to end.
      return hosts.map(host => ({
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: meta(ctx.name(ctx.gatewayName, host.split('.')[0])),
        spec: {
          host,
          to: { kind: 'Service', name: service, weight: 100 },
          port: { targetPort: 443 },
          ...(provider.tls
            ? {
                tls: {
                  termination: 'passthrough',
                  insecureEdgeTerminationPolicy: 'Redirect',
                },
              }
            : {}),
          wildcardPolicy: 'None',
        },
      }));
    default:
      throw new Error(
        `unknown ingress provider ${(provider as { kind: string }).kind}`,
      );
  }
}
