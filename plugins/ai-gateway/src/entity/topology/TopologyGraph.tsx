import {
  describeTraffic,
  type NodeTraffic,
  type Topology,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import {
  layoutTopology,
  nearestInDirection,
  type Direction,
  type PlacedNode,
  type TopologyLayout,
} from './layout';
import {
  EDGE_STYLE,
  HEALTH_STROKE,
  LABEL_FILL,
  SELECTED_STROKE,
  TYPE_FILL,
} from './styles';

export type TopologyGraphProps = {
  topology: Topology;
  /** The node of the entity the card is on: drawn with a thicker outline. */
  focusId?: string;
  /** The node whose details are shown: outlined, with its edges highlighted. */
  selectedId?: string;
  onSelect: (id: string) => void;
  /** Height of the drawing, in px. */
  height?: number;
  /** Request and error rates, by node id: drawn as a third line of those nodes. */
  traffic?: ReadonlyMap<string, NodeTraffic>;
};

/** Pan (x, y, in px) and zoom (k) of the drawing. */
export type View = { x: number; y: number; k: number };

const MAX_SCALE = 4;
/** The type label's font size, in graph units (the name is 13). */
const TYPE_FONT_SIZE = 12;
/** The traffic line's font size, in graph units. */
const TRAFFIC_FONT_SIZE = 12;
/**
 * The least zoom the graph opens at: labels stay at least 11 px on screen.
 * A larger graph opens at this zoom around the entity's node, to pan from.
 */
export const MIN_READABLE_SCALE = 11 / TYPE_FONT_SIZE;
const ZOOM_STEP = 1.5;
/** A press that moves less than this is a click, not a pan. */
const DRAG_THRESHOLD = 4;
/** Used where the browser reports no size (jsdom, a hidden tab). */
const FALLBACK_WIDTH = 800;

const clamp = (n: number, min: number, max: number) =>
  Math.min(max, Math.max(min, n));

/** The view that shows the whole graph, centred. */
export function fitView(
  layout: Pick<TopologyLayout, 'width' | 'height'>,
  viewport: { width: number; height: number },
): View {
  const k = Math.min(
    1,
    viewport.width / Math.max(1, layout.width),
    viewport.height / Math.max(1, layout.height),
  );
  return {
    k,
    x: (viewport.width - layout.width * k) / 2,
    y: (viewport.height - layout.height * k) / 2,
  };
}

/**
 * The view the graph opens at: the whole graph when it fits at a readable
 * zoom (MIN_READABLE_SCALE or more), otherwise that zoom centred on `focus`
 * (the entity's node; the graph's start when there is none) without
 * showing empty space past the graph's edges.
 */
export function initialView(
  layout: Pick<TopologyLayout, 'width' | 'height'>,
  viewport: { width: number; height: number },
  focus?: Pick<PlacedNode, 'x' | 'y' | 'width' | 'height'>,
): View {
  const fitted = fitView(layout, viewport);
  if (fitted.k >= MIN_READABLE_SCALE) return fitted;
  const k = MIN_READABLE_SCALE;
  const along = (size: number, extent: number, centre: number) => {
    if (extent * k <= size) return (size - extent * k) / 2;
    return clamp(size / 2 - centre * k, size - extent * k, 0);
  };
  const cx = focus ? focus.x + focus.width / 2 : 0;
  const cy = focus ? focus.y + focus.height / 2 : layout.height / 2;
  return {
    k,
    x: along(viewport.width, layout.width, cx),
    y: along(viewport.height, layout.height, cy),
  };
}

const ARROWS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** What the live region says about a node. */
const describeNode = (node: PlacedNode['node']) =>
  `${node.type} ${node.label}, health ${node.health}${
    node.healthMessage ? ` (${node.healthMessage})` : ''
  }`;

/** An attribute selector for a node id (ids hold ':' and may hold quotes). */
const nodeSelector = (id: string) =>
  `[data-node-id="${id.replace(/["\\]/g, '\\$&')}"]`;

/** Hidden from sight, read by screen readers. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

/**
 * The pool's topology drawn as plain SVG from a layout computed once
 * (layoutTopology): no node is measured in the DOM and nothing is laid out
 * twice. Drag to pan, wheel or the buttons to zoom, click (or Enter on) a
 * node to select it. One node is in the tab order (roving tabindex): the
 * arrow keys move to the nearest node in their direction, Home and End to
 * the first and last, Enter or Space selects; a polite live region says
 * which node has focus or was selected.
 */
export function TopologyGraph({
  topology,
  focusId,
  selectedId,
  onSelect,
  height = 480,
  traffic,
}: TopologyGraphProps) {
  // The layout changes with which nodes show traffic, not with the rates.
  const trafficIds = traffic ? [...traffic.keys()].sort().join('\n') : '';
  const layout = useMemo(
    () =>
      layoutTopology(topology, {
        withTraffic: new Set(trafficIds ? trafficIds.split('\n') : []),
      }),
    [topology, trafficIds],
  );
  const placedById = useMemo(
    () => new Map(layout.nodes.map(p => [p.node.id, p])),
    [layout],
  );
  const svgRef = useRef<SVGSVGElement>(null);
  const theme = useTheme();

  const viewportSize = useCallback(() => {
    const rect = svgRef.current?.getBoundingClientRect();
    return {
      width: rect?.width || FALLBACK_WIDTH,
      height: rect?.height || height,
    };
  }, [height]);
  const fitted = useCallback(
    () => fitView(layout, viewportSize()),
    [layout, viewportSize],
  );
  const opening = useCallback(
    () =>
      initialView(
        layout,
        viewportSize(),
        focusId ? placedById.get(focusId) : undefined,
      ),
    [layout, viewportSize, focusId, placedById],
  );
  // The view belongs to one layout. The first commit has an empty SVG, sized
  // cheaply; the drawing comes in the next one, already in its opening view
  // (before the first paint), so the browser lays it out once.
  const [viewOf, setViewOf] = useState<{
    layout: TopologyLayout;
    view: View;
  }>();
  useLayoutEffect(
    () => setViewOf({ layout, view: opening() }),
    // Opened once per layout: a new focus does not move what the user panned.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layout],
  );
  const view = viewOf?.layout === layout ? viewOf.view : undefined;
  const setView = useCallback((update: View | ((v: View) => View)) => {
    setViewOf(current => {
      if (!current) return current;
      return {
        layout: current.layout,
        view: typeof update === 'function' ? update(current.view) : update,
      };
    });
  }, []);

  const zoomBy = useCallback(
    (factor: number, at?: { x: number; y: number }) =>
      setView(v => {
        const size = viewportSize();
        const point = at ?? { x: size.width / 2, y: size.height / 2 };
        // Out to half the whole graph at most; in to 4x.
        const minScale = fitView(layout, size).k / 2;
        const k = clamp(v.k * factor, minScale, MAX_SCALE);
        return {
          k,
          x: point.x - ((point.x - v.x) * k) / v.k,
          y: point.y - ((point.y - v.y) * k) / v.k,
        };
      }),
    [layout, setView, viewportSize],
  );
  const centerOn = useCallback(
    (id: string | undefined) => {
      const placed = id ? placedById.get(id) : undefined;
      if (!placed) return;
      setView(v => {
        const size = viewportSize();
        const k = Math.max(v.k, 1);
        return {
          k,
          x: size.width / 2 - (placed.x + placed.width / 2) * k,
          y: size.height / 2 - (placed.y + placed.height / 2) * k,
        };
      });
    },
    [placedById, setView, viewportSize],
  );

  // Wheel zoom around the pointer; React's wheel listener is passive, so
  // the page would scroll too.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      zoomBy(Math.exp(-event.deltaY * 0.0015), {
        x: event.clientX - rect.left,
        y: event.clientY - rect.top,
      });
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  const drag = useRef<{
    pointer: number;
    x: number;
    y: number;
    start: View;
    moved: boolean;
  }>();
  const swallowClick = useRef(false);
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    swallowClick.current = false;
    if (!view) return;
    drag.current = {
      pointer: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      start: view,
      moved: false,
    };
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    if (!d.moved) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      d.moved = true;
      svgRef.current?.setPointerCapture?.(event.pointerId);
    }
    setView({ ...d.start, x: d.start.x + dx, y: d.start.y + dy });
  };
  const onPointerUp = () => {
    // The click that ends a pan selects nothing.
    if (drag.current?.moved) swallowClick.current = true;
    drag.current = undefined;
  };

  // One listener for all nodes rather than one closure each.
  const nodeIdOf = (target: EventTarget) =>
    (target as Element)
      .closest?.('[data-node-id]')
      ?.getAttribute('data-node-id') ?? undefined;
  // Roving tabindex: the node in the tab order is the last one focused, or
  // the selected one, or the entity's own, or the first.
  const [activeId, setActiveId] = useState<string>();
  const tabbableId =
    [activeId, selectedId, focusId].find(
      id => id !== undefined && placedById.has(id),
    ) ?? layout.nodes[0]?.node.id;
  const [announcement, setAnnouncement] = useState('');

  /** Pans (at the same zoom) so that a node is inside the drawing. */
  const ensureVisible = useCallback(
    (placed: PlacedNode) =>
      setView(v => {
        const size = viewportSize();
        const left = v.x + placed.x * v.k;
        const top = v.y + placed.y * v.k;
        const inside =
          left >= 0 &&
          top >= 0 &&
          left + placed.width * v.k <= size.width &&
          top + placed.height * v.k <= size.height;
        if (inside) return v;
        return {
          k: v.k,
          x: size.width / 2 - (placed.x + placed.width / 2) * v.k,
          y: size.height / 2 - (placed.y + placed.height / 2) * v.k,
        };
      }),
    [setView, viewportSize],
  );
  const moveTo = (placed: PlacedNode) => {
    setActiveId(placed.node.id);
    ensureVisible(placed);
    svgRef.current
      ?.querySelector<SVGGElement>(nodeSelector(placed.node.id))
      ?.focus();
  };
  const select = (id: string) => {
    setActiveId(id);
    const placed = placedById.get(id);
    if (placed) setAnnouncement(`Selected ${describeNode(placed.node)}`);
    onSelect(id);
  };
  const onFocus = (event: FocusEvent) => {
    const id = nodeIdOf(event.target);
    const placed = id ? placedById.get(id) : undefined;
    if (!placed) return;
    setActiveId(placed.node.id);
    setAnnouncement(`Focused ${describeNode(placed.node)}`);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const id = nodeIdOf(event.target);
    const from = id ? placedById.get(id) : undefined;
    if (!from) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(from.node.id);
      return;
    }
    let to: PlacedNode | undefined;
    if (event.key === 'Home') to = layout.nodes[0];
    else if (event.key === 'End') to = layout.nodes[layout.nodes.length - 1];
    else if (ARROWS[event.key])
      to = nearestInDirection(layout.nodes, from, ARROWS[event.key]);
    else return;
    // The keys the graph handles do not scroll the page, even at its edge.
    event.preventDefault();
    if (to) moveTo(to);
  };

  const onClick = (event: MouseEvent) => {
    if (swallowClick.current) {
      swallowClick.current = false;
      return;
    }
    const id = nodeIdOf(event.target);
    if (id) select(id);
  };
  // The drawing does not change with the view or the selection, so panning
  // and selecting re-render only the transform and the overlay.
  const drawing = useMemo(
    () => (
      <Drawing
        layout={layout}
        focusId={focusId}
        tabbableId={tabbableId}
        traffic={traffic}
      />
    ),
    [layout, focusId, tabbableId, traffic],
  );
  const selection = useMemo(() => {
    const placed = selectedId ? placedById.get(selectedId) : undefined;
    if (!placed) return null;
    const incident = layout.edges.filter(
      e => e.edge.source === selectedId || e.edge.target === selectedId,
    );
    return (
      <g data-testid="topology-selection" pointerEvents="none" fill="none">
        {incident.map((e, i) => (
          <path
            key={i}
            data-testid="topology-selected-edge"
            d={e.path}
            stroke={SELECTED_STROKE}
            strokeWidth={3}
          />
        ))}
        <rect
          x={placed.x - 4}
          y={placed.y - 4}
          width={placed.width + 8}
          height={placed.height + 8}
          rx={11}
          stroke={SELECTED_STROKE}
          strokeWidth={3}
        />
      </g>
    );
  }, [layout, placedById, selectedId]);

  const toCenter = selectedId ?? focusId;
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 4 }}>
        <Typography
          variant="caption"
          color="textSecondary"
          style={{ marginRight: 'auto' }}
        >
          Drag to pan, scroll to zoom, click a node for its details; with the
          keyboard, Tab into the graph, move with the arrow keys (Home, End) and
          select with Enter.
        </Typography>
        <Typography
          variant="caption"
          data-testid="topology-zoom"
          color="textSecondary"
        >
          {view ? `${Math.round(view.k * 100)}%` : ''}
        </Typography>
        {(
          [
            ['Zoom in', '+', () => zoomBy(ZOOM_STEP)],
            ['Zoom out', '−', () => zoomBy(1 / ZOOM_STEP)],
            ['Fit the whole graph', 'Fit', () => setView(fitted())],
            [
              'Centre on the selected node',
              'Selected',
              toCenter ? () => centerOn(toCenter) : undefined,
            ],
          ] as const
        ).map(([label, text, action]) => (
          <Tooltip key={label} title={label}>
            {/* A disabled button fires no events for the tooltip: the span does. */}
            <span>
              <Button
                size="small"
                variant="outlined"
                aria-label={label}
                disabled={!action}
                onClick={action}
                style={{ minWidth: 32 }}
              >
                {text}
              </Button>
            </span>
          </Tooltip>
        ))}
      </Box>
      <svg
        ref={svgRef}
        data-testid="topology-svg"
        role="group"
        aria-label={`Topology: ${layout.nodes.length} nodes, ${layout.edges.length} edges. Drag to pan, scroll to zoom; arrow keys move between nodes, Enter selects.`}
        width="100%"
        height={height}
        style={{
          display: 'block',
          cursor: 'grab',
          touchAction: 'none',
          userSelect: 'none',
          fontFamily: theme.typography.fontFamily,
          border: `1px solid ${theme.palette.divider}`,
          borderRadius: 4,
        }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        {view && (
          <g
            data-testid="topology-viewport"
            transform={`translate(${view.x},${view.y}) scale(${view.k})`}
          >
            {drawing}
            {selection}
          </g>
        )}
      </svg>
      <div
        aria-live="polite"
        data-testid="topology-announcement"
        style={VISUALLY_HIDDEN}
      >
        {announcement}
      </div>
    </Box>
  );
}

