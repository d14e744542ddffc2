import { CopyTextButton, InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { PhaseChip } from '../fleet/FleetPage';
import { useAsyncValue } from './useAsyncValue';

/** An MCP server: URL with copy, transport, source, its pool and the pool's health, tool lists. */
export function McpServerCard() {
  const { entity } = useEntity();
  const api = useApi(aiGatewayApiRef);
  const data = useAsyncValue(async () => {
    const server = await api.getObject('mcp-servers', entity.metadata.name);
    const status = await api.getPoolStatus(server.spec.pool).catch(() => undefined);
    return { server, status };
  }, [api, entity.metadata.name]);
  let body;
  if (data.loading && !data.value) body = <Progress />;
  else if (data.error) body = <ResponseErrorPanel title="The MCP server could not be loaded" error={data.error} />;
  else {
    const { server, status } = data.value!;
    const url = server.derived?.url ?? '';
    const tools = server.spec.tools ?? { allow: [], deny: [] };
    body = (
      <Box data-testid="mcp-server-card">
        <Box display="flex" alignItems="center">
          <Typography variant="body1" data-testid="mcp-url" style={{ fontFamily: 'monospace' }}>
            {url}
          </Typography>
          <CopyTextButton text={url} tooltipText="URL copied" />
        </Box>
        <Typography variant="body2">Transport: {server.spec.transport}</Typography>
        <Typography variant="body2">
          Source: {server.spec.source.type === 'image' ? `image ${server.spec.source.image} (port ${server.spec.source.port})` : `remote ${server.spec.source.url}`}
        </Typography>
        <Box display="flex" alignItems="center" mt={1}>
          <Typography variant="body2" style={{ marginRight: 8 }}>
            Pool {server.spec.pool}:
          </Typography>
          {status ? <PhaseChip phase={status.phase} /> : <Typography variant="body2">status unknown</Typography>}
        </Box>
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Allowed tools: {tools.allow.length ? tools.allow.join(', ') : 'all'}
        </Typography>
        <Typography variant="body2">Denied tools: {tools.deny.length ? tools.deny.join(', ') : 'none'}</Typography>
      </Box>
    );
  }
  return <InfoCard title="MCP server">{body}</InfoCard>;
}
