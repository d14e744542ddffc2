import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { aiGatewayPermissions } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import request from 'supertest';
import permissionModuleAiGatewayPolicy from './index';

const groups: Record<string, string[]> = {
  'user:default/alice': ['group:default/platform-admins'],
  'user:default/bob': ['group:default/team-payments'],
};

/** The permission backend with this module as its policy, and the given config. */
async function startPermissionBackend(config: Record<string, unknown>) {
  const { server } = await startTestBackend({
    features: [
      permissionPlugin,
      permissionModuleAiGatewayPolicy,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...config },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: BackstageCredentials) => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
          };
        },
      }).factory,
    ],
  });
  /** The decision of the permission backend on a basic permission for the user. */
  return async (
    user: string,
    permission: { name: string; attributes: object },
  ) => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', `Bearer ${mockCredentials.user.token(user)}`)
      .send({
        items: [{ id: '1', permission: { type: 'basic', ...permission } }],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result;
  };
}

describe('permissionModuleAiGatewayPolicy', () => {
  const createProject = aiGatewayPermissions.project.create;
  const otherPlugin = {
    name: 'catalog.entity.create',
    attributes: { action: 'create' },
  };

  it('makes the admins of aiGateway.permissions.admins platform admins', async () => {
    const decide = await startPermissionBackend({
      aiGateway: { permissions: { admins: ['group:default/platform-admins'] } },
    });
    expect(await decide('user:default/alice', createProject)).toBe('ALLOW');
    expect(await decide('user:default/bob', createProject)).toBe('DENY');
    expect(await decide('user:default/bob', otherPlugin)).toBe('ALLOW');
  });

  it('has no admins without the config key', async () => {
    const decide = await startPermissionBackend({});
    expect(await decide('user:default/alice', createProject)).toBe('DENY');
  });
});
