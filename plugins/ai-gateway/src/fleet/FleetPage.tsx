import { EmptyState, Link, Progress, ResponseErrorPanel, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { poolPhases, type PoolPhase } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import { useEffect, useMemo, useState } from 'react';
import { aiGatewayApiRef, type FleetEntry } from '../api/AiGatewayApi';

export const PHASE_COLOURS: Record<PoolPhase, string> = {
  Active: '#2e7d32',
  OutOfSync: '#ed6c02',
  Degraded: '#d32f2f',
  Stale: '#616161',
  Pending: '#0277bd',
};

/** "12 s ago", "3 min ago", "2 h ago", "never". */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

const short = (revision?: string) => revision?.replace(/^sha256:/, '').slice(0, 8);

/** Whether what runs is what is desired. */
export function drift(entry: Pick<FleetEntry, 'desiredRevision' | 'runningRevision'>): { label: string; drifted: boolean } {
  if (!entry.runningRevision) return { label: 'never applied', drifted: true };
  if (entry.runningRevision === entry.desiredRevision) return { label: `in sync (${short(entry.runningRevision)})`, drifted: false };
  return { label: `${short(entry.runningRevision)} → ${short(entry.desiredRevision)}`, drifted: true };
}

export function PhaseChip({ phase, reason }: { phase: PoolPhase; reason?: string }) {
  const chip = (
    <Chip
      size="small"
      label={phase}
      data-testid={`phase-${phase}`}
      style={{ backgroundColor: PHASE_COLOURS[phase], color: '#fff', fontWeight: 600 }}
    />
  );
  return reason ? <Tooltip title={reason}>{chip}</Tooltip> : chip;
}

type Filters = { phase: string; project: string; cluster: string };

/**
 * The fleet: every pool the user may see, with phase, heartbeat age,
 * revision drift and what it serves; filters by phase, project and cluster,
 * and a search box.
 */
export function FleetPage() {
  const api = useApi(aiGatewayApiRef);
  const [state, setState] = useState<{ loading: boolean; items: FleetEntry[]; error?: Error }>({ loading: true, items: [] });
  const [filters, setFilters] = useState<Filters>({ phase: '', project: '', cluster: '' });

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api
        .getFleet()
        .then(items => !cancelled && setState({ loading: false, items }))
        .catch(error => !cancelled && setState({ loading: false, items: [], error }));
    load();
    const timer = setInterval(load, 15_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api]);

  const options = useMemo(
    () => ({
      project: [...new Set(state.items.map(i => i.project))].sort(),
      cluster: [...new Set(state.items.map(i => i.cluster.name))].sort(),
    }),
    [state.items],
  );
  const rows = state.items.filter(
    i =>
      (!filters.phase || i.phase === filters.phase) &&
      (!filters.project || i.project === filters.project) &&
      (!filters.cluster || i.cluster.name === filters.cluster),
  );

  if (state.loading) return <Progress />;
  if (state.error) {
    return (
      <Box data-testid="fleet-error">
        <ResponseErrorPanel title="The AI Gateway control plane did not answer" error={state.error} />
      </Box>
    );
  }
  if (state.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No gateway pools you may see"
        description="Pools of your teams' projects show up here. Create one with the Create a gateway pool template."
        action={<Link to="/create/templates/default/ai-gateway-create-pool">Create a gateway pool</Link>}
      />
    );
  }

  const columns: TableColumn<FleetEntry>[] = [
    {
      title: 'Pool',
      field: 'pool',
      highlight: true,
      render: e => <Link to={`/catalog/default/resource/${e.pool}`}>{e.pool}</Link>,
    },
    { title: 'Project', field: 'project' },
    { title: 'Cluster', field: 'cluster.name', render: e => `${e.cluster.name} / ${e.namespace}` },
    { title: 'Delivery', field: 'delivery' },
    { title: 'Phase', field: 'phase', render: e => <PhaseChip phase={e.phase} reason={e.reason} /> },
    { title: 'Heartbeat', field: 'heartbeatAt', render: e => age(e.heartbeatAt), searchable: false },
    {
      title: 'Revision',
      field: 'runningRevision',
      searchable: false,
      render: e => {
        const d = drift(e);
        return <span style={{ color: d.drifted ? PHASE_COLOURS.OutOfSync : undefined }}>{d.label}</span>;
      },
    },
    { title: 'MCP servers', field: 'counts.mcpServers', type: 'numeric', searchable: false },
    { title: 'AI backends', field: 'counts.aiBackends', type: 'numeric', searchable: false },
    { title: 'Policies', field: 'counts.policies', type: 'numeric', searchable: false },
  ];

  const select = (name: keyof Filters, label: string, values: readonly string[]) => (
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

  const counts = poolPhases.map(p => [p, state.items.filter(i => i.phase === p).length] as const).filter(([, n]) => n > 0);
  return (
    <Box data-testid="fleet-page">
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        {select('phase', 'Phase', poolPhases)}
        {select('project', 'Project', options.project)}
        {select('cluster', 'Cluster', options.cluster)}
        <Box ml="auto">
          {counts.map(([phase, n]) => (
            <Chip key={phase} size="small" label={`${n} ${phase}`} style={{ marginLeft: 8, borderColor: PHASE_COLOURS[phase] }} variant="outlined" />
          ))}
        </Box>
      </Box>
      <Table<FleetEntry>
        title={`Gateway pools (${rows.length} of ${state.items.length})`}
        options={{ search: true, paging: rows.length > 20, pageSize: 20, padding: 'dense' }}
        columns={columns}
        data={rows}
      />
    </Box>
  );
}
