import type {
  UsageTimeSeriesResponse,
  UsageTotalsResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { Request, Response, Router } from 'express';
import type { Caller } from '../service/ResourceService';
import type { UsageReportService, UsageRequest } from './UsageReportService';

/**
 * HTTP of the usage endpoints: query strings in, JSON or CSV out
 * (`Accept: text/csv` or `format=csv`).
 */
export function addUsageRoutes(
  router: Router,
  options: {
    usage: UsageReportService;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { usage, caller } = options;

  router.get('/usage/status', async (req, res) => {
    res.json(
      await usage.status(
        { pool: req.query.pool as string | undefined },
        await caller(req),
      ),
    );
  });

  router.get('/usage/totals', async (req, res) => {
    const totals = await usage.totals(usageRequest(req), await caller(req));
    if (wantsCsv(req)) sendCsv(res, 'usage-totals.csv', totalsCsv(totals));
    else res.json(totals);
  });

  router.get('/usage/timeseries', async (req, res) => {
    const series = await usage.timeSeries(usageRequest(req), await caller(req));
    if (wantsCsv(req)) sendCsv(res, 'usage-timeseries.csv', seriesCsv(series));
    else res.json(series);
  });
}

function usageRequest(req: Request): UsageRequest {
  // The validated router has let through only the documented parameters, as strings.
  const { format, maxPoints, ...rest } = req.query as Record<string, string>;
  return {
    ...rest,
    ...(maxPoints !== undefined ? { maxPoints: Number(maxPoints) } : {}),
  };
}

function wantsCsv(req: Request): boolean {
  if (req.query.format !== undefined) return req.query.format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

function sendCsv(res: Response, filename: string, text: string) {
  res
    .status(200)
    .set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    })
    .send(text);
}

/** The columns of a table: the group dimensions, then the measures, in first-seen order. */
function columns(
  rows: Array<{ group: Record<string, string>; values: object }>,
) {
  const dimensions = new Set<string>();
  const measures = new Set<string>();
  for (const row of rows) {
    Object.keys(row.group).forEach(d => dimensions.add(d));
    Object.keys(row.values).forEach(m => measures.add(m));
  }
  return { dimensions: [...dimensions], measures: [...measures] };
}

const numberCell = (value: number | null | undefined) =>
  value === undefined || value === null ? '' : String(value);

export function totalsCsv(totals: UsageTotalsResponse): string {
  const { dimensions, measures } = columns(totals.rows);
  const lines = [[...dimensions, ...measures]];
  for (const row of totals.rows) {
    lines.push([
      ...dimensions.map(d => row.group[d] ?? ''),
      ...measures.map(m => numberCell(row.values[m])),
    ]);
  }
  return csv(lines);
}

export function seriesCsv(series: UsageTimeSeriesResponse): string {
  const { dimensions, measures } = columns(series.rows);
  const lines = [[...dimensions, 'timestamp', ...measures]];
  for (const row of series.rows) {
    series.timestamps.forEach((timestamp, i) => {
      lines.push([
        ...dimensions.map(d => row.group[d] ?? ''),
        new Date(timestamp).toISOString(),
        ...measures.map(m => numberCell(row.values[m]?.[i])),
      ]);
    });
  }
  return csv(lines);
}

/**
 * RFC 4180, with cells that a spreadsheet would run as a formula (label
 * values come from callers, e.g. the consumer header) prefixed with `'`.
 */
function csv(lines: string[][]): string {
  return `${lines
    .map(cells =>
      cells
        .map(cell => {
          const safe =
            /^[=+\-@\t\r]/.test(cell) && !/^-?\d/.test(cell)
              ? `'${cell}`
              : cell;
          return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
        })
        .join(','),
    )
    .join('\r\n')}\r\n`;
}
