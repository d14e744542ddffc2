import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { AI_GATEWAY_KIND_ANNOTATION } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import { useState } from 'react';
import {
  UsageCsvButton,
  UsageNoTraffic,
  UsageNotConfigured,
  UsageRangeSelect,
} from '../components/UsageControls';
import {
  formatCompact,
  formatPercent,
  formatSeconds,
  formatUsd,
  UsageTimeChart,
} from '../components/UsageChart';
import {
  chartSeriesOf,
  hasTraffic,
  rangeLabel,
  sumOf,
  useUsage,
  worstOf,
  type UsageRangeValue,
  type UsageScope,
} from '../hooks/useUsage';

const useStyles = makeStyles((theme: Theme) => ({
  fact: { color: theme.palette.text.primary },
  label: { color: theme.palette.text.secondary },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

const TOTALS = [
  'inputTokens',
  'outputTokens',
  'costUsd',
  'requests',
  'errors',
  'requestLatencyP95',
  'mcpCalls',
];

/** What the card is about, from the entity the catalog module made of an object. */
function scopeOf(entity: {
  metadata: { name: string; annotations?: Record<string, string> };
}): { scope: UsageScope; what: string; kind: string } | undefined {
  const kind = entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION];
  const name = entity.metadata.name;
  switch (kind) {
    case 'project':
      return { scope: { project: name }, what: `project ${name}`, kind };
    case 'pool':
      return { scope: { pool: name }, what: `pool ${name}`, kind };
    case 'aiBackend':
      return { scope: { aiBackend: name }, what: `AI backend ${name}`, kind };
    case 'mcpServer':
      return { scope: { mcpServer: name }, what: `MCP server ${name}`, kind };
    default:
      return undefined;
  }
}

function Fact(props: { label: string; value: string }) {
  const classes = useStyles();
  return (
    <Grid item xs={6} sm={4} md={3}>
      <Typography variant="body2" className={classes.label} component="dt">
        {props.label}
      </Typography>
      <Typography variant="h6" className={classes.fact} component="dd">
        {props.value}
      </Typography>
    </Grid>
  );
}

/**
 * Usage of a project, pool, AI backend or MCP server: tokens, cost,
 * requests, error rate, latency and MCP calls over a time range, a chart
 * over time (tokens by model; MCP calls by tool for MCP servers) and a CSV
 * export. Says what to configure when no metrics source is.
 *
 * @public
 */
export function UsageCard() {
  const { entity } = useEntity();
  const target = scopeOf(entity);
  if (!target) {
    return (
      <InfoCard title="Usage">
        <Typography variant="body2">
          Usage is shown for AI Gateway projects, pools, AI backends and MCP
          servers.
        </Typography>
      </InfoCard>
    );
  }
  return <UsageCardFor {...target} owner={(entity.spec as any)?.owner} />;
}

function UsageCardFor(props: {
  scope: UsageScope;
  what: string;
  kind: string;
  owner?: string;
}) {
  const classes = useStyles();
  const [range, setRange] = useState<UsageRangeValue>('24h');
  const mcp = props.kind === 'mcpServer';
  const chart = mcp
    ? { measures: ['mcpCalls'], groupBy: ['tool'] }
    : { measures: ['inputTokens', 'outputTokens'], groupBy: ['model'] };
  const usage = useUsage({
    scope: props.scope,
    range,
    totalMeasures: TOTALS,
    series: [chart],
  });

  let body;
  if (usage.loading && !usage.value) body = <Progress />;
  else if (usage.error) {
    body = (
      <ResponseErrorPanel title="Usage could not be read" error={usage.error} />
    );
  } else if (!usage.value?.status.configured) {
    body = <UsageNotConfigured message={usage.value?.status.message} />;
  } else if (!hasTraffic(usage.value.totals)) {
    body = <UsageNoTraffic range={rangeLabel(range)} what={props.what} />;
  } else {
    const { totals, series } = usage.value;
    const requests = sumOf(totals, 'requests');
    const errors = sumOf(totals, 'errors') ?? 0;
    const p95 = worstOf(totals, 'requestLatencyP95');
    const show = (value: number | undefined, format: (n: number) => string) =>
      value === undefined ? '–' : format(value);
    const tokenSeries = chartSeriesOf(series[0], 'inputTokens').map(
      (input, i) => ({
        ...input,
        values: input.values.map((v, j) => {
          const out = chartSeriesOf(series[0], 'outputTokens')[i]?.values[j];
          return v === null && (out ?? null) === null
            ? null
            : (v ?? 0) + (out ?? 0);
        }),
      }),
    );
    body = (
      <>
        <Grid container spacing={2} component="dl">
          <Fact
            label="Input tokens"
            value={show(sumOf(totals, 'inputTokens'), formatCompact)}
          />
          <Fact
            label="Output tokens"
            value={show(sumOf(totals, 'outputTokens'), formatCompact)}
          />
          <Fact
            label="Cost"
            value={show(sumOf(totals, 'costUsd'), formatUsd)}
          />
          <Fact label="Requests" value={show(requests, formatCompact)} />
          <Fact
            label="Error rate (5xx)"
            value={requests ? formatPercent(errors / requests) : '–'}
          />
          <Fact label="Latency p95" value={show(p95, formatSeconds)} />
          <Fact
            label="MCP calls"
            value={show(sumOf(totals, 'mcpCalls'), formatCompact)}
          />
        </Grid>
        {series[0] && (
          <UsageTimeChart
            title={mcp ? 'MCP calls by tool' : 'Tokens by model'}
            timestamps={series[0].timestamps}
            stepSeconds={series[0].stepSeconds}
            series={mcp ? chartSeriesOf(series[0], 'mcpCalls') : tokenSeries}
            format={formatCompact}
            height={200}
          />
        )}
      </>
    );
  }

  return (
    <InfoCard title="Usage" subheader={`Traffic through ${props.what}`}>
      <Box className={classes.actions}>
        <UsageRangeSelect value={range} onChange={setRange} />
        {usage.value?.status.configured && (
          <UsageCsvButton
            what="totals"
            request={{
              ...props.scope,
              range,
              measures: TOTALS.join(','),
            }}
            fileName={`usage-${Object.values(props.scope)[0]}-${range}.csv`}
          />
        )}
        {props.owner && (
          <Link
            to={`/ai-gateway/usage?team=${encodeURIComponent(props.owner)}`}
          >
            Usage of the owning team
          </Link>
        )}
      </Box>
      {body}
    </InfoCard>
  );
}
