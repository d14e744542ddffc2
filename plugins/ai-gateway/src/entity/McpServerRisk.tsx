import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogEntityPath,
  explainMcpRisk,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { Age } from '../components/Age';
import { McpRiskChip } from '../components/McpRiskChip';

/**
 * An MCP server's risk class on its card: the class of the contract seen
 * last (why, on hover), when the server was last checked, and a link to the
 * Contract tab; "not observed yet" before a check succeeded.
 */
export function McpServerRisk(props: { server: string }) {
  const { server } = props;
  const api = useApi(aiGatewayApiRef);
  const contract = useAsync(
    () => api.getMcpServerContract(server),
    [api, server],
  );
  const tab = catalogEntityPath('mcpServer', server, 'mcp-contract')!;
  let state;
  if (contract.loading) {
    state = <Typography variant="body2">reading…</Typography>;
  } else if (contract.error) {
    state = (
      <Typography variant="body2" color="textSecondary">
        could not be read
      </Typography>
    );
  } else if (!contract.value?.snapshot) {
    state = (
      <Typography variant="body2" data-testid="mcp-risk-unobserved">
        not observed yet
        {contract.value?.error ? ` (the last check failed)` : ''}
      </Typography>
    );
  } else {
    const { snapshot, lastCheckedAt, error } = contract.value;
    state = (
      <>
        {/* A string title: MUI also puts it in the title attribute, which screen readers read. */}
        <Tooltip
          title={explainMcpRisk(snapshot.riskClass, snapshot.contract.tools)}
        >
          <span>
            <McpRiskChip riskClass={snapshot.riskClass} testId="mcp-risk" />
          </span>
        </Tooltip>
        <Typography
          variant="body2"
          component="span"
          style={{ marginLeft: 8 }}
          data-testid="mcp-risk-checked"
        >
          checked <Age at={lastCheckedAt ?? snapshot.observedAt} />
          {error
            ? ' (that check failed; this is the contract seen before)'
            : ''}
        </Typography>
      </>
    );
  }
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mt={1}>
      <Typography variant="body2" style={{ marginRight: 8 }}>
        Risk class:
      </Typography>
      {state}
      <Box ml={1}>
        <Link to={tab} data-testid="mcp-risk-contract-link">
          <Typography variant="body2" component="span">
            Contract
          </Typography>
        </Link>
      </Box>
    </Box>
  );
}
