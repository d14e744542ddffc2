import { poolSchema } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { ConflictError } from '@backstage/errors';
import type { ManifestRenderer, PoolDesiredState } from './ManifestRenderer';
import { RendererRegistry } from './RendererRegistry';

const pool = poolSchema.parse({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'test', type: 'native' },
  namespace: 'ai-gateway',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
  delivery: { mode: 'agent' },
});
const state: PoolDesiredState = {
  pool,
  mcpServers: [],
  aiBackends: [],
  policies: [],
};
const options = {
  controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
};

/** A renderer that renders one ConfigMap per pool, under the given flavour. */
const configMapRenderer = (gateway: string): ManifestRenderer => ({
  gateway,
  managedKinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
  render: s => ({
    objects: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: s.pool.name, namespace: s.pool.namespace },
      },
    ],
    warnings: [`rendered by ${gateway}`],
  }),
});

describe('RendererRegistry', () => {
  it("renders a pool with the renderer of the pool's gateway flavour", () => {
    const registry = new RendererRegistry([
      configMapRenderer('other'),
      configMapRenderer(pool.gateway),
    ]);
    const bundle = registry.renderBundle(state, options);
    expect(bundle.renderer).toBe(pool.gateway);
    expect(bundle.warnings).toEqual([`rendered by ${pool.gateway}`]);
    expect(bundle.kinds).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap' }]);
    expect(registry.gateways).toEqual([pool.gateway, 'other'].sort());
  });

  it('refuses a second renderer for the same flavour', () => {
    const registry = new RendererRegistry([configMapRenderer('agentgateway')]);
    expect(() => registry.add(configMapRenderer('agentgateway'))).toThrow(
      "a renderer for gateway 'agentgateway' is already registered",
    );
  });

  it('answers a conflict that names the module to install when no renderer is installed', () => {
    const registry = new RendererRegistry();
    const render = () => registry.renderBundle(state, options);
    expect(render).toThrow(ConflictError);
    expect(render).toThrow(
      "No renderer for gateway 'agentgateway' is installed (installed: none); add the backend module @ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway",
    );
  });

  it('lists the installed renderers when the flavour has no module of the suite', () => {
    const registry = new RendererRegistry([configMapRenderer('agentgateway')]);
    const render = () =>
      registry.renderBundle(
        { ...state, pool: { ...pool, gateway: 'envoy-ai-gateway' as never } },
        options,
      );
    expect(render).toThrow(
      "No renderer for gateway 'envoy-ai-gateway' is installed (installed: agentgateway); add a backend module that registers one through aiGatewayRenderersExtensionPoint",
    );
  });
});
