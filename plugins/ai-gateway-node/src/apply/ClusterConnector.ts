import type { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * Connections to the clusters of `kubernetes.clusterLocatorMethods` (the
 * config `@backstage/plugin-kubernetes` reads), for direct delivery. Only the
 * `config` locator with a service-account token is supported: the control
 * plane acts as one identity per cluster.
 *
 * @public
 */
export interface ClusterConnector {
  /** A KubeConfig for the named cluster, or undefined when it is not configured. */
  kubeConfig(cluster: string): KubeConfig | undefined;
  readonly clusters: string[];
}

/**
 * A cluster of `kubernetes.clusterLocatorMethods` (type `config`) as the connector reads it.
 *
 * @public
 */
export type ClusterEntry = {
  name: string;
  url: string;
  serviceAccountToken?: string;
  caData?: string;
  skipTLSVerify?: boolean;
};

/** @public */
export class ConfigClusterConnector implements ClusterConnector {
  readonly #clusters = new Map<string, ClusterEntry>();

  static fromConfig(config: Config): ConfigClusterConnector {
    const entries: ClusterEntry[] = [];
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    for (const method of methods) {
      if (method.getString('type') !== 'config') continue;
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        entries.push({
          name: c.getString('name'),
          url: c.getString('url'),
          serviceAccountToken: c.getOptionalString('serviceAccountToken'),
          caData: c.getOptionalString('caData'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
        });
      }
    }
    return new ConfigClusterConnector(entries);
  }

  constructor(entries: ClusterEntry[]) {
    for (const e of entries) this.#clusters.set(e.name, e);
  }

  get clusters(): string[] {
    return [...this.#clusters.keys()].sort();
  }

  kubeConfig(cluster: string): KubeConfig | undefined {
    const entry = this.#clusters.get(cluster);
    if (!entry) return undefined;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: entry.name,
          server: entry.url,
          caData: entry.caData,
          skipTLSVerify: entry.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'ai-gateway', token: entry.serviceAccountToken }],
      contexts: [{ name: entry.name, cluster: entry.name, user: 'ai-gateway' }],
      currentContext: entry.name,
    });
    return kc;
  }
}
