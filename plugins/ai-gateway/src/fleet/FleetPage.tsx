import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusWarning,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { poolPhases } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import type { FleetEntry } from '../api/AiGatewayApi';
import { Age } from '../components/Age';
import { PhaseStatus } from '../components/PhaseStatus';
import { drift } from '../components/revision';
import { useFleet } from '../hooks/useFleet';

type Filters = { phase: string; project: string; cluster: string };

/**
 * The fleet: every pool the user may see, with phase, heartbeat age,
 * revision drift and what it serves; filters by phase, project and cluster,
 * and a search box.
 *
 * @public
 */
export function FleetPage() {
  const fleet = useFleet();
  const items = useMemo(() => fleet.value ?? [], [fleet.value]);
  const [filters, setFilters] = useState<Filters>({
    phase: '',
    project: '',
    cluster: '',
  });

  const options = useMemo(
    () => ({
      project: [...new Set(items.map(i => i.project))].sort(),
      cluster: [...new Set(items.map(i => i.cluster.name))].sort(),
    }),
    [items],
  );
  const rows = items.filter(
    i =>
      (!filters.phase || i.phase === filters.phase) &&
      (!filters.project || i.project === filters.project) &&
      (!filters.cluster || i.cluster.name === filters.cluster),
  );

  if (fleet.loading && !fleet.value) return <Progress />;
  if (fleet.error) {
    return (
      <Box data-testid="fleet-error">
        <ResponseErrorPanel
          title="The AI Gateway control plane did not answer"
          error={fleet.error}
        />
      </Box>
    );
  }
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No gateway pools you may see"
        description="Pools of your teams' projects show up here. Create one with the Create a gateway pool template."
        action={
          <Link to="/create/templates/default/ai-gateway-create-pool">
            Create a gateway pool
          </Link>
        }
      />
    );
  }

  const columns: TableColumn<FleetEntry>[] = [
    {
      title: 'Pool',
      field: 'pool',
      highlight: true,
      render: e => (
        <Link to={`/catalog/default/resource/${e.pool}`}>{e.pool}</Link>
      ),
    },
    { title: 'Project', field: 'project' },
    {
      title: 'Cluster',
      field: 'cluster.name',
      render: e => `${e.cluster.name} / ${e.namespace}`,
    },
    { title: 'Delivery', field: 'delivery' },
    {
      title: 'Phase',
      field: 'phase',
      render: e => <PhaseStatus phase={e.phase} reason={e.reason} />,
    },
    {
      title: 'Heartbeat',
      field: 'heartbeatAt',
      render: e => <Age at={e.heartbeatAt} />,
      searchable: false,
    },
    {
      title: 'Revision',
      field: 'runningRevision',
      searchable: false,
      render: e => {
        const d = drift(e);
        return d.drifted ? <StatusWarning>{d.label}</StatusWarning> : d.label;
      },
    },
    {
      title: 'MCP servers',
      field: 'counts.mcpServers',
      type: 'numeric',
      searchable: false,
    },
    {
      title: 'AI backends',
      field: 'counts.aiBackends',
      type: 'numeric',
      searchable: false,
    },
    {
      title: 'Policies',
      field: 'counts.policies',
      type: 'numeric',
      searchable: false,
    },
  ];

  const select = (
    name: keyof Filters,
    label: string,
    values: readonly string[],
  ) => (
    <TextField
      select
      size="small"
      variant="outlined"
      label={label}
      value={filters[name]}
      onChange={e => setFilters(f => ({ ...f, [name]: e.target.value }))}
      style={{ minWidth: 180, marginRight: 16 }}
      inputProps={{ 'data-testid': `fleet-filter-${name}` }}
    >
      <MenuItem value="">All</MenuItem>
      {values.map(v => (
        <MenuItem key={v} value={v}>
          {v}
        </MenuItem>
      ))}
    </TextField>
  );

  const counts = poolPhases
    .map(p => [p, items.filter(i => i.phase === p).length] as const)
    .filter(([, n]) => n > 0);
  return (
    <Box data-testid="fleet-page">
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        {select('phase', 'Phase', poolPhases)}
        {select('project', 'Project', options.project)}
        {select('cluster', 'Cluster', options.cluster)}
        <Box ml="auto">
          {counts.map(([phase, n]) => (
            <Box key={phase} ml={2} display="inline-flex">
              <PhaseStatus
                phase={phase}
                label={`${n} ${phase}`}
                testId={`phase-count-${phase}`}
              />
            </Box>
          ))}
        </Box>
      </Box>
      <Table<FleetEntry>
        title={`Gateway pools (${rows.length} of ${items.length})`}
        options={{
          search: true,
          paging: rows.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
      />
    </Box>
  );
}
