import type { Entity } from '@backstage/catalog-model';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  AI_GATEWAY_POOL_ANNOTATION,
  MCP_SERVER_API_TYPE,
  POOL_OBJECT_LABEL,
  poolHosts,
  resourceKinds,
  type AiGatewayObject,
  type AiBackend,
  type McpServer,
  type Pool,
  type Project,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * The part of an object of the control plane's REST API that its entity is made of.
 *
 * @public
 */
export type ControlPlaneObject<T = any> = Pick<
  AiGatewayObject<T>,
  'kind' | 'name' | 'project' | 'version' | 'spec' | 'derived'
>;

/**
 * Owner group of each project, needed to own the project's entities.
 *
 * @public
 */
export type OwnerLookup = (project: string) => string | undefined;

function base(object: ControlPlaneObject, providerName: string) {
  const location = `ai-gateway:${resourceKinds[object.kind].plural}/${
    object.name
  }`;
  return {
    name: object.name,
    annotations: {
      'backstage.io/managed-by-location': location,
      'backstage.io/managed-by-origin-location': location,
      [AI_GATEWAY_KIND_ANNOTATION]: object.kind,
      'ai-gateway.io/provider': providerName,
    } as Record<string, string>,
  };
}

/**
 * The catalog entity of a control-plane object (policies have none: they
 * show on the topology card of what they target).
 *
 * @public
 */
export function toEntity(
  object: ControlPlaneObject,
  ownerOf: OwnerLookup,
  providerName: string,
): Entity | undefined {
  const meta = base(object, providerName);
  switch (object.kind) {
    case 'project': {
      const project = object.spec as Project;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: {
          ...meta,
          title: project.title,
          description: project.description,
        },
        spec: { owner: project.owner },
      };
    }
    case 'pool': {
      const pool = object.spec as Pool;
      const hosts = poolHosts(pool);
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          ...meta,
          description: pool.description,
          annotations: {
            ...meta.annotations,
            'backstage.io/kubernetes-id': pool.name,
            'backstage.io/kubernetes-namespace': pool.namespace,
            'backstage.io/kubernetes-label-selector': `${POOL_OBJECT_LABEL}=${pool.name}`,
          },
          labels: {
            'ai-gateway.io/cluster-type': pool.cluster.type,
            'ai-gateway.io/delivery': pool.delivery.mode,
          },
          links: [
            {
              url: `https://${hosts.api}`,
              title: 'Gateway API endpoint',
              type: 'api',
            },
            { url: `https://${hosts.mcp}`, title: 'MCP endpoint', type: 'mcp' },
          ],
        },
        spec: {
          type: 'ai-gateway-pool',
          owner: ownerOf(pool.project) ?? 'unknown',
          system: pool.project,
        },
      };
    }
    case 'mcpServer': {
      const server = object.spec as McpServer;
      const url = object.derived?.url;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: {
          ...meta,
          description: server.description,
          annotations: {
            ...meta.annotations,
            [AI_GATEWAY_POOL_ANNOTATION]: server.pool,
          },
        },
        spec: {
          type: MCP_SERVER_API_TYPE,
          lifecycle: 'production',
          owner: ownerOf(server.project) ?? 'unknown',
          system: server.project,
          remotes: url ? [{ type: server.transport, url }] : [],
          // The catalog's classic API validator still requires a definition;
          // it carries what a client needs to connect: the gateway speaks
          // Streamable HTTP to clients whatever the server behind it speaks.
          // No authentication: it comes from the pool's policies, which
          // change without this entity (the portal's Definition tab reads
          // them live).
          definition: JSON.stringify(
            {
              name: server.name,
              url,
              clientTransport: 'streamable-http',
              transport: server.transport,
              pool: server.pool,
              tools: {
                allow: server.tools?.allow ?? [],
                deny: server.tools?.deny ?? [],
              },
            },
            null,
            2,
          ),
          dependsOn: [`resource:default/${server.pool}`],
        },
      };
    }
    case 'aiBackend': {
      const backend = object.spec as AiBackend;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          ...meta,
          description: backend.description,
          annotations: {
            ...meta.annotations,
            [AI_GATEWAY_POOL_ANNOTATION]: backend.pool,
          },
          labels: { 'ai-gateway.io/backend-kind': backend.spec.kind },
        },
        spec: {
          type: 'ai-backend',
          owner: ownerOf(backend.project) ?? 'unknown',
          system: backend.project,
          dependsOn: [`resource:default/${backend.pool}`],
        },
      };
    }
    default:
      return undefined;
  }
}
