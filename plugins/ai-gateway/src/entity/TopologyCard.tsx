import { DependencyGraph, DependencyGraphTypes, InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { buildPoolTopology, type TopologyNode } from '@internal/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { ANNOTATION_KIND, ANNOTATION_POOL, useAsyncValue } from './useAsyncValue';

const TYPE_FILL: Record<TopologyNode['type'], string> = {
  gateway: '#1565c0',
  route: '#6a1b9a',
  backend: '#00838f',
  'mcp-server': '#2e7d32',
  provider: '#4e342e',
  policy: '#ef6c00',
};
const HEALTH_STROKE = { healthy: '#43a047', unhealthy: '#e53935', unknown: '#9e9e9e' };

/** Loads a pool and everything attached to it, and builds its topology. */
export function usePoolTopology(pool: string | undefined) {
  const api = useApi(aiGatewayApiRef);
  return useAsyncValue(async () => {
    if (!pool) throw new Error('This entity names no AI gateway pool');
    const [poolObject, mcpServers, aiBackends, policies, status] = await Promise.all([
      api.getObject('pools', pool),
      api.listInPool('mcp-servers', pool),
      api.listInPool('ai-backends', pool),
      api.listInPool('policies', pool),
      api.getPoolStatus(pool).catch(() => undefined),
    ]);
    return buildPoolTopology({
      pool: poolObject.spec as any,
      mcpServers: mcpServers.map(o => o.spec as any),
      aiBackends: aiBackends.map(o => o.spec as any),
      policies: policies.map(o => o.spec as any),
      status,
    });
  }, [api, pool]);
}

function NodeDetails({ node }: { node: TopologyNode }) {
  return (
    <Box data-testid="topology-details" p={1} style={{ borderLeft: `4px solid ${TYPE_FILL[node.type]}` }}>
      <Typography variant="subtitle1">
        {node.type}: {node.label}
      </Typography>
      {node.detail && <Typography variant="body2">{node.detail}</Typography>}
      <Typography variant="body2" style={{ color: HEALTH_STROKE[node.health] }}>
        Health: {node.health}
        {node.healthMessage ? ` (${node.healthMessage})` : ''}
      </Typography>
      {node.effectivePolicy && (
        <Box mt={1}>
          <Typography variant="subtitle2">Effective policy</Typography>
          {node.effectivePolicy.length === 0 && <Typography variant="body2">No policy applies here.</Typography>}
          {node.effectivePolicy.map(e => (
            <Box key={e.section} mb={0.5} data-testid={`effective-${e.section}`}>
              <Typography variant="body2">
                <b>{e.section}</b> from {e.from.policy} ({e.from.level} level, {e.mode === 'set-here' ? 'set here' : e.mode})
                {e.mergedFrom ? `, merging ${e.mergedFrom.map(m => m.policy).join(' + ')}` : ''}
              </Typography>
              {e.overridden.map(o => (
                <Typography key={o.policy} variant="caption" display="block" color="textSecondary">
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

/**
 * The data path of the entity's pool (Gateway -> Route -> Backend -> MCP
 * server / providers, with policies), laid out with dagre by Backstage's
 * DependencyGraph; pan and zoom, click a node for its details and its
 * effective policy.
 */
export function TopologyCard() {
  const { entity } = useEntity();
  const kind = entity.metadata.annotations?.[ANNOTATION_KIND];
  const pool = kind === 'pool' ? entity.metadata.name : entity.metadata.annotations?.[ANNOTATION_POOL];
  const topology = usePoolTopology(pool);
  const [selected, setSelected] = useState<string | undefined>();
  const focus = kind === 'mcpServer' ? `mcp-server:${entity.metadata.name}` : kind === 'aiBackend' ? `backend:ai:${entity.metadata.name}` : `gateway:${pool}`;
  const graph = useMemo(() => {
    const t = topology.value;
    if (!t) return undefined;
    return {
      nodes: t.nodes.map(n => ({ ...n })),
      edges: t.edges.map(e => ({ from: e.source, to: e.target, label: e.kind === 'routes' ? '' : e.kind })),
    };
  }, [topology.value]);
  const current = topology.value?.nodes.find(n => n.id === (selected ?? focus));

  let body;
  if (topology.loading && !topology.value) body = <Progress />;
  else if (topology.error) body = <ResponseErrorPanel title="The topology could not be loaded" error={topology.error} />;
  else if (!graph || graph.nodes.length === 0) body = <Typography>Nothing to show.</Typography>;
  else {
    const renderNode = ({ node }: DependencyGraphTypes.RenderNodeProps<TopologyNode>) => {
      const width = Math.max(110, node.label.length * 7 + 24);
      const isFocus = node.id === focus;
      return (
        <g
          data-testid={`topology-node-${node.id}`}
          onClick={() => setSelected(node.id)}
          style={{ cursor: 'pointer' }}
        >
          <rect
            width={width}
            height={44}
            rx={8}
            fill={TYPE_FILL[node.type]}
            stroke={HEALTH_STROKE[node.health]}
            strokeWidth={isFocus || node.id === selected ? 5 : 3}
          />
          <text x={10} y={18} fill="#fff" fontSize={11} opacity={0.8}>
            {node.type}
          </text>
          <text x={10} y={34} fill="#fff" fontSize={13} fontWeight={600}>
            {node.label}
          </text>
        </g>
      );
    };
    body = (
      <Box display="flex" data-testid="topology">
        <Box flex={3} minHeight={360}>
          <DependencyGraph
            nodes={graph.nodes}
            edges={graph.edges}
            renderNode={renderNode}
            direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
            zoom="enabled"
            rankMargin={60}
            nodeMargin={20}
            fit="contain"
          />
        </Box>
        <Box flex={2} ml={2}>
          {current ? <NodeDetails node={current} /> : <Typography>Click a node for its details.</Typography>}
          <Box mt={2}>
            {Object.entries(TYPE_FILL).map(([type, fill]) => (
              <Typography key={type} variant="caption" style={{ marginRight: 8, color: fill }}>
                ■ {type}
              </Typography>
            ))}
          </Box>
        </Box>
      </Box>
    );
  }
  return <InfoCard title={`Topology of pool ${pool ?? ''}`}>{body}</InfoCard>;
}
