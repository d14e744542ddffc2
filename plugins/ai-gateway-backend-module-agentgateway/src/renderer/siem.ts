import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_API, PoolRenderContext } from './context';
import { urlTarget } from './mcpServers';

/** The SIEM endpoint as the gateway reaches it, when it is rendered. */
export function siemTarget(ctx: PoolRenderContext) {
  const { siem } = ctx.pool;
  return siem?.format === 'otlp' ? urlTarget(siem.endpoint) : undefined;
}

/**
 * The SIEM exporter: agentgateway's access log over OTLP/HTTP (an
 * AgentgatewayPolicy `frontend.accessLog.otlp` on the Gateway). The endpoint
 * is an AgentgatewayBackend, so TLS and the token (sent as
 * `Authorization: Bearer`, read from the Secret by agentgateway) apply to the
 * export. Other formats, which pools stored by earlier releases may carry,
 * are not rendered: agentgateway exports access logs only over OTLP.
 */
export function renderSiem(ctx: PoolRenderContext): ManifestObject[] {
  const { siem } = ctx.pool;
  if (!siem) return [];
  const target = siemTarget(ctx);
  if (!target) {
    ctx.warn(
      `the SIEM exporter is not rendered: agentgateway exports access logs only over OTLP, not as ${siem.format}; set siem.format to otlp and point siem.endpoint at an OTLP collector that forwards to the SIEM`,
    );
    return [];
  }
  // The portal refuses these now; pools stored earlier may have them.
  const url = new URL(siem.endpoint);
  if (url.username || url.password) {
    ctx.warn(
      'the user name and password in siem.endpoint are not rendered: agentgateway sends the token of siem.secretRef',
    );
  }
  if (/[?#]/.test(siem.endpoint)) {
    ctx.warn(
      'the query or fragment of siem.endpoint is not rendered: agentgateway posts to its host, port and path',
    );
  }
  const name = ctx.name(ctx.pool.name, 'siem');
  const isAddress = /^[\d.]+$|^\[/.test(target.host);
  const policies = {
    ...(siem.secretRef
      ? {
          auth: {
            secretRef: { name: siem.secretRef.name, key: siem.secretRef.key },
          },
        }
      : {}),
    ...(target.https ? { tls: isAddress ? {} : { sni: target.host } } : {}),
  };
  return [
    {
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayBackend',
      metadata: ctx.meta(name, 'siem'),
      spec: {
        static: { host: target.host, port: target.port },
        ...(Object.keys(policies).length ? { policies } : {}),
      },
    },
    {
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: ctx.meta(name, 'siem'),
      spec: {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: ctx.gatewayName,
          },
        ],
        frontend: {
          accessLog: {
            otlp: {
              backendRef: {
                group: 'agentgateway.dev',
                kind: 'AgentgatewayBackend',
                name,
              },
              protocol: 'HTTP',
              // Without a path of its own the endpoint gets /v1/logs.
              ...(target.path !== '/' ? { path: target.path } : {}),
            },
          },
        },
      },
    },
  ];
}
