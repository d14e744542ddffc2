import { createManifestBundle, ManifestBundle } from '../manifests/ManifestBundle';
import type {
  ManifestRenderer,
  PoolDesiredState,
  RenderOptions,
} from './ManifestRenderer';

/** The renderers known to the control plane, by gateway flavour. */
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

  /** Renders the pool's bundle with the renderer of its gateway flavour. */
  renderBundle(state: PoolDesiredState, options: RenderOptions): ManifestBundle {
    const renderer = this.#renderers.get(state.pool.gateway);
    if (!renderer) {
      throw new Error(
        `no renderer for gateway '${state.pool.gateway}' (known: ${
          this.gateways.join(', ') || 'none'
        })`,
      );
    }
    const { objects, warnings } = renderer.render(state, options);
    return createManifestBundle({
      pool: state.pool.name,
      namespace: state.pool.namespace,
      renderer: renderer.gateway,
      objects,
      warnings,
      kinds: [...renderer.managedKinds],
    });
  }
}
