import { z } from 'zod';

/**
 * The usage endpoints of the REST API (`GET /usage/status`, `/usage/totals`,
 * `/usage/timeseries`): the measures, dimensions, filters and time ranges
 * they accept and the shape of their answers. The backend reads the values
 * from the gateways' metrics (docs/usage-metrics.md).
 */

/**
 * What can be measured. Token and cost measures are LLM traffic; latencies are seconds.
 *
 * @public
 */
export const usageMeasures = [
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'costUsd',
  'llmRequests',
  'llmLatencyP50',
  'llmLatencyP95',
  'llmLatencyP99',
  'timeToFirstTokenP50',
  'timeToFirstTokenP95',
  'mcpCalls',
  'requests',
  'errors',
  'requestLatencyP50',
  'requestLatencyP95',
  'requestLatencyP99',
] as const;
/** @public */
export type UsageMeasureName = (typeof usageMeasures)[number];

/**
 * What rows can be grouped by.
 *
 * @public
 */
export const usageDimensions = [
  'pool',
  'project',
  'team',
  'consumer',
  'model',
  'mcpServer',
  'tool',
  'route',
] as const;
/** @public */
export type UsageDimensionName = (typeof usageDimensions)[number];

/**
 * The query parameters that filter usage. `pool`, `project`, `aiBackend` and
 * `mcpServer` name portal objects (the caller must be able to read them);
 * `team` is a catalog group ref; `consumer`, `model` and `tool` are label
 * values as the gateway reports them.
 *
 * @public
 */
export const usageFilters = [
  'pool',
  'project',
  'team',
  'consumer',
  'model',
  'aiBackend',
  'mcpServer',
  'tool',
] as const;
/** @public */
export type UsageFilterName = (typeof usageFilters)[number];

/**
 * The time ranges a usage query can name instead of `from` and `to`, in milliseconds.
 *
 * @public
 */
export const usageRanges = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;
/** @public */
export type UsageRange = keyof typeof usageRanges;

/**
 * The longest window a usage query may cover.
 *
 * @public
 */
export const MAX_USAGE_WINDOW_MS = usageRanges['90d'];

const groupSchema = z
  .record(z.string(), z.string())
  .describe('The value of each `groupBy` dimension');

/** @public */
export const usageStatusSchema = z
  .object({
    configured: z
      .boolean()
      .describe('Whether a Prometheus is configured to read usage from'),
    message: z
      .string()
      .optional()
      .describe('When not configured: what to configure'),
  })
  .describe('Whether usage can be read, and if not, what to configure');

/** @public */
export const usageTotalsSchema = z
  .object({
    from: z.string().describe('Start of the window (ISO-8601, exclusive)'),
    to: z.string().describe('End of the window (ISO-8601, inclusive)'),
    rows: z.array(
      z.object({
        group: groupSchema,
        values: z
          .record(z.string(), z.number())
          .describe('Each measure asked for that has data for this group'),
      }),
    ),
  })
  .describe('Usage totals over a window, one row per group');

/** @public */
export const usageTimeSeriesSchema = z
  .object({
    from: z.string().describe('Start of the window (ISO-8601, exclusive)'),
    to: z.string().describe('End of the window (ISO-8601, inclusive)'),
    stepSeconds: z.number().describe('Seconds between two points'),
    timestamps: z
      .array(z.number())
      .describe(
        'The end of each step (ms since the epoch); a point is the usage in the step before it',
      ),
    rows: z.array(
      z.object({
        group: groupSchema,
        values: z
          .record(z.string(), z.array(z.number().nullable()))
          .describe(
            'One value per timestamp for each measure; null where there is no data',
          ),
      }),
    ),
  })
  .describe('Usage per step over a window, one row per group');

/** @public */
export type UsageStatus = z.infer<typeof usageStatusSchema>;
/** @public */
export type UsageTotalsResponse = z.infer<typeof usageTotalsSchema>;
/** @public */
export type UsageTimeSeriesResponse = z.infer<typeof usageTimeSeriesSchema>;
