import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { explainMcpRisk } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  aiGatewayApiRef,
  type McpServerContract,
} from '../../api/AiGatewayApi';
import { absoluteTime, age } from '../../components/Age';
import { DetailsTable } from '../../components/DetailsTable';
import { failureOf } from '../../components/failureOf';
import { McpRiskChip } from '../../components/McpRiskChip';
import { ACCESSIBLE_TABLE_OPTIONS } from '../../components/tableOptions';

type Snapshot = NonNullable<McpServerContract['snapshot']>;
type Tool = Snapshot['contract']['tools'][number];
type Hint = keyof NonNullable<Tool['annotations']>;

/** The MCP specification's defaults of the tool annotations. */
const HINT_DEFAULTS: Record<Hint, boolean> = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

function hintText(tool: Tool, hint: Hint): string {
  const value = tool.annotations?.[hint];
  if (value !== undefined) return value ? 'yes' : 'no';
  return `unset (${HINT_DEFAULTS[hint] ? 'yes' : 'no'})`;
}

function changeText(change: McpServerContract['changes'][number]): string {
  switch (change.type) {
    case 'tool-added':
      return `Tool ${change.tool} added`;
    case 'tool-removed':
      return `Tool ${change.tool} removed`;
    case 'tool-input-schema-changed':
      return `Tool ${change.tool}: input schema changed`;
    case 'tool-description-changed':
      return `Tool ${change.tool}: description changed`;
    case 'tool-annotation-changed':
      return `Tool ${change.tool}: ${change.annotation} ${
        change.from ?? 'unset'
      } → ${change.to ?? 'unset'}`;
    case 'resource-added':
      return `Resource ${change.uri} added`;
    case 'resource-removed':
      return `Resource ${change.uri} removed`;
    case 'prompt-added':
      return `Prompt ${change.prompt} added`;
    case 'prompt-removed':
      return `Prompt ${change.prompt} removed`;
    default:
      return change.type;
  }
}

const toolColumns: TableColumn<Tool>[] = [
  { title: 'Tool', field: 'name' },
  { title: 'Description', field: 'description' },
  ...(Object.keys(HINT_DEFAULTS) as Hint[]).map(hint => ({
    title: hint.replace(/Hint$/, ''),
    render: (tool: Tool) => hintText(tool, hint),
  })),
];

function CheckNow(props: {
  server: string;
  onChecked: (contract: McpServerContract) => void;
}) {
  const api = useApi(aiGatewayApiRef);
  const [authorization, setAuthorization] = useState('');
  const [state, check] = useAsyncFn(async () => {
    const contract = await api.checkMcpServerContract(
      props.server,
      authorization.trim() || undefined,
    );
    props.onChecked(contract);
    return contract;
  }, [api, props.server, authorization]);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mt={2}>
      <TextField
        label="Gateway credentials (optional)"
        helperText="Sent to the MCP server as Authorization for this check only; never stored"
        type="password"
        size="small"
        variant="outlined"
        value={authorization}
        onChange={e => setAuthorization(e.target.value)}
        inputProps={{ 'data-testid': 'contract-authorization' }}
      />
      <Box ml={2}>
        <Button
          variant="contained"
          color="primary"
          onClick={check}
          disabled={state.loading}
          data-testid="contract-check"
        >
          {state.loading ? 'Checking…' : 'Check now'}
        </Button>
      </Box>
      {state.error && (
        <Box width="100%" mt={1}>
          <Alert severity="error" data-testid="contract-check-error">
            {failureOf(state.error).message}
          </Alert>
        </Box>
      )}
    </Box>
  );
}

/**
 * The Contract tab of an MCP server's API entity: the tools (with their
 * annotations), resources and prompts the server offers as last read, its
 * risk class, what changed since the contract before, and a check now.
 *
 * @public
 */
