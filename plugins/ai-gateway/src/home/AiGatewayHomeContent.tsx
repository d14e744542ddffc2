import {
  describeServedState,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import type { AiGatewayObject, FleetEntry } from '../api/AiGatewayApi';
import { PhaseStatus } from '../components/PhaseStatus';
import {
  catalogPathOf,
  explainFleetEntry,
  poolFactsOf,
  statusFactsOf,
  TEMPLATE_PATHS,
} from '../fleet/fleetGuidance';
import { useFleetInventory, type FleetInventory } from '../hooks/useFleet';

/** The cards' titles are the page's section headings (under the page's h1). */
const SECTION_HEADING = { component: 'h2' };

const useStyles = makeStyles((theme: Theme) => ({
  secondary: { color: theme.palette.text.secondary },
  item: { display: 'block', paddingLeft: 0, paddingRight: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

/** The projects whose owner is one of the user's ownership refs. */
function projectsOwnedBy(projects: AiGatewayObject[], refs: string[]) {
  const mine = new Set(refs.map(r => r.toLocaleLowerCase('en-US')));
  return projects.filter(p =>
    mine.has(String(p.spec.owner ?? '').toLocaleLowerCase('en-US')),
  );
}

/** What the page shows: the user's team's objects, or everything they can see. */
function scopeOf(inventory: FleetInventory, ownershipRefs: string[]) {
  const owned = projectsOwnedBy(inventory.projects, ownershipRefs);
  if (owned.length === 0) {
    return { owned, ...inventory };
  }
  const names = new Set(owned.map(p => p.name));
  return {
    owned,
    projects: owned,
    pools: inventory.pools.filter(p => names.has(p.project)),
    mcpServers: inventory.mcpServers.filter(o => names.has(o.project)),
    aiBackends: inventory.aiBackends.filter(o => names.has(o.project)),
  };
}

const QUICK_ACTIONS = [
  { title: 'Create a gateway pool', to: TEMPLATE_PATHS.createPool },
  { title: 'Deploy an MCP server', to: TEMPLATE_PATHS.deployMcpServer },
  { title: 'Register an AI backend', to: TEMPLATE_PATHS.registerAiBackend },
  { title: 'Open fleet', to: '/ai-gateway' },
  { title: 'Usage and cost', to: '/ai-gateway/usage' },
];

function QuickActions() {
  const classes = useStyles();
  return (
    <InfoCard title="Quick actions" titleTypographyProps={SECTION_HEADING}>
      <Box className={classes.actions}>
        {QUICK_ACTIONS.map((action, i) => (
          <LinkButton
            key={action.to}
            to={action.to}
            variant={i === 0 ? 'contained' : 'outlined'}
            color={i === 0 ? 'primary' : 'default'}
            // They navigate: links, although they look like buttons.
            role="link"
          >
            {action.title}
          </LinkButton>
        ))}
      </Box>
    </InfoCard>
  );
}

function PoolList(props: { pools: FleetEntry[] }) {
  const classes = useStyles();
  if (props.pools.length === 0) {
    return <Typography variant="body2">No pools yet.</Typography>;
  }
  return (
    <List dense disablePadding>
      {props.pools.map(pool => {
        const guidance = explainFleetEntry(pool);
        return (
          <ListItem
            key={pool.pool}
            className={classes.item}
            data-testid={`home-pool-${pool.pool}`}
          >
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              style={{ gap: 8 }}
            >
              <Link to={catalogPathOf('pool', pool.pool)}>{pool.pool}</Link>
              <Typography variant="body2" className={classes.secondary}>
                project {pool.project}, {pool.cluster.name} / {pool.namespace}
              </Typography>
              <PhaseStatus phase={pool.phase} />
            </Box>
            <Typography variant="body2" className={classes.secondary}>
              {guidance.cause}
            </Typography>
            {guidance.nextStep && (
              <Typography variant="body2">
                <b>Next step:</b> {guidance.nextStep}
              </Typography>
            )}
          </ListItem>
        );
      })}
    </List>
  );
}

/** MCP servers or AI backends with whether their pool serves them (describeServedState's wording). */
function ServedList(props: {
  kind: Extract<ResourceKind, 'mcpServer' | 'aiBackend'>;
  label: string;
  objects: AiGatewayObject[];
  pools: Map<string, FleetEntry>;
}) {
  const { kind, label, objects, pools } = props;
  const classes = useStyles();
  if (objects.length === 0) {
    return <Typography variant="body2">None yet.</Typography>;
  }
  return (
    <List dense disablePadding>
      {objects.map(object => {
        const poolName = String(object.spec.pool ?? '');
        const pool = pools.get(poolName);
        const state = pool
          ? describeServedState(
              `${label} ${object.name}`,
              poolFactsOf(pool),
              statusFactsOf(pool),
            )
          : undefined;
        return (
          <ListItem
            key={object.name}
            className={classes.item}
            data-testid={`home-${kind}-${object.name}`}
          >
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              style={{ gap: 8 }}
            >
              <Link to={catalogPathOf(kind, object.name)}>{object.name}</Link>
              {state?.served ? (
                <StatusOK>Served</StatusOK>
              ) : (
                <StatusError>Not served</StatusError>
              )}
            </Box>
            <Typography variant="body2" className={classes.secondary}>
              {state
                ? state.message
                : `Pool ${poolName} could not be read (it may not exist, or you may not see it).`}
            </Typography>
          </ListItem>
        );
      })}
    </List>
  );
}

/**
 * The portal's home page content for AI Gateway: the pools, MCP servers and
 * AI backends of the signed-in user's teams (the projects owned by one of
 * their ownership refs) with their state and next step, and quick actions.
 * A user who owns no project sees everything they may see, labelled so.
 *
 * @public
 */
export function AiGatewayHomeContent() {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const inventory = useFleetInventory({ withProjects: true });
  const refs = useMemo(
    () => identity.value?.ownershipEntityRefs ?? [],
    [identity.value],
  );
  const scope = useMemo(
    () => (inventory.value ? scopeOf(inventory.value, refs) : undefined),
    [inventory.value, refs],
  );
  const poolsByName = useMemo(
    () => new Map((inventory.value?.pools ?? []).map(p => [p.pool, p])),
    [inventory.value],
  );

  let body: JSX.Element;
  if ((inventory.loading && !inventory.value) || identity.loading) {
    body = <Progress />;
  } else if (inventory.error && !inventory.value) {
    body = (
      <ResponseErrorPanel
        title="The AI Gateway control plane did not answer"
        error={inventory.error}
      />
    );
  } else {
    const s = scope!;
    const mine = s.owned.length > 0;
    body = (
      <>
        <Box mb={2} data-testid="home-scope" data-scope={mine ? 'team' : 'all'}>
          {mine ? (
            <Typography variant="body1">
              The projects of your teams:{' '}
              {s.owned
                .map(p => `${p.spec.title ?? p.name} (${p.spec.owner})`)
                .join(', ')}
              .
            </Typography>
          ) : (
            <Alert severity="info">
              You do not own any AI Gateway project
              {refs.length > 0 ? ` (you are ${refs.join(', ')})` : ''}. Showing
              everything you can see instead.
            </Alert>
          )}
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12} lg={6}>
            <InfoCard
              title={`${
                mine ? "Your team's pools" : 'All pools you can see'
              } (${s.pools.length})`}
              titleTypographyProps={SECTION_HEADING}
            >
              <PoolList pools={s.pools} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} lg={6}>
            <Box mb={3}>
              <InfoCard
                title={`${
                  mine
                    ? "Your team's MCP servers"
                    : 'All MCP servers you can see'
                } (${s.mcpServers.length})`}
                titleTypographyProps={SECTION_HEADING}
              >
                <ServedList
                  kind="mcpServer"
                  label="MCP server"
                  objects={s.mcpServers}
                  pools={poolsByName}
                />
              </InfoCard>
            </Box>
            <InfoCard
              title={`${
                mine ? "Your team's AI backends" : 'All AI backends you can see'
              } (${s.aiBackends.length})`}
              titleTypographyProps={SECTION_HEADING}
            >
              <ServedList
                kind="aiBackend"
                label="AI backend"
                objects={s.aiBackends}
                pools={poolsByName}
              />
            </InfoCard>
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <Box data-testid="ai-gateway-home">
      <Box mb={3}>
        <QuickActions />
      </Box>
      {body}
    </Box>
  );
}
