import { Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme, type Theme } from '@material-ui/core/styles';
import { useState, type ReactNode } from 'react';
import useMeasure from 'react-use/esm/useMeasure';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ACCESSIBLE_TABLE_OPTIONS } from './tableOptions';

/**
 * Series colours: at least 3:1 against a white and against a dark paper
 * background (WCAG 1.4.11 for graphics), and told apart by the legend and
 * the table view, not by colour alone.
 */
const LIGHT_PALETTE = [
  '#1565c0',
  '#c62828',
  '#2e7d32',
  '#6a1b9a',
  '#ad5700',
  '#00796b',
  '#ad1457',
  '#4e342e',
  '#37474f',
];
const DARK_PALETTE = [
  '#90caf9',
  '#ef9a9a',
  '#a5d6a7',
  '#ce93d8',
  '#ffcc80',
  '#80cbc4',
  '#f48fb1',
  '#bcaaa4',
  '#cfd8dc',
];

/** The most groups a chart draws; the rest are added up as "other". */
export const MAX_CHART_GROUPS = 8;

export type ChartSeries = {
  /** Stable key (data key of the chart). */
  key: string;
  /** What the legend and the table call it. */
  label: string;
  values: Array<number | null>;
};

const useStyles = makeStyles((theme: Theme) => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  summary: { color: theme.palette.text.primary },
  figure: { margin: 0 },
}));

