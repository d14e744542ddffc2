import type { PoolTls } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { PoolRenderContext } from './context';

const ACME_SERVERS = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
};

type LetsEncrypt = Extract<PoolTls, { mode: 'letsencrypt' }>;

/** cert-manager's DNS-01 solver for the pool's DNS provider. */
function dns01Solver(dns01: LetsEncrypt['dns01']): Record<string, unknown> {
  const ref = dns01.credentialsSecretRef;
  const secretKeyRef = ref ? { name: ref.name, key: ref.key } : undefined;
  switch (dns01.provider) {
    case 'cloudflare':
      return { cloudflare: { apiTokenSecretRef: secretKeyRef } };
    case 'route53':
      return {
        route53: {
          region: dns01.region,
          accessKeyID: dns01.accessKeyId,
          secretAccessKeySecretRef: secretKeyRef,
        },
      };
    case 'clouddns':
      return {
        cloudDNS: {
          project: dns01.project,
          serviceAccountSecretRef: secretKeyRef,
        },
      };
    case 'azuredns':
      return {
        azureDNS: {
          subscriptionID: dns01.subscriptionId,
          resourceGroupName: dns01.resourceGroupName,
          hostedZoneName: dns01.dnsZone,
          environment: 'AzurePublicCloud',
          clientID: dns01.clientId,
          tenantID: dns01.tenantId,
          clientSecretSecretRef: secretKeyRef,
        },
      };
    case 'digitalocean':
      return { digitalocean: { tokenSecretRef: secretKeyRef } };
    case 'rfc2136':
      return {
        rfc2136: {
          nameserver: dns01.nameserver,
          tsigKeyName: dns01.tsigKeyName,
          tsigAlgorithm: secretKeyRef ? 'HMACSHA256' : undefined,
          tsigSecretSecretRef: secretKeyRef,
        },
      };
    default:
      throw new Error(
        `unknown DNS-01 provider ${(dns01 as { provider: string }).provider}`,
      );
  }
}

/**
 * One wildcard certificate covers every host of the pool:
 * `letsencrypt` issues it with DNS-01 (no inbound HTTP needed), `selfsigned`
 * for air-gapped sites; `provided` renders nothing and the listeners use the
 * platform team's Secret.
 */
export function renderTls(ctx: PoolRenderContext): ManifestObject[] {
  const { tls } = ctx.pool;
  if (tls.mode === 'provided') return [];
  const issuerName =
    tls.mode === 'letsencrypt'
      ? ctx.name(ctx.pool.name, 'letsencrypt', tls.issuer)
      : ctx.name(ctx.pool.name, 'selfsigned');
  const issuer: ManifestObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: ctx.meta(issuerName, 'tls'),
    spec:
      tls.mode === 'letsencrypt'
        ? {
            acme: {
              server: ACME_SERVERS[tls.issuer],
              email: tls.email,
              privateKeySecretRef: {
                name: ctx.name(
                  ctx.pool.name,
                  'letsencrypt',
                  tls.issuer,
                  'account',
                ),
              },
              solvers: [
                {
                  selector: { dnsZones: [tls.dns01.dnsZone] },
                  dns01: dns01Solver(tls.dns01),
                },
              ],
            },
          }
        : { selfSigned: {} },
  };
  const certificate: ManifestObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: ctx.meta(ctx.name(ctx.pool.name, 'wildcard'), 'tls'),
    spec: {
      secretName: ctx.tlsSecretName,
      commonName: ctx.wildcardDomain,
      dnsNames: [ctx.wildcardDomain],
      issuerRef: { name: issuerName, kind: 'Issuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      renewBefore: '720h',
    },
  };
  return [issuer, certificate];
}
