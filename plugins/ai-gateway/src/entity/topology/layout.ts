import dagre from '@dagrejs/dagre';
import type {
  Topology,
  TopologyEdge,
  TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

export const NODE_HEIGHT = 44;
/** The third line of a node that shows its traffic (request and error rate). */
export const TRAFFIC_LINE_HEIGHT = 16;
/** Room for `12.0 req/s · 2.5 % errors`. */
const TRAFFIC_MIN_WIDTH = 200;
const NODE_MIN_WIDTH = 110;
const NODE_MAX_WIDTH = 320;
const MARGIN = 16;

/** A node's box: known from its label, so nothing is measured in the DOM. */
export const nodeWidth = (node: TopologyNode) =>
  Math.min(
    NODE_MAX_WIDTH,
    Math.max(
      NODE_MIN_WIDTH,
      node.label.length * 7 + 24,
      node.type.length * 6 + 24,
    ),
  );

export type PlacedNode = {
  node: TopologyNode;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
};

export type RoutedEdge = {
  edge: TopologyEdge;
  /** SVG path data, from the source's right side to the target's left side. */
  path: string;
};

export type TopologyLayout = {
  nodes: PlacedNode[];
  edges: RoutedEdge[];
  width: number;
  height: number;
};

/**
 * Lays the topology out left to right with dagre, once, with node sizes
 * known up front.
 *
 * Only each node's first incoming edge (its place on the data path: the
 * route under the gateway, the backend under the route, a policy on what it
 * is attached to) goes into dagre; the other edges, an MCP backend's targets
 * that point at servers placed under their own backends, are drawn between
 * the placed nodes. A pool with many multiplexing backends has over twice as
 * many such edges as nodes, and they would cost dagre's ranking and
 * positioning several times the whole tree while no node order avoids their
 * crossings anyway.
 */
export function layoutTopology(
  topology: Topology,
  options: {
    /** Nodes drawn with their traffic: a line taller and wide enough for it. */
    withTraffic?: ReadonlySet<string>;
  } = {},
): TopologyLayout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({
    rankdir: 'LR',
    nodesep: 16,
    ranksep: 80,
    marginx: MARGIN,
    marginy: MARGIN,
    ranker: 'tight-tree',
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of topology.nodes) {
    if (known.has(node.id)) continue;
    known.add(node.id);
    const traffic = options.withTraffic?.has(node.id) ?? false;
    graph.setNode(node.id, {
      width: traffic
        ? Math.max(TRAFFIC_MIN_WIDTH, nodeWidth(node))
        : nodeWidth(node),
      height: NODE_HEIGHT + (traffic ? TRAFFIC_LINE_HEIGHT : 0),
    });
  }
  const placedUnder = new Set<string>();
  for (const edge of topology.edges) {
    if (
      !known.has(edge.source) ||
      !known.has(edge.target) ||
      placedUnder.has(edge.target) ||
      edge.source === edge.target
    )
      continue;
    placedUnder.add(edge.target);
    graph.setEdge(edge.source, edge.target);
  }
  // dagre's first node order is a depth-first walk, which for a tree has no
  // crossings: its crossing-reduction sweeps could only spend time.
  dagre.layout(graph, { disableOptimalOrderHeuristic: true });

  const byId = new Map<string, PlacedNode>();
  const nodes: PlacedNode[] = [];
  for (const node of topology.nodes) {
    if (byId.has(node.id)) continue;
    const { x, y, width, height } = graph.node(node.id);
    // dagre gives centres.
    const placed = { node, x: x - width / 2, y: y - height / 2, width, height };
    byId.set(node.id, placed);
    nodes.push(placed);
  }
  const edges: RoutedEdge[] = [];
  for (const edge of topology.edges) {
    const from = byId.get(edge.source);
    const to = byId.get(edge.target);
    if (!from || !to) continue;
    edges.push({
      edge,
      path: curve(
        from.x + from.width,
        from.y + from.height / 2,
        to.x,
        to.y + to.height / 2,
      ),
    });
  }
  const { width = 0, height = 0 } = graph.graph();
  return { nodes, edges, width, height };
}

/** A horizontal S-curve between two ports. */
function curve(x1: number, y1: number, x2: number, y2: number) {
  const bend = Math.max(24, Math.abs(x2 - x1) / 2);
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(
    y2,
  )} ${r(x2)},${r(y2)}`;
}

/** A direction of the arrow keys. */
export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The node an arrow key moves to: among the nodes whose centre lies in that
 * direction, the nearest, with distance across the direction weighing twice
 * (so Down goes to the node below in the same column before a node slightly
 * lower in the next one). Undefined at the edge of the graph.
 */
export function nearestInDirection(
  nodes: PlacedNode[],
  from: PlacedNode,
  direction: Direction,
): PlacedNode | undefined {
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best: PlacedNode | undefined;
  let bestScore = Infinity;
  for (const p of nodes) {
    if (p === from) continue;
    const dx = p.x + p.width / 2 - cx;
    const dy = p.y + p.height / 2 - cy;
    const [along, across] = {
      right: [dx, dy],
      left: [-dx, dy],
      down: [dy, dx],
      up: [-dy, dx],
    }[direction];
    // Half a pixel: nodes of one rank share a centre line to rounding.
    if (along <= 0.5) continue;
    const score = along + 2 * Math.abs(across);
    if (score < bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
