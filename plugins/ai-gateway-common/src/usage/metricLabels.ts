/**
 * The names under which the gateways report usage, shared by the renderer
 * that configures them and the code that queries Prometheus, so both agree.
 * Checked against agentgateway's telemetry source (see docs/usage-metrics.md).
 */

/**
 * The attribution labels the agentgateway renderer adds to every metric of a
 * pool's gateway (agentgateway's `frontend.metrics.attributes`).
 *
 * - `project`: the project of the MCP server or AI backend whose route served
 *   the request, else the pool's project;
 * - `team`: that project's owner, a catalog group ref (`group:default/team-a`);
 * - `consumer`: who called, see {@link USAGE_CONSUMER_HEADER}.
 *
 * @public
 */
export const USAGE_METRIC_LABELS = {
  project: 'project',
  team: 'team',
  consumer: 'consumer',
} as const;

/** @public */
export type UsageMetricLabel =
  (typeof USAGE_METRIC_LABELS)[keyof typeof USAGE_METRIC_LABELS];

/**
 * The request header that names the consumer when the request carries no
 * verified identity (no JWT `sub`, no API key with a `consumer` in its
 * metadata). It is the caller's own claim, not verified.
 *
 * @public
 */
export const USAGE_CONSUMER_HEADER = 'x-aigw-consumer';

/**
 * The `consumer` label of requests that name no consumer at all.
 *
 * @public
 */
export const USAGE_ANONYMOUS_CONSUMER = 'anonymous';

/**
 * agentgateway's value for a label it could not evaluate (a label
 * expression that failed, a value that is not a string).
 *
 * @public
 */
export const USAGE_UNKNOWN_LABEL_VALUE = 'unknown';

/**
 * The Prometheus series agentgateway exposes on its metrics port (15020,
 * `/metrics`) that usage is read from, as scraped (counters with `_total`,
 * histograms with `_bucket`, `_sum` and `_count`).
 *
 * @public
 */
export const AGENTGATEWAY_USAGE_METRICS = {
  /** Counter of HTTP requests; labels include `status`, `route`, `backend`. */
  requests: 'agentgateway_requests_total',
  /** Histogram (seconds) of HTTP request durations. */
  requestDuration: 'agentgateway_request_duration_seconds',
  /** Counter of MCP calls; labels `method`, `resource_type`, `server` (the MCP target: for the suite's MCP servers their prefix), `resource` (the tool name for `tools/call`). */
  mcpRequests: 'agentgateway_mcp_requests_total',
  /** Histogram of tokens per request; labels `gen_ai_token_type` (`input`, `output`, `input_cache_read`, `input_cache_write`), `gen_ai_request_model`, `gen_ai_response_model`, `gen_ai_system`. */
  tokenUsage: 'agentgateway_gen_ai_client_token_usage',
  /** Counter of USD cost; only when the gateway has a model cost catalog. */
  costUsd: 'agentgateway_gen_ai_client_cost_usd_total',
  /** Histogram (seconds) of LLM request durations. */
  llmRequestDuration: 'agentgateway_gen_ai_server_request_duration',
  /** Histogram (seconds) of the time to the first token. */
  timeToFirstToken: 'agentgateway_gen_ai_server_time_to_first_token',
  /** Histogram (seconds) of the time per output token. */
  timePerOutputToken: 'agentgateway_gen_ai_server_time_per_output_token',
} as const;
