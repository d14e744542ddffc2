import type {
  TopologyEdge,
  TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * Node fill by type (the legend shows the same). Each has a contrast of at
 * least 4.5:1 with the white labels drawn on it.
 */
export const TYPE_FILL: Record<TopologyNode['type'], string> = {
  gateway: '#1565c0',
  route: '#6a1b9a',
  backend: '#006f7a',
  'mcp-server': '#2e7d32',
  provider: '#4e342e',
  policy: '#a84300',
};

/** Node outline by health (outlines only: text shows health in words). */
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
  attached: { stroke: '#a84300', dash: '2 3', description: 'has the policy' },
};

export const SELECTED_STROKE = '#ffd600';

/** The labels drawn on a node's fill. */
export const LABEL_FILL = '#ffffff';