export const formatNumber = (n: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
export const formatCompact = (n: number) =>
  new Intl.NumberFormat('en-US', {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(n);
export const formatUsd = (n: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: n !== 0 && Math.abs(n) < 1 ? 4 : 2,
  }).format(n);
export const formatSeconds = (s: number) =>
  s < 1 ? `${formatNumber(s * 1000)} ms` : `${formatNumber(s)} s`;
export const formatPercent = (ratio: number) =>
  `${formatNumber(ratio * 100)} %`;

/** A time as the axis and the table show it: the hour for short ranges, the day for long ones. */
export function formatTime(ms: number, stepSeconds: number): string {
  const options: Intl.DateTimeFormatOptions =
    stepSeconds < 3600 * 6
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat('en-US', options).format(new Date(ms));
}

const total = (values: Array<number | null>) =>
  values.reduce<number>((sum, v) => sum + (v ?? 0), 0);

/**
 * The `MAX_CHART_GROUPS - 1` largest series and, if there are more, the rest
 * added up as "other" (for counters; percentiles are not added up).
 */
export function topSeries(series: ChartSeries[]): ChartSeries[] {
  if (series.length <= MAX_CHART_GROUPS) return series;
  const sorted = [...series].sort((a, b) => total(b.values) - total(a.values));
  const kept = sorted.slice(0, MAX_CHART_GROUPS - 1);
  const rest = sorted.slice(MAX_CHART_GROUPS - 1);
  const other = rest[0].values.map((_, i) =>
    rest.some(s => s.values[i] !== null)
      ? rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : null,
  );
  return [
    ...kept,
    { key: '__other', label: `${rest.length} others`, values: other },
  ];
}

/** Read by screen readers, not shown. */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** A chart with its title, an accessible summary and a table view of the same numbers. */
function ChartFrame(props: {
  title: string;
  summary: string;
  table: ReactNode;
  children: (width: number) => ReactNode;
}) {
  const classes = useStyles();
  const [asTable, setAsTable] = useState(false);
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  return (
    <Box mb={2}>
      <Box className={classes.header}>
        <Typography variant="subtitle1" component="h3">
          {props.title}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          aria-pressed={asTable}
          onClick={() => setAsTable(!asTable)}
        >
          {asTable ? 'Show chart' : 'Show table'}
          <span style={visuallyHidden}>: {props.title}</span>
        </Button>
      </Box>
      <Typography variant="body2" className={classes.summary}>
        {props.summary}
      </Typography>
      {asTable ? (
        props.table
      ) : (
        <figure className={classes.figure}>
          <div
            ref={ref}
            role="img"
            aria-label={`${props.title}. ${props.summary}`}
          >
            {props.children(Math.max(width || 0, 320))}
          </div>
        </figure>
      )}
    </Box>
  );
}

function usePalette() {
  const theme = useTheme<Theme>();
  return theme.palette.type === 'dark' ? DARK_PALETTE : LIGHT_PALETTE;
}

function useAxisStyle() {
  const theme = useTheme<Theme>();
  return { fill: theme.palette.text.primary, fontSize: 12 };
}

/**
 * A measure over time, one series per group: stacked areas for counters
 * (tokens, cost, calls), lines for rates and percentiles.
 */
export function UsageTimeChart(props: {
  title: string;
  timestamps: number[];
  stepSeconds: number;
  series: ChartSeries[];
  format: (n: number) => string;
  /** Stacked areas (counters) or lines (percentiles, rates). */
  variant?: 'stacked' | 'lines';
  height?: number;
}) {
  const { title, timestamps, stepSeconds, format, variant = 'stacked' } = props;
  const palette = usePalette();
  const tick = useAxisStyle();
  const series = variant === 'stacked' ? topSeries(props.series) : props.series;
  const data = timestamps.map((t, i) => ({
    t,
    ...Object.fromEntries(series.map(s => [s.key, s.values[i]])),
  }));
  const summary =
    variant === 'stacked'
      ? `Total ${format(series.reduce((sum, s) => sum + total(s.values), 0))}${
          series.length > 0
            ? `; largest: ${[...series]
                .sort((a, b) => total(b.values) - total(a.values))
                .slice(0, 3)
                .map(s => `${s.label} ${format(total(s.values))}`)
                .join(', ')}`
            : ''
        }.`
      : `Highest: ${
          series
            .map(s => {
              const values = s.values.filter((v): v is number => v !== null);
              return values.length
                ? `${s.label} ${format(Math.max(...values))}`
                : undefined;
            })
            .filter(Boolean)
            .join(', ') || 'no data'
        }.`;
  const columns: TableColumn<Record<string, any>>[] = [
    { title: 'Time', field: 'time' },
    ...series.map(s => ({
      title: s.label,
      field: s.key,
      render: (row: Record<string, any>) =>
        row[s.key] === null || row[s.key] === undefined
          ? '–'
          : format(row[s.key]),
    })),
  ];
  const table = (
    <Table
      title={title}
      options={{
        ...ACCESSIBLE_TABLE_OPTIONS,
        paging: data.length > 20,
        pageSize: 20,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
      columns={columns}
      data={data.map(row => ({
        ...row,
        time: formatTime(row.t, stepSeconds),
      }))}
    />
  );
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={t => formatTime(t, stepSeconds)}
        tick={tick}
      />
      <YAxis tickFormatter={format} tick={tick} width={72} />
      <Tooltip
        labelFormatter={t => formatTime(Number(t), stepSeconds)}
        formatter={(value: any) => format(Number(value))}
      />
      <Legend />
    </>
  );
  return (
    <ChartFrame title={title} summary={summary} table={table}>
      {width =>
        variant === 'stacked' ? (
          <AreaChart width={width} height={props.height ?? 260} data={data}>
            {axes}
            {series.map((s, i) => (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="usage"
                type="stepAfter"
                stroke={palette[i % palette.length]}
                fill={palette[i % palette.length]}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        ) : (
          <LineChart width={width} height={props.height ?? 260} data={data}>
            {axes}
            {series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                type="monotone"
                stroke={palette[i % palette.length]}
                strokeWidth={2}
                // A value between two gaps draws no line: show it as a dot.
                dot={hasIsolatedPoint(s.values) ? { r: 3 } : false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )
      }
    </ChartFrame>
  );
}

/** Totals per group as horizontal bars (e.g. MCP calls by tool), largest first. */
export function UsageBarChart(props: {
  title: string;
  /** What a bar is (the table's first column), e.g. "Tool". */
  label: string;
  rows: Array<{ label: string; value: number }>;
  format: (n: number) => string;
}) {
  const { title, label, format } = props;
  const palette = usePalette();
  const tick = useAxisStyle();
  const rows = [...props.rows].sort((a, b) => b.value - a.value).slice(0, 15);
  const summary = rows.length
    ? `${rows
        .slice(0, 5)
        .map(r => `${r.label} ${format(r.value)}`)
        .join(', ')}${rows.length > 5 ? `, and ${rows.length - 5} more` : ''}.`
    : 'No data.';
  const table = (
    <Table
      title={title}
      options={{
        ...ACCESSIBLE_TABLE_OPTIONS,
        paging: false,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
      columns={[
        { title: label, field: 'label' },
        {
          title: 'Value',
          field: 'value',
          render: row => format(row.value),
        },
      ]}
      data={rows.map(r => ({ ...r }))}
    />
  );
  return (
    <ChartFrame title={title} summary={summary} table={table}>
      {width => (
        <BarChart
          width={width}
          height={Math.max(120, rows.length * 32 + 40)}
          data={rows}
          layout="vertical"
          margin={{ left: 16 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" tickFormatter={format} tick={tick} />
          <YAxis type="category" dataKey="label" width={160} tick={tick} />
          <Tooltip formatter={(value: any) => format(Number(value))} />
          <Bar
            dataKey="value"
            name={title}
            fill={palette[0]}
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </ChartFrame>
  );
}

/** Whether a value has no value on either side, so a line cannot show it. */
function hasIsolatedPoint(values: Array<number | null>): boolean {
  return values.some(
    (v, i) =>
      v !== null &&
      (values[i - 1] ?? null) === null &&
      (values[i + 1] ?? null) === null,
  );
}
