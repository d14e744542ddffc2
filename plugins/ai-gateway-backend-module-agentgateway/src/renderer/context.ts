import {
  AiBackend,
  McpServer,
  Pool,
  PoolHosts,
  poolHosts,
  poolImages,
  poolWildcardDomain,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  kubernetesName,
  servedObjectName,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  POOL_LABEL,
  STAGE_LABEL,
  type ManifestMetadata,
  type ManifestStage,
  type PoolDesiredState,
  type RenderOptions,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';

export const GATEWAY_CLASS = 'agentgateway';
export const AGENTGATEWAY_API = 'agentgateway.dev/v1alpha1';
export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
/** The label the Gateway API controller puts on a Gateway's pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Header carrying the requested model, set before routing (model-name routing). */
export const MODEL_HEADER = 'x-ai-gateway-model';

/**
 * Names, labels and hosts of one pool's objects, so every part of the
 * renderer agrees on them.
 */
export class PoolRenderContext {
  readonly pool: Pool;
  readonly namespace: string;
  readonly hosts: PoolHosts;
  readonly images: ReturnType<typeof poolImages>;
  readonly warnings: string[] = [];
  readonly #mcpServers: Map<string, McpServer>;
  readonly #aiBackends: Map<string, AiBackend>;
  /** Project name → owner (a catalog group ref), as far as the render input says. */
  readonly #owners: Map<string, string>;
  /** Whether the render input lists projects at all (tools may render without). */
  readonly projectsGiven: boolean;

  constructor(state: PoolDesiredState, readonly options: RenderOptions) {
    this.pool = state.pool;
    this.namespace = state.pool.namespace;
    this.hosts = poolHosts(state.pool);
    this.images = poolImages(state.pool, options.defaultImages);
    this.#mcpServers = new Map(state.mcpServers.map(s => [s.name, s]));
    this.#aiBackends = new Map(state.aiBackends.map(b => [b.name, b]));
    this.#owners = new Map((state.projects ?? []).map(p => [p.name, p.owner]));
    this.projectsGiven = state.projects !== undefined;
  }

  /** The Gateway, its generated Deployment and Service share the pool's name. */
  get gatewayName(): string {
    return this.pool.name;
  }

  get operatorName(): string {
    return 'aigw-operator';
  }

  get operatorServiceAccount(): string {
    return this.pool.serviceAccount ?? this.operatorName;
  }

  get enrollmentTokenSecret(): string {
    return 'aigw-enrollment-token';
  }

  /** The pool's rate-limit service (Envoy's ratelimit, counting in Redis). */
  get rateLimitServiceName(): string {
    return this.name(this.pool.name, 'ratelimit');
  }

  /**
   * The rate-limit domain of the pool's counters: part of every Redis key,
   * so pools that share a manual Redis never share a budget.
   */
  get rateLimitDomain(): string {
    return `ai-gateway.${this.pool.name}`;
  }

  /** The Secret holding the wildcard certificate the listeners serve. */
  get tlsSecretName(): string {
    return this.pool.tls.mode === 'provided'
      ? this.pool.tls.wildcardSecretName
      : this.name(this.pool.name, 'wildcard-tls');
  }

  get wildcardDomain(): string {
    return poolWildcardDomain(this.pool);
  }

  name(...parts: string[]): string {
    return kubernetesName(parts);
  }

  mcpServerName(server: string): string {
    return servedObjectName('mcpServer', server);
  }

  aiBackendName(backend: string): string {
    return servedObjectName('aiBackend', backend);
  }

  mcpServer(name: string): McpServer | undefined {
    return this.#mcpServers.get(name);
  }

  aiBackend(name: string): AiBackend | undefined {
    return this.#aiBackends.get(name);
  }

  /** The owner group of a project, when the render input names it. */
  projectOwner(project: string): string | undefined {
    return this.#owners.get(project);
  }

  /** In-cluster DNS name of a Service of the pool. */
  serviceHost(service: string, namespace = this.namespace): string {
    return `${service}.${namespace}.svc.cluster.local`;
  }

  labels(component: string, stage: ManifestStage = 'runtime', name?: string) {
    return {
      'app.kubernetes.io/name': name ?? component,
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': 'ai-gateway',
      'app.kubernetes.io/instance': this.pool.name,
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      [POOL_LABEL]: this.pool.name,
      [STAGE_LABEL]: stage,
    };
  }

  /** The labels a workload's selector matches (a stable subset of `labels`). */
  selector(component: string, name?: string) {
    return {
      'app.kubernetes.io/name': name ?? component,
      'app.kubernetes.io/instance': this.pool.name,
    };
  }

  meta(
    name: string,
    component: string,
    options: {
      stage?: ManifestStage;
      workloadName?: string;
      annotations?: Record<string, string>;
    } = {},
  ): ManifestMetadata {
    const annotations = options.annotations ?? {};
    return {
      name,
      namespace: this.namespace,
      labels: this.labels(component, options.stage, options.workloadName),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    };
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** A parsed image reference: registry/repository[:tag][@digest]. */
export function parseImage(image: string): {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
} {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  // Docker's rule: the first part is a registry when it looks like a host.
  const hasRegistry =
    slash !== -1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    ...(hasRegistry ? { registry: first } : {}),
    repository: hasRegistry ? rest.slice(slash + 1) : rest,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Go duration for seconds, as the CRDs expect (`90s`, `5m`). */
export function goDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
