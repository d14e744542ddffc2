import {
  Content,
  ContentHeader,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusWarning,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import {
  poolPhases,
  type PoolPhase,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { FleetEntry } from '../api/AiGatewayApi';
import { Age } from '../components/Age';
import { PhaseStatus } from '../components/PhaseStatus';
import { drift } from '../components/revision';
import { useFleetInventory } from '../hooks/useFleet';
import {
  gatewayOf,
  useFleetSpend,
  type PoolSpend,
} from '../hooks/useFleetSpend';
import { formatCompact, formatUsd } from '../components/UsageChart';
import { BudgetCell, budgetSeverity } from './fleetBudgets';
import { McpRiskCell, mcpRiskSeverity } from './fleetMcpRisk';
import {
  catalogPathOf,
  explainFleetEntry,
  TEMPLATE_PATHS,
} from './fleetGuidance';
import { describeMatch, searchFleet, type FleetMatch } from './fleetSearch';
import { ACCESSIBLE_TABLE_OPTIONS } from '../components/tableOptions';

/** The filters, as URL query parameters (`?phase=Degraded&project=payments&cluster=…&q=…`). */
const FILTERS = ['phase', 'project', 'cluster', 'q'] as const;
type Filter = (typeof FILTERS)[number];

type FleetRow = FleetEntry & {
  /** material-table keeps row state by `id`. */
  id: string;
  /** What the search matched in this pool (its MCP servers, AI backends). */
  matches: FleetMatch[];
  /** Spend this month; undefined when unknown (no metrics source, or no usage). */
  spend?: PoolSpend;
};

const useStyles = makeStyles((theme: Theme) => ({
  // The outlined label's default grey (0.54 alpha) is 4.2:1 on the page's
  // grey background, below WCAG AA.
  label: { color: theme.palette.text.primary },
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 160 },
  search: { minWidth: 280, flexGrow: 1, maxWidth: 480 },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginLeft: 'auto',
  },
  chip: { textTransform: 'none' },
  chipPressed: {
    textTransform: 'none',
    backgroundColor: theme.palette.action.selected,
    borderWidth: 2,
  },
  // Names are words: wrap between them, never inside one.
  name: { whiteSpace: 'nowrap' },
  secondary: { color: theme.palette.text.secondary },
  state: { minWidth: 260 },
}));

/** The filters kept in the URL, and a setter that keeps the other parameters. */
function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    FILTERS.map(f => [f, params.get(f) ?? '']),
  ) as Record<Filter, string>;
  const setFilter = (name: Filter, value: string) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      // Typing in the search box should not add a history entry per key.
      { replace: name === 'q' },
    );
  return { filters, setFilter };
}

/** The values of a filter's dropdown: those in the fleet, and the URL's even when absent. */
function choices(values: string[], current: string): string[] {
  return [...new Set([...values, ...(current ? [current] : [])])].sort();
}

/** Cause and next step of a pool that is not Active, in the common package's wording. */
function PoolState(props: { entry: FleetEntry }) {
  const { entry } = props;
  const classes = useStyles();
  const guidance = explainFleetEntry(entry);
  return (
    <Box className={classes.state} data-testid={`fleet-state-${entry.pool}`}>
      <PhaseStatus phase={entry.phase} />
      {!guidance.served && (
        <>
          <Typography variant="body2" className={classes.secondary}>
            {guidance.cause}
          </Typography>
          {guidance.nextStep && (
            <Typography variant="body2">
              <b>Next step:</b> {guidance.nextStep}
            </Typography>
          )}
        </>
      )}
    </Box>
  );
}

/**
 * The fleet: every pool the user may see, with its state (cause and next
 * step when it is not Active), heartbeat, revision drift and what it serves.
 * Filters by phase, project and cluster, and a search across pools, MCP
 * servers and AI backends, all kept in the URL; the phase counts toggle the
 * phase filter.
 *
 * @public
 */
export function FleetPage() {
  return (
    <Content>
      <ContentHeader
        title="Fleet"
        description="Every gateway pool you may see, with its state and what to do next"
      >
        <Link to="/ai-gateway/usage">Usage and cost per team</Link>
      </ContentHeader>
      <FleetContent />
    </Content>
  );
}

