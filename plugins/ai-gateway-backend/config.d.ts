export interface Config {
  aiGateway?: {
    /**
     * Where operators reach the control plane (agent and gitops delivery).
     * Defaults to the external base URL of the ai-gateway plugin.
     */
    controlPlaneUrl?: string;
    /** The MCP registry API the backend serves (`/v0.1/servers`). */
    mcpRegistry?: {
      /**
       * The reverse-DNS namespace of server names: `<namespace>/<MCP server
       * name>` (default `io.backstage.ai-gateway`).
       */
      namespace?: string;
      /**
       * MCP registries (the official registry API, `GET /v0.1/servers`) whose
       * entries users can deploy from the portal ("Deploy from an MCP registry
       * entry"). The backend reads them on the user's behalf.
       */
      /**
       * The software catalog as a source (named `catalog`): API entities of
       * type `mcp-server` whose definition is a server.json, read with the
       * user's credentials.
       */
      catalog?: {
        /** Offer the catalog's entries (default true). */
        enabled?: boolean;
      };
      sources?: Array<{
        /** The name users pick and URLs carry (letters, digits, `-`, `_`, `.`). */
        name: string;
        /** The registry's base URL, e.g. https://registry.modelcontextprotocol.io */
        url: string;
        /**
         * Headers sent with every request to this registry (e.g. Authorization).
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /** How long a request to this registry may take, in seconds (default 10). */
        timeoutSeconds?: number;
      }>;
    };
    health?: {
      /** How often every pool's phase is re-derived and direct pools reconciled (default 15). */
      intervalSeconds?: number;
    };
    demoData?: {
      /** Load the demo objects into an empty store at start-up. */
      enabled?: boolean;
      /** Directory with projects.yaml, pools.yaml, mcp-servers.yaml, ai-backends.yaml, policies.yaml (relative to the backend's working directory). */
      directory?: string;
    };
    /**
     * Where usage (tokens, cost, requests, latency) is read from: a Prometheus
     * that scrapes the gateways. A pool's usage is read from the Prometheus of
     * its cluster (`clusters.<cluster name>`), else from the global one;
     * usage across pools adds up every configured Prometheus. Without any,
     * usage views say what to configure.
     */
    metrics?: {
      prometheus?: AiGatewayPrometheusConfig;
      /** Per cluster (the pool's `cluster.name`), for a Prometheus inside each cluster. */
      clusters?: {
        [cluster: string]: {
          prometheus:
            | AiGatewayPrometheusConfig
            | AiGatewayInClusterPrometheusConfig;
        };
      };
      /** Points of a usage time series unless the caller asks for fewer or more (default 200). */
      maxPoints?: number;
      /** The finest step of a usage time series, e.g. the scrape interval (default 15). */
      minStepSeconds?: number;
    };
    /** The live contracts of MCP servers (tools, resources, prompts). */
    contracts?: {
      /**
       * `target` (default): a remote MCP server is read at its own URL (not
       * when it needs a secret: the backend does not read secrets), every
       * other one through its gateway; `gateway`: every server through its
       * gateway URL, as clients see it.
       */
      connectVia?: 'target' | 'gateway';
      /**
       * The Authorization header the scheduled check sends to a pool's
       * gateway, by pool name (e.g. `Bearer ${CONTRACT_CHECK_TOKEN}` for a
       * pool whose JWT policy requires one). Sent only when a server is read
       * through its gateway, never to a remote server itself.
       * @visibility secret
       */
      gatewayAuthorization?: { [pool: string]: string };
      /** How often every MCP server's contract is checked for drift (default 1 hour). */
      checkInterval?:
        | string
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
          };
      /** How long one check may take (default 15 seconds). */
      timeout?:
        | string
        | {
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
    };
    /** Budgets (see docs/budgets.md). */
    usage?: {
      /**
       * Prices of models per million tokens, in US dollars, to cost the
       * usage of models agentgateway reports no cost for. Keys are model
       * names as clients ask for them (`gpt-4o`), or patterns with one `*`
       * first or last (`anthropic/*`, `*-mini`, `*`); an exact name wins over
       * a pattern, a longer pattern over a shorter one.
       */
      prices?: {
        [model: string]: {
          inputPerMillionTokens: number;
          outputPerMillionTokens: number;
        };
      };
      /**
       * How often budgets are evaluated against usage: a duration such as
       * `30s`, `{ seconds: 30 }` or `PT30S`. Default 30 seconds.
       */
      budgetEvaluationInterval?:
        | string
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
          };
    };
  };
}

/** How the backend reaches one Prometheus. */
interface AiGatewayPrometheusConfig {
  /** Base URL of Prometheus's HTTP API (or of Thanos or Mimir in front of it), e.g. http://prometheus.monitoring:9090. */
  url: string;
  /**
   * Sent as `Authorization: Bearer`.
   * @visibility secret
   */
  bearerToken?: string;
  /** Basic auth user name (with `password`). */
  username?: string;
  /**
   * Basic auth password.
   * @visibility secret
   */
  password?: string;
  /** Extra headers on every query, e.g. `X-Scope-OrgID` of a multi-tenant Mimir; values are secret. */
  headers?: {
    /** @visibility secret */
    [name: string]: string;
  };
  /** Per query attempt (default 15); transient failures are retried twice. */
  timeoutSeconds?: number;
}

/**
 * A Prometheus inside the pool's cluster, reached through the cluster's API
 * server (its service proxy) with the cluster's credentials from
 * `kubernetes.clusterLocatorMethods` (type `config`, a service-account
 * token), as the Kubernetes plugin reaches the cluster. The account needs
 * `get` and `create` on `services/proxy` in the service's namespace (resource
 * name `<scheme>:<name>:<port>`, e.g. `http:prometheus-k8s:9090`).
 */
interface AiGatewayInClusterPrometheusConfig {
  service: {
    /** Namespace of Prometheus's Service, e.g. `monitoring`. */
    namespace: string;
    /** Name of the Service, e.g. `prometheus-k8s`. */
    name: string;
    /** Its port, a number or the port's name (default 9090). */
    port?: number | string;
    /** `http` (default) or `https`. */
    scheme?: 'http' | 'https';
  };
  /** Extra headers on every query; values are secret. */
  headers?: {
    /** @visibility secret */
    [name: string]: string;
  };
  /** Seconds per query attempt (default 15). */
  timeoutSeconds?: number;
}
