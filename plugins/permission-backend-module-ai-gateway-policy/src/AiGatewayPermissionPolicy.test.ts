import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  aiGatewayDestructiveActionsPermission,
  aiGatewayPermissions,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayPermissionPolicy } from './AiGatewayPermissionPolicy';

describe('AiGatewayPermissionPolicy', () => {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as any).userEntityRef;
      const groups: Record<string, string[]> = {
        'user:default/alice': ['group:default/Platform-Admins'],
        'user:default/bob': ['group:default/team-payments'],
      };
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
      };
    },
  });
  const policy = new AiGatewayPermissionPolicy({
    admins: ['group:default/platform-admins'],
    userInfo,
  });
  const as = (ref: string) => ({
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [] },
  });

  it('allows admins everything (group refs compared case-insensitively)', async () => {
    for (const permission of [
      aiGatewayPermissions.project.create,
      aiGatewayPermissions.pool.delete,
    ]) {
      expect(
        await policy.handle({ permission }, as('user:default/alice')),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('gives teams a project-membership condition with their claims', async () => {
    const decision = await policy.handle(
      { permission: aiGatewayPermissions.mcpServer.update },
      as('user:default/bob'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'ai-gateway',
      resourceType: 'ai-gateway-resource',
      conditions: {
        rule: 'IS_PROJECT_MEMBER',
        resourceType: 'ai-gateway-resource',
        params: { claims: ['user:default/bob', 'group:default/team-payments'] },
      },
    });
  });

  it('denies project creation and the destructive MCP tools to non-admins and leaves other plugins alone', async () => {
    for (const permission of [
      aiGatewayPermissions.project.create,
      aiGatewayDestructiveActionsPermission,
    ]) {
      expect(
        await policy.handle({ permission }, as('user:default/bob')),
      ).toEqual({ result: AuthorizeResult.DENY });
      expect(
        await policy.handle({ permission }, as('user:default/alice')),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(
      await policy.handle({ permission: other }, as('user:default/bob')),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
