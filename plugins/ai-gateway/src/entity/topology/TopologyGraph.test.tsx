import type {
  Topology,
  TopologyEdge,
  TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { renderInTestApp } from '@backstage/test-utils';
import { act, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { layoutTopology } from './layout';
import { EDGE_STYLE, HEALTH_STROKE, TYPE_FILL } from './styles';
import {
  fitView,
  initialView,
  MIN_READABLE_SCALE,
  TopologyGraph,
} from './TopologyGraph';

const node = (
  id: string,
  type: TopologyNode['type'],
  health: TopologyNode['health'] = 'unknown',
): TopologyNode => ({
  id,
  type,
  label: id.split(':').pop()!,
  health,
});
const edge = (
  source: string,
  target: string,
  kind: TopologyEdge['kind'],
): TopologyEdge => ({ id: `${source}->${target}`, source, target, kind });

const topology: Topology = {
  nodes: [
    node('gateway:prod', 'gateway', 'healthy'),
    node('route:ai:llm', 'route', 'unhealthy'),
    node('backend:ai:llm', 'backend'),
    node('provider:llm:openai', 'provider'),
    node('provider:llm:bedrock', 'provider'),
    node('policy:limit', 'policy'),
  ],
  edges: [
    edge('gateway:prod', 'route:ai:llm', 'routes'),
    edge('route:ai:llm', 'backend:ai:llm', 'routes'),
    edge('backend:ai:llm', 'provider:llm:openai', 'serves'),
    edge('backend:ai:llm', 'provider:llm:bedrock', 'failover'),
    edge('gateway:prod', 'policy:limit', 'attached'),
  ],
};

const HEIGHT = 480;
// jsdom has no layout: the graph falls back to an 800 px wide viewport.
const VIEWPORT = { width: 800, height: HEIGHT };

/** The graph with its selection held as the card holds it. */
function Harness({ onSelect }: { onSelect?: (id: string) => void }) {
  const [selected, setSelected] = useState<string>();
  return (
    <TopologyGraph
      topology={topology}
      focusId="gateway:prod"
      selectedId={selected}
      onSelect={id => {
        setSelected(id);
        onSelect?.(id);
      }}
      height={HEIGHT}
    />
  );
}

const viewOf = () => {
  const transform = screen
    .getByTestId('topology-viewport')
    .getAttribute('transform')!;
  const [, x, y, k] = /translate\(([-\d.e]+),([-\d.e]+)\) scale\(([-\d.e]+)\)/
    .exec(transform)!
    .map(Number);
  return { x, y, k };
};
const rectOf = (id: string) =>
  screen.getByTestId(`topology-node-${id}`).querySelector('rect')!;

describe('TopologyGraph', () => {
  it('draws every node coloured by type with a health outline, and every edge styled by kind', async () => {
    await renderInTestApp(<Harness />);
    for (const n of topology.nodes) {
      expect(rectOf(n.id)).toHaveAttribute('fill', TYPE_FILL[n.type]);
      expect(rectOf(n.id)).toHaveAttribute('stroke', HEALTH_STROKE[n.health]);
    }
    expect(rectOf('route:ai:llm')).toHaveAttribute('stroke', '#e53935');
    expect(rectOf('gateway:prod')).toHaveAttribute('stroke', '#43a047');
    // The entity's own node has the thicker outline.
    expect(rectOf('gateway:prod')).toHaveAttribute('stroke-width', '5');
    expect(rectOf('route:ai:llm')).toHaveAttribute('stroke-width', '3');

    const edges = screen.getAllByTestId('topology-edge');
    expect(edges).toHaveLength(topology.edges.length);
    const failover = edges.find(
      e => e.getAttribute('data-kind') === 'failover',
    )!;
    expect(failover).toHaveAttribute(
      'stroke-dasharray',
      EDGE_STYLE.failover.dash,
    );
    const routes = edges.find(e => e.getAttribute('data-kind') === 'routes')!;
    expect(routes).not.toHaveAttribute('stroke-dasharray');
    expect(screen.getByTestId('topology-svg')).toHaveAccessibleName(
      'Topology: 6 nodes, 5 edges. Drag to pan, scroll to zoom; arrow keys move between nodes, Enter selects.',
    );
  });

  it('selects a node on click or Enter, and outlines it and its edges', async () => {
    const onSelect = jest.fn();
    await renderInTestApp(<Harness onSelect={onSelect} />);
    expect(screen.queryByTestId('topology-selection')).not.toBeInTheDocument();

    // A click on the label inside the node selects the node.
    fireEvent.click(
      screen
        .getByTestId('topology-node-backend:ai:llm')
        .querySelectorAll('text')[1],
    );
    expect(onSelect).toHaveBeenLastCalledWith('backend:ai:llm');
    // route -> backend, backend -> openai, backend -> bedrock.
    expect(screen.getAllByTestId('topology-selected-edge')).toHaveLength(3);

    fireEvent.keyDown(screen.getByTestId('topology-node-policy:limit'), {
      key: 'Enter',
    });
    expect(onSelect).toHaveBeenLastCalledWith('policy:limit');
    expect(screen.getAllByTestId('topology-selected-edge')).toHaveLength(1);

    // A click on the background selects nothing.
    onSelect.mockClear();
    fireEvent.click(screen.getByTestId('topology-svg'));
    expect(onSelect).not.toHaveBeenCalled();
  });

  it('starts fitted and zooms in, out, back to fit and onto the selected node', async () => {
    await renderInTestApp(<Harness />);
    const fitted = fitView(layoutTopology(topology), VIEWPORT);
    expect(viewOf().k).toBeCloseTo(fitted.k, 5);
    expect(screen.getByTestId('topology-zoom')).toHaveTextContent(
      `${Math.round(fitted.k * 100)}%`,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(viewOf().k).toBeCloseTo(fitted.k * 1.5, 5);
    // Zooming keeps the viewport's centre where it was.
    const centre = { x: VIEWPORT.width / 2, y: VIEWPORT.height / 2 };
    const graphPoint = {
      x: (centre.x - fitted.x) / fitted.k,
      y: (centre.y - fitted.y) / fitted.k,
    };
    expect(viewOf().x + graphPoint.x * viewOf().k).toBeCloseTo(centre.x, 5);
    expect(viewOf().y + graphPoint.y * viewOf().k).toBeCloseTo(centre.y, 5);

    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(viewOf().k).toBeCloseTo(fitted.k / 1.5, 5);
    // Not past half the fitted scale.
    for (let i = 0; i < 5; i++)
      fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(viewOf().k).toBeCloseTo(fitted.k / 2, 5);

    fireEvent.click(
      screen.getByRole('button', { name: 'Fit the whole graph' }),
    );
    expect(viewOf()).toEqual({
      x: expect.closeTo(fitted.x, 5),
      y: expect.closeTo(fitted.y, 5),
      k: expect.closeTo(fitted.k, 5),
    });

    // With nothing selected, "Selected" centres on the entity's own node.
    fireEvent.click(screen.getByTestId('topology-node-provider:llm:bedrock'));
    fireEvent.click(
      screen.getByRole('button', { name: 'Centre on the selected node' }),
    );
    const placed = layoutTopology(topology).nodes.find(
      p => p.node.id === 'provider:llm:bedrock',
    )!;
    const v = viewOf();
    expect(v.k).toBe(1);
    expect(v.x + (placed.x + placed.width / 2) * v.k).toBeCloseTo(centre.x, 5);
    expect(v.y + (placed.y + placed.height / 2) * v.k).toBeCloseTo(centre.y, 5);
  });

  it('moves the focus with the arrow keys, Home and End, one node in the tab order, and announces it', async () => {
    const onSelect = jest.fn();
    await renderInTestApp(<Harness onSelect={onSelect} />);
    const nodeEl = (id: string) => screen.getByTestId(`topology-node-${id}`);
    const tabbable = () =>
      topology.nodes
        .map(n => n.id)
        .filter(id => nodeEl(id).getAttribute('tabindex') === '0');
    // Only the entity's own node is in the tab order at first.
    expect(tabbable()).toEqual(['gateway:prod']);
    const live = screen.getByTestId('topology-announcement');
    expect(live).toHaveAttribute('aria-live', 'polite');

    act(() => nodeEl('gateway:prod').focus());
    expect(live).toHaveTextContent('Focused gateway prod, health healthy');

    // Right from the gateway: the route or the policy, whichever is nearer
    // in that direction; both are one rank to the right.
    const layout = layoutTopology(topology);
    const placed = (id: string) => layout.nodes.find(p => p.node.id === id)!;
    fireEvent.keyDown(nodeEl('gateway:prod'), { key: 'ArrowRight' });
    const first = document.activeElement!.getAttribute('data-node-id')!;
    expect(['route:ai:llm', 'policy:limit']).toContain(first);
    expect(placed(first).x).toBeGreaterThan(placed('gateway:prod').x);
    expect(tabbable()).toEqual([first]);

    // Down or up reaches the other node of that rank.
    const other = first === 'route:ai:llm' ? 'policy:limit' : 'route:ai:llm';
    const vertical =
      placed(other).y > placed(first).y ? 'ArrowDown' : 'ArrowUp';
    fireEvent.keyDown(nodeEl(first), { key: vertical });
    expect(document.activeElement).toBe(nodeEl(other));
    expect(live).toHaveTextContent(
      other === 'route:ai:llm'
        ? 'Focused route llm, health unhealthy'
        : 'Focused policy limit, health unknown',
    );

    // End and Home go to the last and first node; Left from the first goes nowhere.
    fireEvent.keyDown(nodeEl(other), { key: 'End' });
    const last = layout.nodes[layout.nodes.length - 1].node.id;
    expect(document.activeElement).toBe(nodeEl(last));
    fireEvent.keyDown(nodeEl(last), { key: 'Home' });
    expect(document.activeElement).toBe(nodeEl(layout.nodes[0].node.id));
    fireEvent.keyDown(nodeEl('gateway:prod'), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(nodeEl('gateway:prod'));

    // Space selects the focused node and the live region says so.
    fireEvent.keyDown(nodeEl('gateway:prod'), { key: 'ArrowRight' });
    const focused = document.activeElement!.getAttribute('data-node-id')!;
    fireEvent.keyDown(nodeEl(focused), { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith(focused);
    expect(live).toHaveTextContent(/^Selected /);
    expect(tabbable()).toEqual([focused]);
  });

  it('opens a large graph at a readable zoom around the entity node, not shrunk to fit', () => {
    const wide = { width: 4000, height: 3000 };
    const viewport = { width: 800, height: 480 };
    const focus = { x: 2000, y: 1500, width: 120, height: 44 };
    const view = initialView(wide, viewport, focus);
    expect(fitView(wide, viewport).k).toBeLessThan(MIN_READABLE_SCALE);
    expect(view.k).toBe(MIN_READABLE_SCALE);
    // 12 px type labels are at least 11 px on screen.
    expect(12 * view.k).toBeGreaterThanOrEqual(11);
    // The focus node sits in the middle of the viewport.
    expect(view.x + (focus.x + focus.width / 2) * view.k).toBeCloseTo(400, 5);
    expect(view.y + (focus.y + focus.height / 2) * view.k).toBeCloseTo(240, 5);
    // Near the graph's corner no empty space shows past its edge.
    const corner = initialView(wide, viewport, { ...focus, x: 0, y: 0 });
    expect(corner.x).toBe(0);
    expect(corner.y).toBe(0);
    // A graph that fits at a readable zoom opens fitted.
    const small = { width: 700, height: 400 };
    expect(initialView(small, viewport, focus)).toEqual(
      fitView(small, viewport),
    );
  });

  it('zooms with the wheel around the pointer', async () => {
    await renderInTestApp(<Harness />);
    const before = viewOf();
    fireEvent.wheel(screen.getByTestId('topology-svg'), {
      deltaY: -200,
      clientX: 100,
      clientY: 50,
    });
    const after = viewOf();
    expect(after.k).toBeGreaterThan(before.k);
    // The graph point under the pointer stays under it.
    const graphPoint = {
      x: (100 - before.x) / before.k,
      y: (50 - before.y) / before.k,
    };
    expect(after.x + graphPoint.x * after.k).toBeCloseTo(100, 5);
    expect(after.y + graphPoint.y * after.k).toBeCloseTo(50, 5);
  });

  it('pans on drag, and the click that ends a drag selects nothing', async () => {
    const onSelect = jest.fn();
    await renderInTestApp(<Harness onSelect={onSelect} />);
    const svg = screen.getByTestId('topology-svg');
    const target = screen.getByTestId('topology-node-route:ai:llm');
    const before = viewOf();
    fireEvent.pointerDown(target, {
      button: 0,
      pointerId: 1,
      clientX: 10,
      clientY: 10,
    });
    fireEvent.pointerMove(svg, { pointerId: 1, clientX: 60, clientY: 30 });
    fireEvent.pointerUp(svg, { pointerId: 1, clientX: 60, clientY: 30 });
    fireEvent.click(target);
    expect(viewOf()).toEqual({
      x: before.x + 50,
      y: before.y + 20,
      k: before.k,
    });
    expect(onSelect).not.toHaveBeenCalled();

    // A press that hardly moves is a click.
    fireEvent.pointerDown(target, {
      button: 0,
      pointerId: 1,
      clientX: 10,
      clientY: 10,
    });
    fireEvent.pointerMove(svg, { pointerId: 1, clientX: 12, clientY: 11 });
    fireEvent.pointerUp(svg, { pointerId: 1, clientX: 12, clientY: 11 });
    fireEvent.click(target);
    expect(onSelect).toHaveBeenCalledWith('route:ai:llm');
    expect(viewOf()).toEqual({
      x: before.x + 50,
      y: before.y + 20,
      k: before.k,
    });
  });
});