/** The label cut to the box (about 7 px a character), the full one is in the title. */
const fitLabel = (label: string, width: number) => {
  const room = Math.floor((width - 20) / 7);
  return label.length <= room ? label : `${label.slice(0, room - 1)}…`;
};

/** Memoised: moving the keyboard focus re-renders the two nodes it concerns. */
const NodeBox = memo(function NodeBoxOf({
  placed: { node, x, y, width, height },
  focused,
  tabbable,
  traffic,
}: {
  placed: PlacedNode;
  focused: boolean;
  tabbable: boolean;
  traffic?: NodeTraffic;
}) {
  // What fits the box is drawn; the accessible name starts with it.
  const shown = fitLabel(node.label, width);
  const rates = traffic && describeTraffic(traffic);
  const ratesText = rates
    ? [rates.rate, rates.errors].filter(Boolean).join(', ')
    : '';
  return (
    <g
      data-testid={`topology-node-${node.id}`}
      data-node-id={node.id}
      transform={`translate(${x},${y})`}
      role="button"
      tabIndex={tabbable ? 0 : -1}
      aria-label={`${node.type} ${shown}${
        shown === node.label ? '' : ` (${node.label})`
      }, health ${node.health}${ratesText ? `, ${ratesText}` : ''}`}
      style={{ cursor: 'pointer' }}
    >
      <title>{`${node.type}: ${node.label}${
        node.detail ? ` (${node.detail})` : ''
      }, health ${node.health}${
        ratesText ? `, ${ratesText} (last 5 minutes)` : ''
      }`}</title>
      <rect
        width={width}
        height={height}
        rx={8}
        fill={TYPE_FILL[node.type]}
        stroke={HEALTH_STROKE[node.health]}
        strokeWidth={focused ? 5 : 3}
      />
      {/*
        The node's aria-label starts with what is drawn ("type label"): the
        space after the type keeps the two texts apart for assistive
        technology, which joins SVG texts as they are (WCAG 2.5.3).
      */}
      <text
        x={10}
        y={17}
        fill={LABEL_FILL}
        fontSize={TYPE_FONT_SIZE}
        aria-hidden="true"
      >
        {`${node.type} `}
      </text>
      <text
        x={10}
        y={35}
        fill={LABEL_FILL}
        fontSize={13}
        fontWeight={600}
        aria-hidden="true"
      >
        {shown}
      </text>
      {rates && (
        <text
          x={10}
          y={53}
          fill={LABEL_FILL}
          fontSize={TRAFFIC_FONT_SIZE}
          aria-hidden="true"
          data-testid={`topology-traffic-${node.id}`}
        >
          <tspan>{rates.rate}</tspan>
          {rates.errors && (
            <>
              <tspan>{' · '}</tspan>
              <tspan>{rates.errors}</tspan>
            </>
          )}
        </text>
      )}
    </g>
  );
});

function Drawing({
  layout,
  focusId,
  tabbableId,
  traffic,
}: {
  layout: TopologyLayout;
  focusId?: string;
  tabbableId?: string;
  traffic?: ReadonlyMap<string, NodeTraffic>;
}) {
  return (
    <>
      <g fill="none" strokeWidth={1.5}>
        {layout.edges.map((e, i) => {
          const style = EDGE_STYLE[e.edge.kind];
          return (
            <path
              key={i}
              data-testid="topology-edge"
              data-kind={e.edge.kind}
              d={e.path}
              stroke={style.stroke}
              strokeDasharray={style.dash}
            />
          );
        })}
      </g>
      <g>
        {layout.nodes.map(p => (
          <NodeBox
            key={p.node.id}
            placed={p}
            focused={p.node.id === focusId}
            tabbable={p.node.id === tabbableId}
            traffic={traffic?.get(p.node.id)}
          />
        ))}
      </g>
    </>
  );
}
