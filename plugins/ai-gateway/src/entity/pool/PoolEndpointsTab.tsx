import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogEntityPath,
  mcpServerUrl,
  poolHosts,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef, type AiGatewayObject } from '../../api/AiGatewayApi';
import { CopyableText } from '../../components/CopyableText';
import { DetailsTable } from '../../components/DetailsTable';
import { INGRESS_KIND_LABELS } from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';
import { ACCESSIBLE_TABLE_OPTIONS } from '../../components/tableOptions';

type McpServerRow = {
  id: string;
  name: string;
  prefix: string;
  transport: string;
  url: string;
};

/**
 * The control plane derives each server's URL (as the MCP server card shows
 * it); the same shared rule fills it in should a response lack it.
 */
function mcpServerRow(pool: Pool, server: AiGatewayObject): McpServerRow {
  const prefix = String(server.spec.prefix ?? '');
  return {
    // Backstage's Table keeps row state by id.
    id: server.name,
    name: server.name,
    prefix,
    transport: String(server.spec.transport ?? ''),
    url: server.derived?.url ?? mcpServerUrl(pool, { prefix }),
  };
}

function PoolMcpServers(props: { pool: Pool }) {
  const { pool } = props;
  const api = useApi(aiGatewayApiRef);
  const servers = useAsync(
    () => api.listInPool('mcp-servers', pool.name),
    [api, pool.name],
  );
  const card = (body: ReactNode) => (
    <InfoCard title="MCP servers">{body}</InfoCard>
  );
  if (servers.loading && !servers.value) return card(<Progress />);
  if (servers.error) {
    return card(
      <ResponseErrorPanel
        title={`The MCP servers of pool ${pool.name} could not be loaded`}
        error={servers.error}
      />,
    );
  }
  const rows = (servers.value ?? []).map(s => mcpServerRow(pool, s));
  if (rows.length === 0) {
    return card(
      <EmptyState
        missing="data"
        title="No MCP servers in this pool yet"
        description={`Servers deployed to ${pool.name} are reached at https://${
          poolHosts(pool).mcp
        }/{prefix}/mcp.`}
        action={
          <Link to="/create/templates/default/ai-gateway-deploy-mcp-server">
            Deploy an MCP server
          </Link>
        }
      />,
    );
  }
  const columns: TableColumn<McpServerRow>[] = [
    {
      title: 'MCP server',
      field: 'name',
      highlight: true,
      render: r => (
        <Link to={catalogEntityPath('mcpServer', r.name)!}>{r.name}</Link>
      ),
    },
    { title: 'Prefix', field: 'prefix' },
    { title: 'Transport', field: 'transport' },
    {
      title: 'URL',
      field: 'url',
      render: r => <CopyableText text={r.url} testId={`mcp-url-${r.name}`} />,
    },
  ];
  return (
    <Table<McpServerRow>
      title={`MCP servers (${rows.length})`}
      options={{
        ...ACCESSIBLE_TABLE_OPTIONS,
        search: false,
        paging: rows.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
      columns={columns}
      data={rows}
    />
  );
}

/**
 * The host names the pool's gateway serves, with copy buttons, and the URL of
 * every MCP server in the pool.
 *
 * @public
 */
export function PoolEndpointsTab() {
  return (
    <PoolTabFrame title="Endpoints">
      {pool => {
        const hosts = poolHosts(pool);
        const overrides = pool.ingress.filter(i => i.host);
        return (
          <>
            <Grid item xs={12}>
              <InfoCard title="Gateway endpoints">
                <Box data-testid="pool-endpoints">
                  <DetailsTable
                    rows={{
                      'OpenAI-compatible API': (
                        <CopyableText text={hosts.api} testId="host-api" />
                      ),
                      'MCP gateway': (
                        <CopyableText text={hosts.mcp} testId="host-mcp" />
                      ),
                      ...Object.fromEntries(
                        overrides.map(i => [
                          `${INGRESS_KIND_LABELS[i.kind]} host`,
                          <CopyableText
                            text={i.host!}
                            testId={`host-${i.kind}`}
                          />,
                        ]),
                      ),
                    }}
                  />
                  <Typography variant="caption" color="textSecondary">
                    The gateway serves HTTPS on these hosts (
                    {pool.ingress.length
                      ? 'through the ingress providers of the Ingress tab'
                      : 'through its LoadBalancer Service, as no ingress provider is configured'}
                    ).
                  </Typography>
                </Box>
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <PoolMcpServers pool={pool} />
            </Grid>
          </>
        );
      }}
    </PoolTabFrame>
  );
}