function FleetContent() {
  const classes = useStyles();
  const inventory = useFleetInventory();
  const spend = useFleetSpend();
  const { filters, setFilter } = useUrlFilters();
  // Below 1280 px the secondary columns give way to the state's explanation.
  const wide = useMediaQuery((theme: Theme) => theme.breakpoints.up('lg'), {
    noSsr: true,
    defaultMatches: true,
  });
  // The MCP risk column needs more room still: from 1600 px (a 1440 px
  // screen keeps the table without horizontal scrolling; search still finds
  // "destructive").
  const roomy = useMediaQuery('(min-width:1600px)', {
    noSsr: true,
    defaultMatches: true,
  });
  const items = useMemo(() => inventory.value?.pools ?? [], [inventory.value]);
  const matches = useMemo(
    () =>
      searchFleet(
        items,
        {
          mcpServers: inventory.value?.mcpServers ?? [],
          aiBackends: inventory.value?.aiBackends ?? [],
        },
        filters.q,
      ),
    [items, inventory.value, filters.q],
  );

  if (inventory.loading && !inventory.value) return <Progress />;
  if (inventory.error && !inventory.value) {
    return (
      <Box data-testid="fleet-error">
        <ResponseErrorPanel
          title="The AI Gateway control plane did not answer"
          error={inventory.error}
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
          <Link to={TEMPLATE_PATHS.createPool}>Create a gateway pool</Link>
        }
      />
    );
  }

  // Every filter but the phase: the phase counts say what each phase would show.
  const unphased = items.filter(
    i =>
      (!filters.project || i.project === filters.project) &&
      (!filters.cluster || i.cluster.name === filters.cluster) &&
      (!filters.q.trim() || matches.has(i.pool)),
  );
  const rows: FleetRow[] = unphased
    .filter(i => !filters.phase || i.phase === filters.phase)
    .map(i => ({
      ...i,
      id: i.pool,
      spend:
        spend.value?.state === 'ok'
          ? spend.value.byGateway.get(gatewayOf(i))
          : undefined,
      matches: (matches.get(i.pool) ?? []).filter(
        m => !(m.kind === 'pool' && m.field === 'name'),
      ),
    }));

  const columns: TableColumn<FleetRow>[] = [
    {
      title: 'Pool',
      field: 'pool',
      highlight: true,
      render: e => (
        <>
          <Link className={classes.name} to={catalogPathOf('pool', e.pool)}>
            {e.pool}
          </Link>
          {e.description && (
            <Typography variant="body2" className={classes.secondary}>
              {e.description}
            </Typography>
          )}
          {e.matches.length > 0 && (
            <Box data-testid={`fleet-matches-${e.pool}`}>
              {e.matches.slice(0, 3).map(m => (
                <Typography
                  key={`${m.kind}/${m.name}`}
                  variant="body2"
                  className={classes.secondary}
                >
                  Matches {describeMatch(m)}
                </Typography>
              ))}
              {e.matches.length > 3 && (
                <Typography variant="body2" className={classes.secondary}>
                  and {e.matches.length - 3} more
                </Typography>
              )}
            </Box>
          )}
        </>
      ),
    },
    { title: 'Project', field: 'project' },
    {
      title: 'Cluster',
      field: 'cluster.name',
      render: e => (
        <>
          <span>{`${e.cluster.name} / ${e.namespace}`}</span>
          <Typography variant="body2" className={classes.secondary}>
            {e.delivery} delivery
          </Typography>
        </>
      ),
    },
    {
      title: 'State',
      field: 'phase',
      width: '40%',
      render: e => <PoolState entry={e} />,
    },
    {
      title: 'Budgets',
      field: 'budgets',
      customSort: (a, b) =>
        budgetSeverity(a.budgets) - budgetSeverity(b.budgets),
      render: e => <BudgetCell pool={e.pool} budgets={e.budgets} />,
    },
    {
      title: 'MCP risk',
      field: 'mcpRisk',
      hidden: !roomy,
      customSort: (a, b) =>
        mcpRiskSeverity(a.mcpRisk) - mcpRiskSeverity(b.mcpRisk),
      render: e => <McpRiskCell pool={e.pool} mcpRisk={e.mcpRisk} />,
    },
    {
      title: 'Spend (month)',
      field: 'spend',
      // Only with a metrics source: spend comes from the gateways' metrics.
      hidden: !wide || !spend.value || spend.value.state === 'not-configured',
      customSort: (a, b) =>
        (a.spend?.costUsd ?? -1) - (b.spend?.costUsd ?? -1) ||
        (a.spend?.tokens ?? -1) - (b.spend?.tokens ?? -1),
      render: e => (
        <SpendCell pool={e.pool} spend={spend.value} row={e.spend} />
      ),
    },
    {
      title: 'Heartbeat',
      field: 'heartbeatAt',
      hidden: !wide,
      render: e => (
        <>
          <Age at={e.heartbeatAt} />
          <Typography variant="body2" component="div">
            {(() => {
              const d = drift(e);
              return d.drifted ? (
                <StatusWarning>{d.label}</StatusWarning>
              ) : (
                d.label
              );
            })()}
          </Typography>
        </>
      ),
    },
    {
      title: 'Serves',
      field: 'counts.mcpServers',
      hidden: !wide,
      render: e => (
        <>
          <div>{plural(e.counts.mcpServers, 'MCP server')}</div>
          <div>{plural(e.counts.aiBackends, 'AI backend')}</div>
          <div>{plural(e.counts.policies, 'policy', 'policies')}</div>
        </>
      ),
    },
  ];

  const select = (name: Filter, label: string, values: readonly string[]) => (
    <TextField
      select
      id={`fleet-filter-${name}`}
      className={classes.select}
      size="small"
      variant="outlined"
      label={label}
      value={filters[name]}
      onChange={e => setFilter(name, e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true, className: classes.label }}
      inputProps={{ 'data-testid': `fleet-filter-${name}` }}
    >
      <option value="">All</option>
      {values.map(v => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </TextField>
  );

  const counts = poolPhases
    .map(p => [p, unphased.filter(i => i.phase === p).length] as const)
    .filter(([p, n]) => n > 0 || p === filters.phase);
  return (
    <Box data-testid="fleet-page">
      <Box className={classes.toolbar}>
        {select('phase', 'Phase', choices([...poolPhases], filters.phase))}
        {select(
          'project',
          'Project',
          choices(
            items.map(i => i.project),
            filters.project,
          ),
        )}
        {select(
          'cluster',
          'Cluster',
          choices(
            items.map(i => i.cluster.name),
            filters.cluster,
          ),
        )}
        <TextField
          id="fleet-search"
          className={classes.search}
          type="search"
          size="small"
          variant="outlined"
          label="Search pools, MCP servers and AI backends"
          value={filters.q}
          onChange={e => setFilter('q', e.target.value)}
          InputLabelProps={{ shrink: true, className: classes.label }}
        />
        <Box
          className={classes.chips}
          role="group"
          aria-label="Show only pools in a phase"
        >
          {counts.map(([phase, n]) => (
            <PhaseChip
              key={phase}
              phase={phase}
              count={n}
              pressed={filters.phase === phase}
              onToggle={() =>
                setFilter('phase', filters.phase === phase ? '' : phase)
              }
            />
          ))}
        </Box>
      </Box>
      <Table<FleetRow>
        title={`Gateway pools (${rows.length} of ${items.length})`}
        options={{
          ...ACCESSIBLE_TABLE_OPTIONS,
          search: false,
          paging: rows.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No pool matches these filters.
            </Typography>
          </Box>
        }
      />
    </Box>
  );
}

function PhaseChip(props: {
  phase: PoolPhase;
  count: number;
  pressed: boolean;
  onToggle: () => void;
}) {
  const { phase, count, pressed, onToggle } = props;
  const classes = useStyles();
  return (
    <Button
      variant="outlined"
      size="small"
      aria-pressed={pressed}
      // The ripple's transition uses findDOMNode (a React warning in strict mode).
      disableRipple
      className={pressed ? classes.chipPressed : classes.chip}
      onClick={onToggle}
      data-testid={`phase-chip-${phase}`}
    >
      <PhaseStatus
        phase={phase}
        label={`${count} ${phase}`}
        testId={`phase-count-${phase}`}
      />
    </Button>
  );
}

/** Spend this month: US dollars and tokens, "—" without usage, "unavailable" when Prometheus did not answer. */
function SpendCell(props: {
  pool: string;
  spend: ReturnType<typeof useFleetSpend>['value'];
  row: PoolSpend | undefined;
}) {
  const { pool, spend, row } = props;
  const classes = useStyles();
  if (spend?.state === 'unavailable') {
    return (
      <Tooltip title={`Usage could not be read: ${spend.message}`}>
        <span data-testid={`fleet-spend-${pool}`}>unavailable</span>
      </Tooltip>
    );
  }
  if (!row || (row.costUsd === undefined && row.tokens === undefined)) {
    return <span data-testid={`fleet-spend-${pool}`}>—</span>;
  }
  return (
    <div data-testid={`fleet-spend-${pool}`}>
      {row.costUsd !== undefined && <div>{formatUsd(row.costUsd)}</div>}
      {row.tokens !== undefined && (
        <Typography variant="body2" className={classes.secondary}>
          {`${formatCompact(row.tokens)} tokens`}
        </Typography>
      )}
    </div>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
