import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { aiGatewayApiRef, type AiGatewayEvent } from '../../api/AiGatewayApi';
import { absoluteTime, age } from '../../components/Age';
import { failureOf } from '../../components/failureOf';
import { OperationList } from '../../components/OperationList';
import { ACCESSIBLE_TABLE_OPTIONS } from '../../components/tableOptions';

/** What people did to the pool's configuration (the audit trail). */
const AUDIT_ACTIONS = new Set(['created', 'updated', 'deleted']);
/** What the control plane and operator did or were asked to do (ai-gateway-backend's PoolDeliveryService and ResourceService). */
const OPERATOR_ACTIONS = new Set([
  'phase-changed',
  'applied',
  'apply-failed',
  'sync-requested',
  'reseed-requested',
  'enrollment-token-rotated',
]);

export type EventCategory = 'audit' | 'operator' | 'other';

/** Which filter an event belongs to; actions this UI does not know show under "All" only. */
export function eventCategory(action: string): EventCategory {
  if (AUDIT_ACTIONS.has(action)) return 'audit';
  if (OPERATOR_ACTIONS.has(action)) return 'operator';
  return 'other';
}

type Filter = 'all' | 'audit' | 'operator';

const ACTION_COLOURS: Record<string, string> = {
  'apply-failed': '#c62828',
  deleted: '#c62828',
  applied: '#2e7d32',
  created: '#2e7d32',
};

function EventDetails({ event }: { event: AiGatewayEvent }) {
  const changes = event.action === 'updated' ? event.changes ?? [] : [];
  return (
    <Box>
      {event.message && (
        <Typography variant="body2">{event.message}</Typography>
      )}
      {event.action === 'updated' &&
        (changes.length ? (
          <OperationList operations={changes} max={8} />
        ) : (
          <Typography variant="caption" color="textSecondary">
            saved without changes
          </Typography>
        ))}
    </Box>
  );
}

const columns: TableColumn<AiGatewayEvent>[] = [
  {
    title: 'Time',
    field: 'at',
    width: '200px',
    render: e => (
      <>
        <Typography variant="body2" noWrap>
          {absoluteTime(e.at)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {age(e.at)}
        </Typography>
      </>
    ),
  },
  {
    title: 'Action',
    field: 'action',
    render: e => (
      <Chip
        size="small"
        label={e.action}
        variant="outlined"
        style={{
          borderColor: ACTION_COLOURS[e.action],
          color: ACTION_COLOURS[e.action],
        }}
      />
    ),
  },
  { title: 'Actor', field: 'actor' },
  {
    title: 'Version',
    field: 'version',
    render: e => (e.version === undefined ? '—' : `v${e.version}`),
  },
  {
    title: 'Details',
    field: 'message',
    render: e => <EventDetails event={e} />,
  },
];

type Older = {
  items: AiGatewayEvent[];
  cursor?: string;
  loading: boolean;
  error?: Error;
};

/**
 * A pool's event log, newest first: audit entries (who created, changed or
 * deleted it, with the fields changed) and operator entries (phase changes,
 * applies, sync and reseed requests, token rotations); older pages on demand.
 *
 * @public
 */
export function PoolEventsTab() {
  const { entity } = useEntity();
  const pool = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const first = useAsyncRetry(() => api.listEvents('pools', pool), [api, pool]);
  const [older, setOlder] = useState<Older | undefined>();
  const [filter, setFilter] = useState<Filter>('all');

  // A new first page (another pool, or Refresh) starts the log over.
  useEffect(() => setOlder(undefined), [first.value]);

  if (first.loading && !first.value) return <Progress />;
  if (first.error)
    return (
      <ResponseErrorPanel
        title="The pool's events could not be loaded"
        error={first.error}
      />
    );
  const page = first.value!;
  if (page.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No events yet"
        description="Changes to this pool and what its operator reports (phase changes, applies, sync and reseed requests) appear here."
      />
    );
  }

  const cursor = older ? older.cursor : page.nextCursor;
  const loadMore = async () => {
    const base = older?.items ?? [];
    setOlder({ items: base, cursor, loading: true });
    try {
      const next = await api.listEvents('pools', pool, cursor);
      setOlder({
        items: [...base, ...next.items],
        cursor: next.nextCursor,
        loading: false,
      });
    } catch (error) {
      // Keep the cursor: Load more tries the same page again.
      setOlder({ items: base, cursor, loading: false, error: error as Error });
    }
  };

  // Newest first, once each (a page can overlap the first after a Refresh).
  const seen = new Set<number>();
  const events = [...page.items, ...(older?.items ?? [])]
    .filter(e => !seen.has(e.id) && !!seen.add(e.id))
    .sort((a, b) => b.id - a.id);
  const rows = events
    .filter(e => filter === 'all' || eventCategory(e.action) === filter)
    .map(e => ({ ...e }));

  return (
    <Box data-testid="pool-events">
      <Box display="flex" alignItems="center" mb={2}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={filter}
          onChange={(_, value: Filter | null) => value && setFilter(value)}
          aria-label="Which events"
        >
          <ToggleButton value="all">All</ToggleButton>
          <ToggleButton
            value="audit"
            title="Created, updated and deleted, by whom"
          >
            Audit
          </ToggleButton>
          <ToggleButton
            value="operator"
            title="Phase changes, applies, sync and reseed requests, token rotations"
          >
            Operator
          </ToggleButton>
        </ToggleButtonGroup>
        <Box ml="auto">
          <Button size="small" onClick={first.retry} disabled={first.loading}>
            Refresh
          </Button>
        </Box>
      </Box>
      <Table<AiGatewayEvent>
        title={`Events of pool ${pool} (${rows.length} shown)`}
        options={{
          ...ACCESSIBLE_TABLE_OPTIONS,
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No {filter} events among the {events.length} loaded
              {cursor ? ': load more to look further back.' : '.'}
            </Typography>
          </Box>
        }
      />
      <Box mt={1} display="flex" alignItems="center">
        {cursor ? (
          <Button
            variant="outlined"
            size="small"
            onClick={loadMore}
            disabled={older?.loading}
          >
            {older?.loading ? 'Loading…' : 'Load more'}
          </Button>
        ) : (
          // Outside the table's card, on the page's grey: full-contrast text.
          <Typography variant="caption">
            That is the whole history ({events.length} event
            {events.length === 1 ? '' : 's'}).
          </Typography>
        )}
      </Box>
      {older?.error && (
        <Box mt={1}>
          <Alert severity="error">
            Older events could not be loaded: {failureOf(older.error).message}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
