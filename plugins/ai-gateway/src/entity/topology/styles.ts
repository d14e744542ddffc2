import type {
  TopologyEdge,
  TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** Node fill by type (the legend shows the same). */
export const TYPE_FILL: Record<TopologyNode['type'], string> = {
  gateway: '#1565c0',
  route: '#6a1b9a',
  backend: '#00838f',
  'mcp-server': '#2e7d32',
  provider: '#4e342e',
  policy: '#ef6c00',
};

/** Node outline by health. */
export const HEALTH_STROKE: Record<TopologyNode['health'], string> = {
  healthy: '#43a047',
  unhealthy: '#e53935',
  unknown: '#9e9e9e',
};

/** Edge line by kind: traffic solid, failover dashed, an attached policy dotted. */
export const EDGE_STYLE: Record<
  TopologyEdge['kind'],
  { stroke: string; dash?: string; description: string }
> = {
  routes: { stroke: '#78909c', description: 'routes traffic to' },
  serves: { stroke: '#455a64', description: 'is served by' },
  failover: { stroke: '#455a64', dash: '6 4', description: 'fails over to' },
  attached: { stroke: '#ef6c00', dash: '2 3', description: 'has the policy' },
};

export const SELECTED_STROKE = '#ffd600';
