import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConfigClusterConnector } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { Agent, fetch as undiciFetch } from 'undici';
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
 * A Prometheus Service inside a cluster, reached through the cluster's API
 * server (`/api/v1/namespaces/<ns>/services/<scheme>:<name>:<port>/proxy`)
 * with the credentials of `kubernetes.clusterLocatorMethods`: no route from
 * the portal into the cluster's network is needed, only the one to its API
 * server that the Kubernetes plugin already uses.
 */
function readInClusterPrometheus(
  config: Config,
  path: string,
  cluster: string,
  rootConfig: Config,
): PrometheusClient {
  const service = config.getConfig('service');
  const namespace = service.getString('namespace');
  const name = service.getString('name');
  const port = service.getOptional<number | string>('port') ?? 9090;
  const scheme = service.getOptionalString('scheme') ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') {
    throw new Error(`${path}.service.scheme must be http or https`);
  }
  const kubeConfig =
    ConfigClusterConnector.fromConfig(rootConfig).kubeConfig(cluster);
  const server = kubeConfig?.getCurrentCluster();
  if (!kubeConfig || !server) {
    throw new Error(
      `${path}.service needs cluster ${cluster} in kubernetes.clusterLocatorMethods (type config, with a serviceAccountToken) to reach its API server`,
    );
  }
  const token = kubeConfig.getCurrentUser()?.token;
  // The cluster's CA (or none, with skipTLSVerify), as the Kubernetes plugin trusts it.
  const dispatcher = new Agent({
    connect: {
      ca: server.caData
        ? Buffer.from(server.caData, 'base64').toString()
        : undefined,
      rejectUnauthorized: !server.skipTLSVerify,
    },
  });
  const headersConfig = config.getOptionalConfig('headers');
  const timeoutSeconds = config.getOptionalNumber('timeoutSeconds');
  return new PrometheusClient({
    url: `${server.server.replace(
      /\/+$/,
      '',
    )}/api/v1/namespaces/${encodeURIComponent(
      namespace,
    )}/services/${scheme}:${encodeURIComponent(name)}:${encodeURIComponent(
      String(port),
    )}/proxy`,
    auth: token ? { bearerToken: token } : undefined,
    headers: Object.fromEntries(
      (headersConfig?.keys() ?? []).map(k => [k, headersConfig!.getString(k)]),
    ),
    timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined,
    fetch: ((input: string, init?: RequestInit) =>
      undiciFetch(input, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher,
      })) as unknown as typeof fetch,
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
 *       # Through prod-us's API server, with its kubernetes.clusterLocatorMethods credentials:
 *       prod-us: { prometheus: { service: { namespace: monitoring, name: prometheus-k8s, port: 9090 } } }
 * ```
 */
export function createUsageService(options: {
  config: RootConfigService | Config;
  logger: LoggerService;
  /** The clock that decides which pieces of a window have closed (benchmarks). */
  now?: () => number;
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
    const prometheus = clustersConfig!
      .getConfig(cluster)
      .getConfig('prometheus');
    clusters[cluster] = prometheus.has('service')
      ? readInClusterPrometheus(prometheus, path, cluster, options.config)
      : readPrometheus(prometheus, path);
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
    now: options.now,
  });
}
