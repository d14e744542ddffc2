import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  describeTraffic,
  type NodeTraffic,
  type TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { usePoolTopology } from '../hooks/usePoolTopology';
import { usePoolTraffic } from '../hooks/usePoolTraffic';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  AI_GATEWAY_POOL_ANNOTATION,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { EDGE_STYLE, HEALTH_STROKE, TYPE_FILL } from './topology/styles';
import { TopologyGraph } from './topology/TopologyGraph';

function NodeDetails({
  node,
  traffic,
}: {
  node: TopologyNode;
  traffic?: NodeTraffic;
}) {
  const rates = traffic && describeTraffic(traffic);
  return (
    <Box
      data-testid="topology-details"
      p={1}
      style={{ borderLeft: `4px solid ${TYPE_FILL[node.type]}` }}
    >
      <Typography variant="subtitle1">
        {node.type}: {node.label}
      </Typography>
      {node.detail && <Typography variant="body2">{node.detail}</Typography>}
      <Typography variant="body2">
        <Swatch color={HEALTH_STROKE[node.health]} outline />
        Health: {node.health}
        {node.healthMessage ? ` (${node.healthMessage})` : ''}
      </Typography>
      {rates && (
        <Typography variant="body2" data-testid="topology-details-traffic">
          Last 5 minutes: {rates.rate}
          {rates.errors ? `, ${rates.errors}` : ''}
        </Typography>
      )}
      {node.effectivePolicy && (
        <Box mt={1}>
          <Typography variant="subtitle2">Effective policy</Typography>
          {node.effectivePolicy.length === 0 && (
            <Typography variant="body2">No policy applies here.</Typography>
          )}
          {node.effectivePolicy.map(e => (
            <Box
              key={e.section}
              mb={0.5}
              data-testid={`effective-${e.section}`}
            >
              <Typography variant="body2">
                <b>{e.section}</b> from {e.from.policy} ({e.from.level} level,{' '}
                {e.mode === 'set-here' ? 'set here' : e.mode})
                {e.mergedFrom
                  ? `, merging ${e.mergedFrom.map(m => m.policy).join(' + ')}`
                  : ''}
              </Typography>
              {e.overridden.map(o => (
                <Typography
                  key={o.policy}
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {o.policy}: {o.reason}
                </Typography>
              ))}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** The node of the entity the card is on: its MCP server, its AI backend, or the pool's gateway. */
function focusNodeOf(
  kind: string | undefined,
  name: string,
  pool: string | undefined,
) {
  if (kind === 'mcpServer') return `mcp-server:${name}`;
  if (kind === 'aiBackend') return `backend:ai:${name}`;
  return `gateway:${pool}`;
}

/**
 * A colour sample next to its name in the legend: the words carry the
 * meaning and keep the text's own contrast, the colour only matches them
 * to the drawing.
 */
function Swatch({ color, outline }: { color: string; outline?: boolean }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        marginRight: 4,
        verticalAlign: 'middle',
        borderRadius: 2,
        background: outline ? 'transparent' : color,
        border: `2px solid ${color}`,
        boxSizing: 'border-box',
      }}
    />
  );
}

function Legend() {
  return (
    <Box mt={2} data-testid="topology-legend">
      <Box>
        {Object.entries(TYPE_FILL).map(([type, fill]) => (
          <Typography
            key={type}
            variant="caption"
            component="span"
            style={{ marginRight: 8, whiteSpace: 'nowrap' }}
          >
            <Swatch color={fill} />
            {type}
          </Typography>
        ))}
      </Box>
      <Box>
        {Object.entries(HEALTH_STROKE).map(([health, stroke]) => (
          <Typography
            key={health}
            variant="caption"
            component="span"
            style={{ marginRight: 8, whiteSpace: 'nowrap' }}
          >
            <Swatch color={stroke} outline />
            {health}
          </Typography>
        ))}
      </Box>
      <Box>
        {Object.entries(EDGE_STYLE).map(([kind, style]) => (
          <Typography
            key={kind}
            variant="caption"
            component="span"
            style={{ marginRight: 8, whiteSpace: 'nowrap' }}
          >
            <svg width={24} height={8} aria-hidden style={{ marginRight: 4 }}>
              <line
                x1={0}
                y1={4}
                x2={24}
                y2={4}
                stroke={style.stroke}
                strokeWidth={2}
                strokeDasharray={style.dash}
              />
            </svg>
            {style.description}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

/**
 * The data path of the entity's pool (Gateway → Route → Backend → MCP
 * server / providers, with policies), laid out once with dagre and drawn as
 * SVG by TopologyGraph; pan and zoom, click a node for its details and its
 * effective policy.
 *
 * @public
 */
export function TopologyCard() {
  const { entity } = useEntity();
  const kind = entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION];
  const pool =
    kind === 'pool'
      ? entity.metadata.name
      : entity.metadata.annotations?.[AI_GATEWAY_POOL_ANNOTATION];
  const topology = usePoolTopology(pool);
  const traffic = usePoolTraffic(pool, topology.value);
  const byNode =
    traffic.value?.state === 'ok' ? traffic.value.byNode : undefined;
  const [selected, setSelected] = useState<string | undefined>();
  const focus = focusNodeOf(kind, entity.metadata.name, pool);
  const current = topology.value?.nodes.find(n => n.id === (selected ?? focus));

  let body;
  if (topology.loading && !topology.value) body = <Progress />;
  else if (topology.error)
    body = (
      <ResponseErrorPanel
        title="The topology could not be loaded"
        error={topology.error}
      />
    );
  else if (!topology.value || topology.value.nodes.length === 0)
    body = <Typography>Nothing to show.</Typography>;
  else {
    body = (
      <Box display="flex" data-testid="topology">
        <Box flex={3} minWidth={0} minHeight={360}>
          <TopologyGraph
            topology={topology.value}
            focusId={focus}
            selectedId={current?.id}
            onSelect={setSelected}
            traffic={byNode}
          />
          {traffic.value?.state === 'unavailable' && (
            <Typography
              variant="caption"
              color="textSecondary"
              data-testid="topology-traffic-unavailable"
            >
              Request rates could not be read: {traffic.value.message}
            </Typography>
          )}
        </Box>
        <Box flex={2} ml={2}>
          {current ? (
            <NodeDetails node={current} traffic={byNode?.get(current.id)} />
          ) : (
            <Typography>
              Click a node (or focus it and press Enter) for its details.
            </Typography>
          )}
          <Legend />
        </Box>
      </Box>
    );
  }
  return <InfoCard title={`Topology of pool ${pool ?? ''}`}>{body}</InfoCard>;
}
