import type { UserInfoService } from '@backstage/backend-plugin-api';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { AI_GATEWAY_RESOURCE_TYPE } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  aiGatewayConditions,
  createAiGatewayConditionalDecision,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';

/**
 * The suite's default policy: platform admins (configured users or groups)
 * may do everything; everybody else may read and change objects only in
 * projects whose owner group they belong to, and may not create projects.
 * Permissions of other plugins are allowed, as in Backstage's allow-all
 * policy; adopters with their own policy can reuse `aiGatewayConditions`
 * from `@ai-gateway-backstage/plugin-ai-gateway-node`.
 *
 * @public
 */
export class AiGatewayPermissionPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  private readonly userInfo: UserInfoService;

  constructor(options: { admins: string[]; userInfo: UserInfoService }) {
    this.userInfo = options.userInfo;
    this.admins = new Set(
      options.admins.map(a => a.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!request.permission.name.startsWith('ai-gateway.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    if (claims.some(c => this.admins.has(c.toLocaleLowerCase('en-US')))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(request.permission, AI_GATEWAY_RESOURCE_TYPE)) {
      return createAiGatewayConditionalDecision(
        request.permission,
        aiGatewayConditions.isProjectMember({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
