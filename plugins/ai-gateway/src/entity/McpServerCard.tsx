import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CopyableText } from '../components/CopyableText';
import { PhaseStatus } from '../components/PhaseStatus';
import { ServedState } from '../components/ServedState';
import { useObjectWithPoolStatus } from '../hooks/useObjectWithPoolStatus';
import { McpServerRisk } from './McpServerRisk';

/**
 * An MCP server: whether it is served (and if not, why and what to do), URL with copy, transport, source, its pool and the pool's health, its risk class (by the contract observed last), tool lists.
 *
 * @public
 */
export function McpServerCard() {
  const data = useObjectWithPoolStatus('mcp-servers');
  let body;
  if (data.loading && !data.value) body = <Progress />;
  else if (data.error)
    body = (
      <ResponseErrorPanel
        title="The MCP server could not be loaded"
        error={data.error}
      />
    );
  else {
    const { object: server, pool, status } = data.value!;
    const url = server.derived?.url ?? '';
    const tools = server.spec.tools ?? { allow: [], deny: [] };
    body = (
      <Box data-testid="mcp-server-card">
        <ServedState
          what={`MCP server ${server.name}`}
          poolName={server.spec.pool}
          pool={pool?.spec as any}
          status={status}
        />
        <Box mt={1} />
        <CopyableText text={url} testId="mcp-url" />
        <Typography variant="body2">
          Transport: {server.spec.transport}
        </Typography>
        <Typography variant="body2">
          Source:{' '}
          {server.spec.source.type === 'image'
            ? `image ${server.spec.source.image} (port ${server.spec.source.port})`
            : `remote ${server.spec.source.url}`}
        </Typography>
        <Box display="flex" alignItems="center" mt={1}>
          <Typography variant="body2" style={{ marginRight: 8 }}>
            Pool {server.spec.pool}:
          </Typography>
          {status ? (
            <PhaseStatus phase={status.phase} />
          ) : (
            <Typography variant="body2">status unknown</Typography>
          )}
        </Box>
        <McpServerRisk server={server.name} />
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Allowed tools: {tools.allow.length ? tools.allow.join(', ') : 'all'}
        </Typography>
        <Typography variant="body2">
          Denied tools: {tools.deny.length ? tools.deny.join(', ') : 'none'}
        </Typography>
      </Box>
    );
  }
  return <InfoCard title="MCP server">{body}</InfoCard>;
}
