import type {
  Topology,
  TopologyEdge,
  TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  layoutTopology,
  nearestInDirection,
  NODE_HEIGHT,
  nodeWidth,
  TRAFFIC_LINE_HEIGHT,
  type PlacedNode,
} from './layout';

const node = (
  id: string,
  type: TopologyNode['type'],
  label = id,
): TopologyNode => ({ id, type, label, health: 'unknown' });
const edge = (
  source: string,
  target: string,
  kind: TopologyEdge['kind'] = 'routes',
): TopologyEdge => ({ id: `${source}->${target}`, source, target, kind });

// A gateway with two MCP servers behind routes and backends, a policy on the
// gateway, and an MCP backend multiplexing both servers (two extra edges).
const topology: Topology = {
  nodes: [
    node('gateway:prod', 'gateway', 'prod'),
    node('route:mcp:a', 'route', '/a/mcp'),
    node('backend:mcp:a', 'backend', 'mcp-a'),
    node('mcp-server:a', 'mcp-server', 'a'),
    node('route:mcp:b', 'route', '/b/mcp'),
    node('backend:mcp:b', 'backend', 'mcp-b'),
    node('mcp-server:b', 'mcp-server', 'b'),
    node('route:ai:hub', 'route', '/hub'),
    node('backend:ai:hub', 'backend', 'ai-hub'),
    node(
      'policy:limit',
      'policy',
      'a-policy-with-a-rather-long-name-that-goes-on-and-on-and-on',
    ),
  ],
  edges: [
    edge('gateway:prod', 'route:mcp:a'),
    edge('route:mcp:a', 'backend:mcp:a'),
    edge('backend:mcp:a', 'mcp-server:a', 'serves'),
    edge('gateway:prod', 'route:mcp:b'),
    edge('route:mcp:b', 'backend:mcp:b'),
    edge('backend:mcp:b', 'mcp-server:b', 'serves'),
    edge('gateway:prod', 'route:ai:hub'),
    edge('route:ai:hub', 'backend:ai:hub'),
    edge('backend:ai:hub', 'mcp-server:a', 'serves'),
    edge('backend:ai:hub', 'mcp-server:b', 'serves'),
    edge('gateway:prod', 'policy:limit', 'attached'),
  ],
};

describe('layoutTopology', () => {
  const layout = layoutTopology(topology);
  const at = (id: string) => layout.nodes.find(p => p.node.id === id)!;

  it('gives nodes that show their traffic a third line and room for it, without overlaps', () => {
    const withTraffic = layoutTopology(topology, {
      withTraffic: new Set(['gateway:prod', 'mcp-server:a']),
    });
    const placed = (id: string) =>
      withTraffic.nodes.find(p => p.node.id === id)!;
    expect(placed('mcp-server:a').height).toBe(
      NODE_HEIGHT + TRAFFIC_LINE_HEIGHT,
    );
    expect(placed('mcp-server:a').width).toBeGreaterThanOrEqual(200);
    expect(placed('mcp-server:b').height).toBe(NODE_HEIGHT);
    const boxes = withTraffic.nodes;
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x ||
          b.x + b.width <= a.x ||
          a.y + a.height <= b.y ||
          b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('places every node once, sized from its label, inside the drawing', () => {
    expect(layout.nodes.map(p => p.node.id)).toEqual(
      topology.nodes.map(n => n.id),
    );
    for (const p of layout.nodes) {
      expect(p.width).toBe(nodeWidth(p.node));
      expect(p.height).toBe(NODE_HEIGHT);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x + p.width).toBeLessThanOrEqual(layout.width);
      expect(p.y + p.height).toBeLessThanOrEqual(layout.height);
    }
    // Long labels are capped.
    expect(at('policy:limit').width).toBe(320);
    expect(at('route:mcp:a').width).toBe(110);
  });

  it('lays the data path out left to right, with no two nodes overlapping', () => {
    expect(at('gateway:prod').x).toBeLessThan(at('route:mcp:a').x);
    expect(at('route:mcp:a').x).toBeLessThan(at('backend:mcp:a').x);
    expect(at('backend:mcp:a').x).toBeLessThan(at('mcp-server:a').x);
    // A policy on the gateway sits in the routes' column (centred, as dagre does).
    const centre = (id: string) => at(id).x + at(id).width / 2;
    expect(centre('policy:limit')).toBeCloseTo(centre('route:mcp:a'), 0);
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x ||
          b.x + b.width <= a.x ||
          a.y + a.height <= b.y ||
          b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('draws every edge, the multiplexed ones too, from the right side of its source to the left side of its target', () => {
    expect(layout.edges.map(e => e.edge.id)).toEqual(
      topology.edges.map(e => e.id),
    );
    for (const { edge: e, path } of layout.edges) {
      const from = at(e.source);
      const to = at(e.target);
      const numbers = path.match(/-?\d+(\.\d+)?/g)!.map(Number);
      expect(path.startsWith('M')).toBe(true);
      expect(numbers[0]).toBeCloseTo(from.x + from.width, 0);
      expect(numbers[1]).toBeCloseTo(from.y + from.height / 2, 0);
      expect(numbers[numbers.length - 2]).toBeCloseTo(to.x, 0);
      expect(numbers[numbers.length - 1]).toBeCloseTo(to.y + to.height / 2, 0);
    }
  });

  it('skips edges to unknown nodes and tolerates duplicate nodes', () => {
    const odd = layoutTopology({
      nodes: [
        node('gateway:x', 'gateway'),
        node('gateway:x', 'gateway'),
        node('policy:p', 'policy'),
      ],
      edges: [
        edge('gateway:x', 'policy:p', 'attached'),
        edge('gateway:x', 'route:gone'),
      ],
    });
    expect(odd.nodes).toHaveLength(2);
    expect(odd.edges.map(e => e.edge.target)).toEqual(['policy:p']);
  });

  it('is deterministic', () => {
    expect(layoutTopology(topology)).toEqual(layout);
  });
});

describe('nearestInDirection', () => {
  const at = (id: string, x: number, y: number): PlacedNode => ({
    node: { id, type: 'route', label: id, health: 'unknown' },
    x,
    y,
    width: 100,
    height: 40,
  });
  // Two columns: a and b on the left, c level with a and d low on the right.
  const a = at('a', 0, 0);
  const b = at('b', 0, 100);
  const c = at('c', 300, 0);
  const d = at('d', 300, 110);
  const nodes = [a, b, c, d];

  it('moves to the nearest node in the direction, preferring the same row or column', () => {
    expect(nearestInDirection(nodes, a, 'right')).toBe(c);
    expect(nearestInDirection(nodes, b, 'right')).toBe(d);
    expect(nearestInDirection(nodes, a, 'down')).toBe(b);
    expect(nearestInDirection(nodes, d, 'up')).toBe(c);
    expect(nearestInDirection(nodes, d, 'left')).toBe(b);
  });

  it('goes nowhere past the edge of the graph', () => {
    expect(nearestInDirection(nodes, a, 'left')).toBeUndefined();
    expect(nearestInDirection(nodes, a, 'up')).toBeUndefined();
    expect(nearestInDirection(nodes, d, 'right')).toBeUndefined();
  });
});
