import {
  AGENTGATEWAY_USAGE_METRICS as METRICS,
  USAGE_METRIC_LABELS,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { UsageDimension, UsageMeasure } from './UsageService';

/**
 * Which agentgateway series each measure reads, and which label each
 * dimension is in them. Metric names and attribution labels come from
 * `AGENTGATEWAY_USAGE_METRICS` and `USAGE_METRIC_LABELS` (shared with the
 * renderer that configures the labels); the labels below are agentgateway's
 * own (crates/agentgateway/src/telemetry/metrics.rs: `RouteIdentifier`,
 * `GenAILabels`, `GenAILabelsTokenUsage`, `MCPCall`, `HTTPLabels`).
 */

/** The families of series, by the labels they carry. */
type Family = 'llm' | 'mcp' | 'http';

const COMMON_LABELS: Partial<Record<UsageDimension, string>> = {
  /** agentgateway's `gateway` label: `<namespace>/<name>` of the Gateway, which is the pool's. */
  pool: 'gateway',
  project: USAGE_METRIC_LABELS.project,
  team: USAGE_METRIC_LABELS.team,
  consumer: USAGE_METRIC_LABELS.consumer,
  route: 'route',
};

const FAMILY_LABELS: Record<Family, Partial<Record<UsageDimension, string>>> = {
  llm: { ...COMMON_LABELS, model: 'gen_ai_request_model' },
  mcp: { ...COMMON_LABELS, mcpServer: 'server', tool: 'resource' },
  http: COMMON_LABELS,
};

/** Extra matchers a dimension needs in a family (a tool is an MCP resource of type tool). */
const DIMENSION_MATCHERS: Partial<Record<UsageDimension, [string, string]>> = {
  tool: ['resource_type', 'tool'],
};

export type MeasureSource =
  | {
      kind: 'counter';
      family: Family;
      series: string;
      matchers: Array<[string, string, '=' | '=~']>;
    }
  | {
      kind: 'quantile';
      family: Family;
      /** The histogram's base name (`_bucket` is appended). */
      histogram: string;
      quantile: number;
    };

const tokens = (type: string): MeasureSource => ({
  kind: 'counter',
  family: 'llm',
  series: `${METRICS.tokenUsage}_sum`,
  matchers: [['gen_ai_token_type', type, '=']],
});

const quantile = (
  family: Family,
  histogram: string,
  q: number,
): MeasureSource => ({ kind: 'quantile', family, histogram, quantile: q });

export const MEASURES: Record<UsageMeasure, MeasureSource> = {
  inputTokens: tokens('input'),
  outputTokens: tokens('output'),
  cacheReadTokens: tokens('input_cache_read'),
  cacheWriteTokens: tokens('input_cache_write'),
  costUsd: {
    kind: 'counter',
    family: 'llm',
    series: METRICS.costUsd,
    matchers: [],
  },
  llmRequests: {
    kind: 'counter',
    family: 'llm',
    series: `${METRICS.llmRequestDuration}_count`,
    matchers: [],
  },
  llmLatencyP50: quantile('llm', METRICS.llmRequestDuration, 0.5),
  llmLatencyP95: quantile('llm', METRICS.llmRequestDuration, 0.95),
  llmLatencyP99: quantile('llm', METRICS.llmRequestDuration, 0.99),
  timeToFirstTokenP50: quantile('llm', METRICS.timeToFirstToken, 0.5),
  timeToFirstTokenP95: quantile('llm', METRICS.timeToFirstToken, 0.95),
  mcpCalls: {
    kind: 'counter',
    family: 'mcp',
    series: METRICS.mcpRequests,
    matchers: [],
  },
  requests: {
    kind: 'counter',
    family: 'http',
    series: METRICS.requests,
    matchers: [],
  },
  errors: {
    kind: 'counter',
    family: 'http',
    series: METRICS.requests,
    matchers: [['status', '5..', '=~']],
  },
  requestLatencyP50: quantile('http', METRICS.requestDuration, 0.5),
  requestLatencyP95: quantile('http', METRICS.requestDuration, 0.95),
  requestLatencyP99: quantile('http', METRICS.requestDuration, 0.99),
};

/** The label of a dimension in a measure's series, or undefined where the series lacks it. */
export function dimensionLabel(
  measure: UsageMeasure,
  dimension: UsageDimension,
): string | undefined {
  return FAMILY_LABELS[MEASURES[measure].family][dimension];
}

export function dimensionMatcher(
  dimension: UsageDimension,
): [string, string] | undefined {
  return DIMENSION_MATCHERS[dimension];
}
