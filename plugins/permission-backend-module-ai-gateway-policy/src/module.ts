import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AiGatewayPermissionPolicy } from './AiGatewayPermissionPolicy';

/**
 * Installs {@link AiGatewayPermissionPolicy} as the permission backend's
 * policy, with admins from `aiGateway.permissions.admins`.
 *
 * @public
 */
export const permissionModuleAiGatewayPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ai-gateway-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          new AiGatewayPermissionPolicy({
            admins:
              config.getOptionalStringArray('aiGateway.permissions.admins') ??
              [],
            userInfo,
          }),
        );
      },
    });
  },
});