export function McpContractContent() {
  const { entity } = useEntity();
  const server = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const loaded = useAsyncRetry(
    () => api.getMcpServerContract(server),
    [api, server],
  );
  const [checked, setChecked] = useState<McpServerContract | undefined>();
  useEffect(() => setChecked(undefined), [server]);
  if (loaded.loading && !checked) return <Progress />;
  if (loaded.error && !checked) {
    return <ResponseErrorPanel error={loaded.error} />;
  }
  const contract = (checked ?? loaded.value)!;
  const snapshot = contract.snapshot;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Live contract">
          {contract.error && (
            <Box mb={2}>
              <Alert severity="warning" data-testid="contract-error">
                The last check failed: {contract.error}
              </Alert>
            </Box>
          )}
          {snapshot ? (
            <DetailsTable
              rows={{
                'Risk class': (
                  <Box data-testid="contract-risk">
                    <McpRiskChip riskClass={snapshot.riskClass} />{' '}
                    <Typography variant="body2" component="span">
                      {explainMcpRisk(
                        snapshot.riskClass,
                        snapshot.contract.tools,
                      )}
                    </Typography>
                  </Box>
                ),
                'Destructive tools': snapshot.destructiveTools.length
                  ? snapshot.destructiveTools.join(', ')
                  : 'none',
                'Seen since': `${absoluteTime(snapshot.observedAt)} (${age(
                  snapshot.observedAt,
                )})`,
                'Last checked': contract.lastCheckedAt
                  ? `${absoluteTime(contract.lastCheckedAt)} (${age(
                      contract.lastCheckedAt,
                    )})`
                  : 'never',
                Hash: snapshot.hash,
              }}
            />
          ) : (
            <Typography variant="body2" data-testid="contract-none">
              No contract has been read yet
              {contract.lastCheckedAt ? ' (the checks so far failed)' : ''}. The
              control plane checks every MCP server regularly; check now to read
              it at once.
            </Typography>
          )}
          <CheckNow server={server} onChecked={setChecked} />
        </InfoCard>
      </Grid>
      {contract.changes.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Changed since the contract before">
            <ul data-testid="contract-changes" style={{ margin: 0 }}>
              {contract.changes.map((c, i) => (
                <li key={i}>
                  <Typography variant="body2">{changeText(c)}</Typography>
                </li>
              ))}
            </ul>
          </InfoCard>
        </Grid>
      )}
      {snapshot && (
        <>
          <Grid item xs={12}>
            <Table<Tool>
              title={`Tools (${snapshot.contract.tools.length})`}
              options={{ ...ACCESSIBLE_TABLE_OPTIONS, paging: false }}
              columns={toolColumns}
              data={snapshot.contract.tools}
              emptyContent={<EmptyState missing="data" title="No tools" />}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <Table
              title={`Resources (${snapshot.contract.resources.length})`}
              options={{ ...ACCESSIBLE_TABLE_OPTIONS, paging: false }}
              columns={[
                { title: 'URI', field: 'uri' },
                { title: 'Name', field: 'name' },
                { title: 'Type', field: 'mimeType' },
              ]}
              data={snapshot.contract.resources}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <Table
              title={`Prompts (${snapshot.contract.prompts.length})`}
              options={{ ...ACCESSIBLE_TABLE_OPTIONS, paging: false }}
              columns={[
                { title: 'Prompt', field: 'name' },
                { title: 'Description', field: 'description' },
              ]}
              data={snapshot.contract.prompts}
            />
          </Grid>
        </>
      )}
      {contract.previous.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Contracts seen before">
            <ul data-testid="contract-previous" style={{ margin: 0 }}>
              {contract.previous.map(p => (
                <li key={`${p.hash}-${p.observedAt}`}>
                  <Typography variant="body2">
                    {absoluteTime(p.observedAt)}: {p.riskClass ?? 'unknown'} (
                    {p.hash.slice(0, 19)}…)
                  </Typography>
                </li>
              ))}
            </ul>
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
