import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { PrometheusClient, type PrometheusAuth } from './PrometheusClient';
import { PrometheusUsageService } from './PrometheusUsageService';
import type { UsageService } from './UsageService';

/** What the portal says when no metrics source is configured. */
export const usageNotConfiguredMessage =
  'Usage needs a Prometheus that scrapes the gateways: set aiGateway.metrics.prometheus.url (or aiGateway.metrics.clusters.<cluster>.prometheus.url per cluster) in app-config.yaml.';

/** A `prometheus` block of `aiGateway.metrics` (global or per cluster). */
function readPrometheus(config: Config, path: string): PrometheusClient {
  const url = config.getString('url');
  const bearerToken = config.getOptionalString('bearerToken');
  const username = config.getOptionalString('username');
  const password = config.getOptionalString('password');
  if (bearerToken && username) {
    throw new Error(
      `${path}: give either bearerToken or username and password, not both`,
    );
  }
  if (Boolean(username) !== Boolean(password)) {
    throw new Error(`${path}: username and password go together`);
  }
  let auth: PrometheusAuth | undefined;
  if (bearerToken) auth = { bearerToken };
  else if (username && password) auth = { username, password };
  const headersConfig = config.getOptionalConfig('headers');
  const headers = Object.fromEntries(
    (headersConfig?.keys() ?? []).map(k => [k, headersConfig!.getString(k)]),
  );
  const timeoutSeconds = config.getOptionalNumber('timeoutSeconds');
  return new PrometheusClient({
    url,
    auth,
    headers,
    timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined,
  });
}

/**
 * The usage service of `aiGateway.metrics`, or undefined when no Prometheus
 * is configured (the portal then says what to configure, see
 * {@link usageNotConfiguredMessage}).
 *
 * ```yaml
 * aiGateway:
 *   metrics:
 *     prometheus: { url: http://prometheus.monitoring:9090 }
 *     clusters:
 *       prod-eu: { prometheus: { url: https://prom.eu.example.com, bearerToken: ${PROM_EU_TOKEN} } }
 * ```
 */
export function createUsageService(options: {
  config: RootConfigService | Config;
  logger: LoggerService;
}): UsageService | undefined {
  const metrics = options.config.getOptionalConfig('aiGateway.metrics');
  const globalConfig = metrics?.getOptionalConfig('prometheus');
  const global = globalConfig
    ? readPrometheus(globalConfig, 'aiGateway.metrics.prometheus')
    : undefined;
  const clustersConfig = metrics?.getOptionalConfig('clusters');
  const clusters: Record<string, PrometheusClient> = {};
  for (const cluster of clustersConfig?.keys() ?? []) {
    const path = `aiGateway.metrics.clusters.${cluster}.prometheus`;
    clusters[cluster] = readPrometheus(
      clustersConfig!.getConfig(cluster).getConfig('prometheus'),
      path,
    );
  }
  if (!global && Object.keys(clusters).length === 0) {
    options.logger.info(usageNotConfiguredMessage);
    return undefined;
  }
  options.logger.info(
    `Usage is read from Prometheus: ${[
      ...(global ? [`${global.url} (every cluster)`] : []),
      ...Object.entries(clusters).map(([c, p]) => `${p.url} (cluster ${c})`),
    ].join(', ')}`,
  );
  return new PrometheusUsageService({
    global,
    clusters,
    defaultMaxPoints: metrics?.getOptionalNumber('maxPoints'),
    minStepSeconds: metrics?.getOptionalNumber('minStepSeconds'),
  });
}
