import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  AI_GATEWAY_RESOURCE_TYPE,
  IS_PROJECT_MEMBER_RULE,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { z } from 'zod';

/**
 * What the permission rules look at: the project an object lives in and the
 * catalog group that owns that project.
 *
 * @public
 */
export type AiGatewayPermissionResource = {
  kind: string;
  name: string;
  project: string;
  owner: string;
};

/**
 * The query form of the rules: the store turns these into SQL so list
 * endpoints filter in the database instead of after the fact.
 *
 * @public
 */
export type AiGatewayAccessQuery =
  | { ownerIn: string[] }
  | { projectIn: string[] };

/** @public */
export const aiGatewayResourceRef = createPermissionResourceRef<
  AiGatewayPermissionResource,
  AiGatewayAccessQuery
>().with({ pluginId: 'ai-gateway', resourceType: AI_GATEWAY_RESOURCE_TYPE });

/** "The caller belongs to the project's owner group." */
export const isProjectMember = createPermissionRule({
  name: IS_PROJECT_MEMBER_RULE,
  description:
    "Allow callers whose ownership claims include the owner group of the object's project",
  resourceRef: aiGatewayResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Ownership entity refs of the caller, e.g. group:default/team-a',
      ),
  }),
  apply: (resource, { claims }) => claims.includes(resource.owner),
  toQuery: ({ claims }) => ({ ownerIn: claims }),
});

/** "The object lives in one of these projects." */
export const isInProject = createPermissionRule({
  name: 'IS_IN_PROJECT',
  description: 'Allow objects that live in one of the given projects',
  resourceRef: aiGatewayResourceRef,
  paramsSchema: z.object({
    projects: z.array(z.string()).describe('Project names'),
  }),
  apply: (resource, { projects }) => projects.includes(resource.project),
  toQuery: ({ projects }) => ({ projectIn: projects }),
});

/** @public */
export const aiGatewayPermissionRules = { isProjectMember, isInProject };

const conditionExports = createConditionExports({
  pluginId: 'ai-gateway',
  resourceType: AI_GATEWAY_RESOURCE_TYPE,
  rules: aiGatewayPermissionRules,
});

/**
 * Condition helpers for permission policies, in the style of the catalog's
 * `catalogConditions`: `aiGatewayConditions.isProjectMember({ claims })`.
 *
 * @public
 */
export const aiGatewayConditions = conditionExports.conditions;

/**
 * Builds a conditional decision from {@link aiGatewayConditions} for a permission policy.
 *
 * @public
 */
export const createAiGatewayConditionalDecision =
  conditionExports.createConditionalDecision;
