export * from './UsageService';
export { PrometheusClient } from './PrometheusClient';
export type {
  PrometheusAuth,
  PrometheusClientOptions,
  PrometheusSample,
  PrometheusSeries,
} from './PrometheusClient';
export {
  PrometheusUsageService,
  MAX_USAGE_RANGE_MS,
} from './PrometheusUsageService';
export {
  createUsageService,
  usageNotConfiguredMessage,
} from './createUsageService';
