import {
  createPermission,
  type BasicPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The permission resource type of every object that lives in a project
 * (projects themselves, pools, MCP servers, AI backends, policies). One type
 * is enough because the only thing conditional rules look at is the project
 * and its owner group.
 *
 * @public
 */
export const AI_GATEWAY_RESOURCE_TYPE = 'ai-gateway-resource';

/**
 * The kinds of object the permission framework knows about.
 *
 * @public
 */
export type AiGatewayPermissionKind =
  | 'project'
  | 'pool'
  | 'mcpServer'
  | 'aiBackend'
  | 'policy';

/**
 * What a caller wants to do.
 *
 * @public
 */
export type AiGatewayAction = 'read' | 'create' | 'update' | 'delete';

const permissionNames: Record<AiGatewayPermissionKind, string> = {
  project: 'ai-gateway.project',
  pool: 'ai-gateway.pool',
  mcpServer: 'ai-gateway.mcp-server',
  aiBackend: 'ai-gateway.ai-backend',
  policy: 'ai-gateway.policy',
};

function resourcePermission(
  kind: AiGatewayPermissionKind,
  action: AiGatewayAction,
): ResourcePermission<typeof AI_GATEWAY_RESOURCE_TYPE> {
  return createPermission({
    name: `${permissionNames[kind]}.${action}`,
    attributes: { action },
    resourceType: AI_GATEWAY_RESOURCE_TYPE,
  });
}

/**
 * Creating a project is not scoped to an existing project, so it is a basic
 * permission (by default only platform admins hold it).
 *
 * @public
 */
export const aiGatewayProjectCreatePermission: BasicPermission =
  createPermission({
    name: 'ai-gateway.project.create',
    attributes: { action: 'create' },
  });

/**
 * Read, create, update and delete per object kind. Everything but project
 * creation is a resource permission whose resource is the object (or, for a
 * create, the project it is created in), so policies can answer with the
 * "caller belongs to the project's owner group" condition.
 *
 * @public
 */
export const aiGatewayPermissions = {
  project: {
    read: resourcePermission('project', 'read'),
    create: aiGatewayProjectCreatePermission,
    update: resourcePermission('project', 'update'),
    delete: resourcePermission('project', 'delete'),
  },
  pool: {
    read: resourcePermission('pool', 'read'),
    create: resourcePermission('pool', 'create'),
    update: resourcePermission('pool', 'update'),
    delete: resourcePermission('pool', 'delete'),
  },
  mcpServer: {
    read: resourcePermission('mcpServer', 'read'),
    create: resourcePermission('mcpServer', 'create'),
    update: resourcePermission('mcpServer', 'update'),
    delete: resourcePermission('mcpServer', 'delete'),
  },
  aiBackend: {
    read: resourcePermission('aiBackend', 'read'),
    create: resourcePermission('aiBackend', 'create'),
    update: resourcePermission('aiBackend', 'update'),
    delete: resourcePermission('aiBackend', 'delete'),
  },
  policy: {
    read: resourcePermission('policy', 'read'),
    create: resourcePermission('policy', 'create'),
    update: resourcePermission('policy', 'update'),
    delete: resourcePermission('policy', 'delete'),
  },
} as const;

/**
 * Budgets. Read, create, update and delete are resource permissions whose
 * resource is the budget's scope: for a project or AI backend budget the
 * project (so its owner group may manage it), for a team budget the team
 * itself as the owner (so its members may read it). Setting a team's budget
 * additionally needs {@link aiGatewayTeamBudgetPermission}.
 *
 * @public
 */
export const aiGatewayBudgetPermissions = {
  read: createPermission({
    name: 'ai-gateway.budget.read',
    attributes: { action: 'read' },
    resourceType: AI_GATEWAY_RESOURCE_TYPE,
  }),
  create: createPermission({
    name: 'ai-gateway.budget.create',
    attributes: { action: 'create' },
    resourceType: AI_GATEWAY_RESOURCE_TYPE,
  }),
  update: createPermission({
    name: 'ai-gateway.budget.update',
    attributes: { action: 'update' },
    resourceType: AI_GATEWAY_RESOURCE_TYPE,
  }),
  delete: createPermission({
    name: 'ai-gateway.budget.delete',
    attributes: { action: 'delete' },
    resourceType: AI_GATEWAY_RESOURCE_TYPE,
  }),
} as const;

/**
 * Creating, changing or deleting a team's budget: a team's budget caps every
 * project it owns, so by default only platform admins hold it (a basic
 * permission, like creating projects).
 *
 * @public
 */
export const aiGatewayTeamBudgetPermission: BasicPermission = createPermission({
  name: 'ai-gateway.budget.team.manage',
  attributes: { action: 'update' },
});

/**
 * Seeing and running the suite's destructive actions (remove an MCP server,
 * an AI backend or a policy) from the actions registry, i.e. from MCP
 * clients. An agent acting for a user should not be offered deletions unless
 * someone granted it, so by default only platform admins hold it; running one
 * still needs the delete permission on the object, as in the REST API.
 *
 * @public
 */
export const aiGatewayDestructiveActionsPermission: BasicPermission =
  createPermission({
    name: 'ai-gateway.actions.destructive',
    attributes: { action: 'delete' },
  });

/**
 * Every permission of the suite, for `permissionsRegistry.addPermissions`.
 *
 * @public
 */
export const aiGatewayPermissionList = [
  ...Object.values(aiGatewayPermissions).flatMap(byAction =>
    Object.values(byAction),
  ),
  ...Object.values(aiGatewayBudgetPermissions),
  aiGatewayTeamBudgetPermission,
  aiGatewayDestructiveActionsPermission,
];

/**
 * The name of the conditional rule "caller belongs to the project's owner group".
 *
 * @public
 */
export const IS_PROJECT_MEMBER_RULE = 'IS_PROJECT_MEMBER';
