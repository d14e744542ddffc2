import { createBackendModule } from '@backstage/backend-plugin-api';
import { aiGatewayRenderersExtensionPoint } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AgentgatewayRenderer } from './renderer/AgentgatewayRenderer';

/**
 * Renders the pools whose gateway is `agentgateway`: registers
 * {@link AgentgatewayRenderer} with the control plane.
 *
 * @public
 */
export const aiGatewayModuleAgentgateway = createBackendModule({
  pluginId: 'ai-gateway',
  moduleId: 'agentgateway',
  register(reg) {
    reg.registerInit({
      deps: { renderers: aiGatewayRenderersExtensionPoint },
      async init({ renderers }) {
        renderers.addRenderer(new AgentgatewayRenderer());
      },
    });
  },
});
