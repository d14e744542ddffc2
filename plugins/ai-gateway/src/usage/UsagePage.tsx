import { normalizeGroupRef } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  Content,
  ContentHeader,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import {
  formatCompact,
  formatPercent,
  formatSeconds,
  formatUsd,
  UsageBarChart,
  UsageTimeChart,
} from '../components/UsageChart';
import {
  UsageCsvButton,
  UsageNoTraffic,
  UsageNotConfigured,
  UsageRangeSelect,
} from '../components/UsageControls';
import {
  chartSeriesOf,
  groupLabel,
  hasTraffic,
  rangeLabel,
  ratioOverTime,
  sumOf,
  USAGE_RANGES,
  useUsage,
  type UsageRangeValue,
} from '../hooks/useUsage';

/** "All teams" in the team picker (every team whose projects the user may see). */
const ALL_TEAMS = 'all';

const BREAKDOWNS = [
  { value: 'model', label: 'Model' },
  { value: 'team', label: 'Team' },
  { value: 'project', label: 'Project' },
  { value: 'consumer', label: 'Consumer' },
] as const;
type Breakdown = (typeof BREAKDOWNS)[number]['value'];

const SUMMARY = [
  'inputTokens',
  'outputTokens',
  'costUsd',
  'requests',
  'errors',
  'mcpCalls',
];

const useStyles = makeStyles((theme: Theme) => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  label: { color: theme.palette.text.primary },
  select: { minWidth: 220 },
  factLabel: { color: theme.palette.text.secondary },
}));

