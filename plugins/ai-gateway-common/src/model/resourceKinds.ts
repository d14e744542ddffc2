import { aiBackendSchema } from './aiBackend';
import { mcpServerSchema } from './mcpServer';
import { policySchema } from './policy';
import { poolSchema } from './pool';
import { projectSchema } from './project';

/**
 * The schemas of the objects the control plane stores, by kind.
 *
 * @public
 */
export const resourceSchemas = {
  project: projectSchema,
  pool: poolSchema,
  mcpServer: mcpServerSchema,
  aiBackend: aiBackendSchema,
  policy: policySchema,
};

/** @public */
export type ResourceKind = keyof typeof resourceSchemas;

/** @public */
export type ResourceKindDescriptor<K extends ResourceKind = ResourceKind> = {
  kind: K;
  /** The REST path segment: /projects, /mcp-servers... */
  plural: string;
  /** For people: "Pool", "MCP server". */
  title: string;
  schema: (typeof resourceSchemas)[K];
};

/**
 * The five kinds of object of the control plane, in dependency order (a
 * project before its pools, a pool before what runs in it). The backend
 * builds its generic CRUD routes from this.
 *
 * @public
 */
export const aiGatewayKinds = [
  {
    kind: 'project',
    plural: 'projects',
    title: 'Project',
    schema: projectSchema,
  },
  { kind: 'pool', plural: 'pools', title: 'Pool', schema: poolSchema },
  {
    kind: 'mcpServer',
    plural: 'mcp-servers',
    title: 'MCP server',
    schema: mcpServerSchema,
  },
  {
    kind: 'aiBackend',
    plural: 'ai-backends',
    title: 'AI backend',
    schema: aiBackendSchema,
  },
  { kind: 'policy', plural: 'policies', title: 'Policy', schema: policySchema },
] as const satisfies ReadonlyArray<ResourceKindDescriptor>;

/**
 * The same descriptors keyed by kind.
 *
 * @public
 */
export const resourceKinds: {
  readonly [K in ResourceKind]: ResourceKindDescriptor<K>;
} = Object.freeze(
  Object.fromEntries(aiGatewayKinds.map(d => [d.kind, d])) as {
    [K in ResourceKind]: ResourceKindDescriptor<K>;
  },
);

/**
 * The kind served at a REST path segment, e.g. 'mcp-servers' → 'mcpServer'.
 *
 * @public
 */
export function resourceKindOfPlural(plural: string): ResourceKind | undefined {
  return aiGatewayKinds.find(d => d.plural === plural)?.kind;
}

/** The catalog kind of each control-plane kind (policies have no entity). */
const ENTITY_KINDS: Record<ResourceKind, string | undefined> = {
  project: 'system',
  pool: 'resource',
  mcpServer: 'api',
  aiBackend: 'resource',
  policy: undefined,
};

/**
 * The catalog entity ref of a control-plane object, as the suite's entity
 * provider names it (`resource:default/prod-eu`); undefined for policies.
 *
 * @public
 */
export function catalogEntityRef(
  kind: ResourceKind,
  name: string,
): string | undefined {
  const entityKind = ENTITY_KINDS[kind];
  return entityKind ? `${entityKind}:default/${name}` : undefined;
}

/**
 * The path of a control-plane object's entity page in the portal
 * (`/catalog/default/resource/prod-eu`), optionally of one of its tabs;
 * undefined for policies, which have no entity.
 *
 * @public
 */
export function catalogEntityPath(
  kind: ResourceKind,
  name: string,
  tab?: string,
): string | undefined {
  const entityKind = ENTITY_KINDS[kind];
  if (!entityKind) return undefined;
  return `/catalog/default/${entityKind}/${name}${tab ? `/${tab}` : ''}`;
}

/**
 * The label every Kubernetes object of a pool carries (the renderers set it,
 * pruning and the Kubernetes tab select on it).
 *
 * @public
 */
export const POOL_OBJECT_LABEL = 'ai-gateway.backstage.io/pool';

/**
 * The annotation the catalog module puts on every entity of the suite: which
 * kind of object it is (`project`, `pool`, `mcpServer`, `aiBackend`). The
 * frontend shows its cards and tabs by it.
 *
 * @public
 */
export const AI_GATEWAY_KIND_ANNOTATION = 'ai-gateway.io/kind';

/**
 * The annotation naming the pool an MCP server or AI backend runs in.
 *
 * @public
 */
export const AI_GATEWAY_POOL_ANNOTATION = 'ai-gateway.io/pool';
