import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ManifestRenderer } from './ManifestRenderer';

/**
 * Lets backend modules add renderers for other gateways (e.g. Envoy AI Gateway).
 *
 * @public
 */
export interface AiGatewayRenderersExtensionPoint {
  addRenderer(renderer: ManifestRenderer): void;
}

/** @public */
export const aiGatewayRenderersExtensionPoint =
  createExtensionPoint<AiGatewayRenderersExtensionPoint>({
    id: 'ai-gateway.renderers',
  });