const teamName = (ref: string) => ref.replace(/^group:default\//, '');

/**
 * The teams the picker offers: the groups the user belongs to and the
 * owners of every project the user may see (all teams, for platform admins).
 */
function useTeams() {
  const api = useApi(aiGatewayApiRef);
  const identity = useApi(identityApiRef);
  return useAsync(async () => {
    const [{ ownershipEntityRefs }, projects] = await Promise.all([
      identity.getBackstageIdentity(),
      api.listObjects('projects').catch(() => []),
    ]);
    // Teams as the gateways' `team` label names them (normalised group refs).
    const groupRefs = (refs: string[]) =>
      refs.flatMap(ref => normalizeGroupRef(ref) ?? []);
    const mine = groupRefs(
      ownershipEntityRefs.filter(ref => ref.startsWith('group:')),
    );
    const owners = groupRefs(projects.map(p => String(p.spec.owner ?? '')));
    const all = [...new Set([...mine, ...owners])].sort();
    return { mine, all };
  }, [api, identity]);
}

function Select2<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
}) {
  const classes = useStyles();
  return (
    <FormControl variant="outlined" size="small" className={classes.select}>
      <InputLabel id={`${props.id}-label`} className={classes.label}>
        {props.label}
      </InputLabel>
      <Select
        labelId={`${props.id}-label`}
        id={props.id}
        label={props.label}
        value={props.value}
        onChange={e => props.onChange(e.target.value as T)}
      >
        {props.options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * Usage of a team (`?team=group:default/team-a`) or of all teams the user
 * may see: tokens and cost over time by model, team, project or consumer,
 * MCP calls by tool, error rate and latency percentiles, over 1 hour to 90
 * days (`?range=`), with CSV export.
 *
 * @public
 */
export function UsagePage() {
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const teams = useTeams();
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };
  const rangeParam = params.get('range');
  const range: UsageRangeValue = USAGE_RANGES.some(r => r.value === rangeParam)
    ? (rangeParam as UsageRangeValue)
    : '24h';
  const byParam = params.get('by');
  const by: Breakdown = BREAKDOWNS.some(b => b.value === byParam)
    ? (byParam as Breakdown)
    : 'model';
  const team =
    params.get('team') ??
    teams.value?.mine[0] ??
    teams.value?.all[0] ??
    ALL_TEAMS;
  const teamOptions = useMemo(() => {
    const refs = new Set(teams.value?.all ?? []);
    if (team !== ALL_TEAMS) refs.add(team);
    return [
      { value: ALL_TEAMS, label: 'All teams you can see' },
      ...[...refs].sort().map(ref => ({ value: ref, label: teamName(ref) })),
    ];
  }, [teams.value, team]);

  const scope = team === ALL_TEAMS ? {} : { team };
  const usage = useUsage({
    scope,
    range,
    totalMeasures: SUMMARY,
    skip: teams.loading,
    series: [
      { measures: ['inputTokens', 'outputTokens', 'costUsd'], groupBy: [by] },
      { measures: ['mcpCalls'], groupBy: ['tool'] },
      {
        measures: [
          'requests',
          'errors',
          'requestLatencyP50',
          'requestLatencyP95',
          'requestLatencyP99',
        ],
      },
    ],
  });
  const what =
    team === ALL_TEAMS ? 'the teams you can see' : `team ${teamName(team)}`;

  let body;
  if (teams.loading || (usage.loading && !usage.value)) body = <Progress />;
  else if (usage.error) {
    body = (
      <ResponseErrorPanel title="Usage could not be read" error={usage.error} />
    );
  } else if (!usage.value?.status.configured) {
    body = <UsageNotConfigured message={usage.value?.status.message} />;
  } else if (!hasTraffic(usage.value.totals)) {
    body = <UsageNoTraffic range={rangeLabel(range)} what={what} />;
  } else {
    const { totals, series } = usage.value;
    const [tokens, tools, health] = series;
    const requests = sumOf(totals, 'requests');
    const errors = sumOf(totals, 'errors') ?? 0;
    const facts = [
      ['Input tokens', sumOf(totals, 'inputTokens'), formatCompact],
      ['Output tokens', sumOf(totals, 'outputTokens'), formatCompact],
      ['Cost', sumOf(totals, 'costUsd'), formatUsd],
      ['Requests', requests, formatCompact],
      [
        'Error rate (5xx)',
        requests ? errors / requests : undefined,
        formatPercent,
      ],
      ['MCP calls', sumOf(totals, 'mcpCalls'), formatCompact],
    ] as const;
    const byLabel = BREAKDOWNS.find(
      b => b.value === by,
    )!.label.toLocaleLowerCase('en-US');
    const percentiles = (health?.rows ?? []).flatMap((row, i) =>
      (['P50', 'P95', 'P99'] as const).map(p => ({
        key: `r${i}${p}`,
        label: `${p.toLocaleLowerCase('en-US')}${
          Object.keys(row.group).length ? ` ${groupLabel(row.group)}` : ''
        }`,
        values: row.values[`requestLatency${p}`] ?? [],
      })),
    );
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard title="Totals" titleTypographyProps={{ component: 'h2' }}>
            <Grid container spacing={2} component="dl">
              {facts.map(([label, value, format]) => (
                <Grid item xs={6} sm={4} md={2} key={label}>
                  <Typography
                    variant="body2"
                    component="dt"
                    className={classes.factLabel}
                  >
                    {label}
                  </Typography>
                  <Typography variant="h6" component="dd">
                    {value === undefined ? '–' : format(value)}
                  </Typography>
                </Grid>
              ))}
            </Grid>
          </InfoCard>
        </Grid>
        <Grid item xs={12} lg={6}>
          <InfoCard title="Tokens" titleTypographyProps={{ component: 'h2' }}>
            <UsageTimeChart
              title={`Input tokens by ${byLabel}`}
              timestamps={tokens.timestamps}
              stepSeconds={tokens.stepSeconds}
              series={chartSeriesOf(tokens, 'inputTokens')}
              format={formatCompact}
            />
            <UsageTimeChart
              title={`Output tokens by ${byLabel}`}
              timestamps={tokens.timestamps}
              stepSeconds={tokens.stepSeconds}
              series={chartSeriesOf(tokens, 'outputTokens')}
              format={formatCompact}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} lg={6}>
          <InfoCard title="Cost" titleTypographyProps={{ component: 'h2' }}>
            <UsageTimeChart
              title={`Cost (USD) by ${byLabel}`}
              timestamps={tokens.timestamps}
              stepSeconds={tokens.stepSeconds}
              series={chartSeriesOf(tokens, 'costUsd')}
              format={formatUsd}
            />
          </InfoCard>
          <InfoCard
            title="MCP calls"
            titleTypographyProps={{ component: 'h2' }}
          >
            <UsageBarChart
              title="MCP calls by tool"
              label="Tool"
              rows={chartSeriesOf(tools, 'mcpCalls').map(s => ({
                label: s.label,
                value: s.values.reduce<number>((a, v) => a + (v ?? 0), 0),
              }))}
              format={formatCompact}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="Errors and latency"
            titleTypographyProps={{ component: 'h2' }}
          >
            <Grid container spacing={2}>
              <Grid item xs={12} lg={6}>
                <UsageTimeChart
                  variant="lines"
                  title="Error rate (share of 5xx responses)"
                  timestamps={health.timestamps}
                  stepSeconds={health.stepSeconds}
                  series={[
                    {
                      key: 'errorRate',
                      label: 'error rate',
                      values: ratioOverTime(health, 'errors', 'requests'),
                    },
                  ]}
                  format={formatPercent}
                />
              </Grid>
              <Grid item xs={12} lg={6}>
                <UsageTimeChart
                  variant="lines"
                  title="Request latency percentiles"
                  timestamps={health.timestamps}
                  stepSeconds={health.stepSeconds}
                  series={percentiles}
                  format={formatSeconds}
                />
              </Grid>
            </Grid>
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  const csvRequest = { ...scope, range };
  return (
    <Content>
      <ContentHeader
        title="Usage and cost"
        description="Tokens, cost, MCP calls, errors and latency per team, read from the gateways' metrics"
      />
      <div className={classes.toolbar}>
        <Select2
          id="usage-team"
          label="Team"
          value={team}
          options={teamOptions}
          onChange={value => set('team', value)}
        />
        <UsageRangeSelect
          value={range}
          onChange={value => set('range', value)}
        />
        <Select2
          id="usage-breakdown"
          label="Break down by"
          value={by}
          options={BREAKDOWNS}
          onChange={value => set('by', value)}
        />
        {usage.value?.status.configured && (
          <>
            <UsageCsvButton
              what="totals"
              request={{
                ...csvRequest,
                measures: SUMMARY.join(','),
                groupBy: by,
              }}
              fileName={`usage-${teamName(team)}-${range}-by-${by}.csv`}
              label="Export totals (CSV)"
            />
            <UsageCsvButton
              what="timeseries"
              request={{
                ...csvRequest,
                measures: 'inputTokens,outputTokens,costUsd',
                groupBy: by,
              }}
              fileName={`usage-${teamName(team)}-${range}-over-time.csv`}
              label="Export over time (CSV)"
            />
          </>
        )}
      </div>
      {body}
    </Content>
  );
}
