import { ConflictError } from '@backstage/errors';
import {
  createManifestBundle,
  ManifestBundle,
} from '../manifests/ManifestBundle';
import type {
  ManifestRenderer,
  PoolDesiredState,
  RenderOptions,
} from './ManifestRenderer';

/**
 * The backend module of the suite that renders each gateway flavour, named
 * when a pool's flavour has no renderer installed.
 *
 * @public
 */
export const gatewayRendererModules: Readonly<Record<string, string>> = {
  agentgateway:
    '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway',
};

/**
 * What to install so that pools of a gateway flavour can be rendered.
 *
 * @public
 */
export function missingRendererMessage(
  gateway: string,
  installed: string[],
): string {
  const module = gatewayRendererModules[gateway];
  const install = module
    ? `add the backend module ${module} (backend.add(import('${module}')))`
    : 'add a backend module that registers one through aiGatewayRenderersExtensionPoint';
  return `No renderer for gateway '${gateway}' is installed (installed: ${
    installed.join(', ') || 'none'
  }); ${install}`;
}

/**
 * The renderers known to the control plane, by gateway flavour.
 *
 * @public
 */
export class RendererRegistry {
  readonly #renderers = new Map<string, ManifestRenderer>();

  constructor(renderers: ManifestRenderer[] = []) {
    renderers.forEach(r => this.add(r));
  }

  add(renderer: ManifestRenderer): void {
    if (this.#renderers.has(renderer.gateway)) {
      throw new Error(
        `a renderer for gateway '${renderer.gateway}' is already registered`,
      );
    }
    this.#renderers.set(renderer.gateway, renderer);
  }

  get gateways(): string[] {
    return [...this.#renderers.keys()].sort();
  }

  /**
   * Renders the pool's bundle with the renderer of its gateway flavour;
   * a `ConflictError` (409) names the module to install when there is none.
   */
  renderBundle(
    state: PoolDesiredState,
    options: RenderOptions,
  ): ManifestBundle {
    const renderer = this.#renderers.get(state.pool.gateway);
    if (!renderer) {
      // The pool is valid; the backend lacks the module for its flavour.
      throw new ConflictError(
        missingRendererMessage(state.pool.gateway, this.gateways),
      );
    }
    const { objects, warnings } = renderer.render(state, options);
    return createManifestBundle({
      pool: state.pool.name,
      namespace: state.pool.namespace,
      renderer: renderer.gateway,
      objects,
      warnings,
      // What runtime pruning lists: never the installer's bootstrap-only kinds.
      kinds: renderer.managedKinds
        .filter(k => k.stage !== 'bootstrap')
        .map(({ apiVersion, kind }) => ({ apiVersion, kind })),
    });
  }
}
