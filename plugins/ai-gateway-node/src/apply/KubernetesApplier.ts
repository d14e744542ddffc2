import {
  ApiException,
  createConfiguration,
  HttpMethod,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  RequestContext,
  SecurityAuthentication,
  ServerConfiguration,
  V1APIResource,
} from '@kubernetes/client-node';
import https from 'node:https';
import { APPLY_ORDER, compareForApply } from '../manifests/ManifestBundle';
import { objectRef, type ManifestObject } from '../manifests/types';

/**
 * The field manager of every server-side apply by the suite.
 *
 * @public
 */
export const FIELD_MANAGER = 'ai-gateway';

/** KubernetesObjectApi with its discovery and a faithful server-side apply. */
class ApplyingObjectApi extends KubernetesObjectApi {
  discover(
    apiVersion: string,
    kind: string,
  ): Promise<V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }

  /**
   * Server-side apply of the object exactly as rendered, with
   * `fieldValidation=Strict` (as `kubectl apply` asks): a field the schema
   * does not know is an error, not a warning. client-node's `patch()` sends
   * built-in kinds through its typed models, which drop fields they do not
   * know (and `x-kubernetes-*` keys spelled as in YAML), so the server could
   * never refuse them.
   */
  async serverSideApply(
    object: KubernetesObject,
    options: { fieldManager: string; dryRun?: boolean },
  ): Promise<KubernetesObject> {
    const path = await this.specUriPath(object, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(
      path,
      HttpMethod.PATCH,
    );
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    request.setQueryParam('fieldManager', options.fieldManager);
    request.setQueryParam('force', 'true');
    request.setQueryParam('fieldValidation', 'Strict');
    if (options.dryRun) request.setQueryParam('dryRun', 'All');
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request);
  }
}

/**
 * The kubeconfig's authentication, plus a deadline for every request (an API
 * server that accepts a connection and never answers would otherwise hold the
 * operator's loop forever) and one keep-alive agent for every request:
 * client-node makes a new agent per request, so each request opened a TLS
 * connection of its own (a 600-object apply to a real API server made 655
 * connections and ran about 3.5 times slower than over 8 kept-alive ones).
 */
function authentication(
  kubeConfig: KubeConfig,
  requestTimeoutMs: number,
): SecurityAuthentication {
  const cluster = kubeConfig.getCurrentCluster();
  // Proxies and plain HTTP keep client-node's own agents.
  const keepAlive = cluster?.server.startsWith('https:') && !cluster.proxyUrl;
  let agent: Promise<https.Agent> | undefined;
  const createAgent = async () => {
    const tls: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(tls);
    return new https.Agent({
      keepAlive: true,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      pfx: tls.pfx,
      passphrase: tls.passphrase,
      servername: cluster?.tlsServerName,
      ...(cluster?.skipTLSVerify ? { rejectUnauthorized: false } : {}),
    });
  };
  return {
    getName: () => kubeConfig.getName(),
    async applySecurityAuthentication(context: RequestContext) {
      await kubeConfig.applySecurityAuthentication(context);
      if (keepAlive) {
        agent ??= createAgent();
        context.setAgent(await agent);
      }
      context.setSignal(AbortSignal.timeout(requestTimeoutMs));
    },
  };
}

function applyingObjectApi(
  kubeConfig: KubeConfig,
  requestTimeoutMs: number,
): ApplyingObjectApi {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return new ApplyingObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: authentication(kubeConfig, requestTimeoutMs) },
    }),
  );
}

/** @public */
export type ObjectOutcome = {
  ref: string;
  apiVersion: string;
  kind: string;
  name: string;
};

/** @public */
export type ApplyFailure = ObjectOutcome & {
  /** HTTP status from the API server, 0 when it could not be reached. */
  code: number;
  message: string;
};

/** @public */
export type ApplyResult = {
  applied: ObjectOutcome[];
  pruned: ObjectOutcome[];
  failed: ApplyFailure[];
  /** Objects skipped because an earlier wave failed. */
  skipped: ObjectOutcome[];
  durationMs: number;
};

/** @public */
export type ApplyProgress =
  | { type: 'wave'; kind: string; count: number }
  | { type: 'applied'; ref: string }
  | { type: 'retry'; ref: string; attempt: number; message: string }
  | { type: 'failed'; ref: string; message: string }
  | { type: 'pruned'; ref: string };

/** @public */
export type ApplyOptions = {
  /** Objects of these kinds with this label selector and not desired are deleted. */
  prune?: {
    labelSelector: string;
    kinds: Array<{ apiVersion: string; kind: string }>;
  };
  /** Parallel requests within one wave (objects of one kind). Default 8. */
  concurrency?: number;
  /** Attempts per request for retryable errors (5xx, 429, 409, network). Default 5. */
  attempts?: number;
  /** First retry delay; doubles per attempt, with jitter. Default 200 ms. */
  backoffMs?: number;
  /** Server-side dry run: validated by the API server, nothing stored. */
  dryRun?: boolean;
  /** Field manager of the applies (default `ai-gateway`). */
  fieldManager?: string;
  /**
   * Apply later waves even after a failure (and skip pruning), to hear every
   * object's verdict, e.g. in a dry run. Default false: stop at a broken wave.
   */
  continueOnFailure?: boolean;
  onProgress?: (event: ApplyProgress) => void;
};

/** @public */
export type PreflightProblem = {
  /** What is wrong, in words an operator acts on. */
  message: string;
  code:
    | 'NamespaceForbidden'
    | 'NamespaceMissing'
    | 'CrdMissing'
    | 'GatewayClassMissing'
    | 'Unreachable'
    | 'ClusterScoped';
};

/**
 * Why a request failed, from the API server's Status body when there is one.
 *
 * @public
 */
export function describeError(error: unknown): {
  code: number;
  message: string;
} {
  if (error instanceof ApiException) {
    let body: any = error.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // keep the text
      }
    }
    const causes: string[] = (body?.details?.causes ?? []).map(
      (c: { field?: string; message?: string }) =>
        c.field ? `${c.field}: ${c.message}` : `${c.message}`,
    );
    const message =
      (typeof body === 'object' && body?.message) ||
      (typeof body === 'string' && body) ||
      `HTTP ${error.code}`;
    return {
      code: error.code,
      message:
        causes.length && !message.includes(causes[0])
          ? `${message} (${causes.join('; ')})`
          : message,
    };
  }
  const e = error as {
    code?: string;
    message?: string;
    cause?: { code?: string };
  };
  const code = e?.cause?.code ?? e?.code;
  return {
    code: 0,
    message: code ? `${code}: ${e.message}` : e?.message ?? String(error),
  };
}

function isRetryable({ code, message }: { code: number; message: string }) {
  // The API server answers an apply with a field its schema lacks with a 500
  // ("failed to create typed patch object"): no retry will change that.
  if (code === 500 && message.startsWith('failed to create typed patch object'))
    return false;
  return code === 0 || code === 409 || code === 429 || code >= 500;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function outcome(o: {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}): ObjectOutcome {
  return {
    ref: objectRef(o),
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

/**
 * Applies a pool's objects to one namespace of a cluster with server-side
 * apply (field manager `ai-gateway`), in dependency order (one wave per kind,
 * bounded concurrency within a wave), retrying transient errors with
 * backoff, then prunes labelled objects that are no longer desired. Used by
 * the control plane (direct delivery) and by the operator (agent delivery).
 *
 * @public
 */
export class KubernetesApplier {
  readonly #api: ApplyingObjectApi;
  readonly #namespace: string;

  constructor(
    kubeConfig: KubeConfig,
    options: {
      namespace: string;
      /** Deadline of each request to the API server; a timed-out request is retried like a network error. Default 30 s. */
      requestTimeoutMs?: number;
    },
  ) {
    this.#api = applyingObjectApi(
      kubeConfig,
      options.requestTimeoutMs ?? 30_000,
    );
    this.#namespace = options.namespace;
  }

  get namespace(): string {
    return this.#namespace;
  }

  /**
   * Checks before a first apply, so a person gets one clear message instead
   * of a wall of failed objects: the namespace exists and may be written, the
   * API groups of the bundle (agentgateway CRDs, Gateway API) are installed,
   * the agentgateway GatewayClass exists, and nothing is cluster-scoped.
   */
  async preflight(objects: ManifestObject[]): Promise<PreflightProblem[]> {
    const problems: PreflightProblem[] = [];
    try {
      // Listing in a missing namespace answers an empty list, so ask for it;
      // a namespace-scoped identity may not read Namespaces (403: go on).
      await this.#api.read({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: this.#namespace },
      });
    } catch (error) {
      const { code, message } = describeError(error);
      if (code === 0) {
        return [
          {
            code: 'Unreachable',
            message: `the Kubernetes API server cannot be reached: ${message}`,
          },
        ];
      }
      if (code === 404) {
        return [
          {
            code: 'NamespaceMissing',
            message: `namespace ${
              this.#namespace
            } does not exist; create it first`,
          },
        ];
      }
    }
    try {
      await this.#api.list(
        'v1',
        'ConfigMap',
        this.#namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        1,
      );
    } catch (error) {
      const { code, message } = describeError(error);
      if (code === 0) {
        return [
          {
            code: 'Unreachable',
            message: `the Kubernetes API server cannot be reached: ${message}`,
          },
        ];
      }
      if (code === 403) {
        problems.push({
          code: 'NamespaceForbidden',
          message: `namespace ${
            this.#namespace
          } is not allowed for this identity (${message}); the operator needs the RoleBindings of its bootstrap there (re-apply the bootstrap), a person installing needs the deployer Role (GET /pools/:name/rbac/deployer-role)`,
        });
      }
    }
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    for (const o of objects)
      kinds.set(`${o.apiVersion}/${o.kind}`, {
        apiVersion: o.apiVersion,
        kind: o.kind,
      });
    const missing = new Set<string>();
    for (const { apiVersion, kind } of kinds.values()) {
      const resource = await this.#discover(apiVersion, kind);
      if (resource === 'missing') {
        missing.add(`${kind} (${apiVersion})`);
      } else if (resource && !resource.namespaced) {
        problems.push({
          code: 'ClusterScoped',
          message: `${kind} is cluster-scoped; a pool only manages objects in its namespace`,
        });
      }
    }
    if (missing.size) {
      const agentgateway = [...missing].some(m =>
        m.includes('agentgateway.dev'),
      );
      problems.push({
        code: 'CrdMissing',
        message: `the cluster does not serve ${[...missing].sort().join(', ')}${
          agentgateway
            ? '; install the agentgateway CRDs (helm install agentgateway-crds oci://cr.agentgateway.dev/charts/agentgateway-crds)'
            : '; install the CRDs of these API groups'
        }`,
      });
    }
    const usesGatewayClass = objects.filter(
      o =>
        o.kind === 'Gateway' &&
        o.apiVersion.startsWith('gateway.networking.k8s.io/'),
    );
    for (const className of new Set(
      usesGatewayClass.map(
        g => (g.spec as { gatewayClassName: string }).gatewayClassName,
      ),
    )) {
      try {
        await this.#api.read({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'GatewayClass',
          metadata: { name: className },
        });
      } catch (error) {
        const { code } = describeError(error);
        // A namespace-scoped identity may not read GatewayClasses: not a failure.
        if (code === 404) {
          problems.push({
            code: 'GatewayClassMissing',
            message: `GatewayClass ${className} does not exist; install the agentgateway controller (it creates the class)`,
          });
        }
      }
    }
    return problems;
  }

  async #discover(
    apiVersion: string,
    kind: string,
  ): Promise<V1APIResource | 'missing' | undefined> {
    try {
      return (await this.#api.discover(apiVersion, kind)) ?? 'missing';
    } catch (error) {
      const { code } = describeError(error);
      if (code === 404) return 'missing';
      return undefined;
    }
  }

  /** Server-side applies `objects` in order, then prunes. Never throws for object failures. */
  async apply(
    objects: ManifestObject[],
    options: ApplyOptions = {},
  ): Promise<ApplyResult> {
    const started = Date.now();
    const result: ApplyResult = {
      applied: [],
      pruned: [],
      failed: [],
      skipped: [],
      durationMs: 0,
    };
    const waves = new Map<string, ManifestObject[]>();
    for (const o of [...objects].sort(compareForApply)) {
      const wave = waves.get(o.kind) ?? [];
      wave.push({
        ...o,
        metadata: { ...o.metadata, namespace: this.#namespace },
      });
      waves.set(o.kind, wave);
    }
    const concurrency = options.concurrency ?? 8;
    let stop = false;
    for (const [kind, wave] of waves) {
      if (stop) {
        result.skipped.push(...wave.map(outcome));
        continue;
      }
      options.onProgress?.({ type: 'wave', kind, count: wave.length });
      await mapBounded(wave, concurrency, async object => {
        try {
          await this.#withRetries(objectRef(object), options, () =>
            this.#api.serverSideApply(object as KubernetesObject, {
              fieldManager: options.fieldManager ?? FIELD_MANAGER,
              dryRun: options.dryRun,
            }),
          );
          result.applied.push(outcome(object));
          options.onProgress?.({ type: 'applied', ref: objectRef(object) });
        } catch (error) {
          const { code, message } = describeError(error);
          result.failed.push({ ...outcome(object), code, message });
          options.onProgress?.({
            type: 'failed',
            ref: objectRef(object),
            message,
          });
        }
      });
      // Later waves depend on this one (a route on its backend, a Deployment
      // on its Secret): stop rather than half-apply a broken dependency chain.
      if (result.failed.length && !options.continueOnFailure) stop = true;
    }
    if (options.prune && !result.failed.length && !options.dryRun) {
      await this.#prune(objects, options.prune, options, result);
    }
    result.durationMs = Date.now() - started;
    return result;
  }

  async #prune(
    desired: ManifestObject[],
    prune: NonNullable<ApplyOptions['prune']>,
    options: ApplyOptions,
    result: ApplyResult,
  ) {
    const wanted = new Set(
      desired.map(o => `${o.apiVersion}/${o.kind}/${o.metadata.name}`),
    );
    const kinds = [...prune.kinds].sort(
      (a, b) => APPLY_ORDER.indexOf(b.kind) - APPLY_ORDER.indexOf(a.kind),
    );
    for (const { apiVersion, kind } of kinds) {
      let live: KubernetesObject[];
      try {
        live = (
          await this.#withRetries(`${kind} list`, options, () =>
            this.#api.list(
              apiVersion,
              kind,
              this.#namespace,
              undefined,
              undefined,
              undefined,
              undefined,
              prune.labelSelector,
            ),
          )
        ).items;
      } catch (error) {
        const { code, message } = describeError(error);
        // A kind the cluster does not serve has nothing to prune.
        if (code === 404 || /Unrecognized API version and kind/.test(message))
          continue;
        result.failed.push({
          ref: `${kind} list`,
          apiVersion,
          kind,
          name: '',
          code,
          message,
        });
        continue;
      }
      const stale = live.filter(
        o => !wanted.has(`${apiVersion}/${kind}/${o.metadata?.name}`),
      );
      await mapBounded(stale, options.concurrency ?? 8, async o => {
        const target = {
          apiVersion,
          kind,
          metadata: { name: o.metadata!.name!, namespace: this.#namespace },
        };
        try {
          await this.#withRetries(objectRef(target), options, () =>
            this.#api.delete(
              target,
              undefined,
              undefined,
              undefined,
              undefined,
              'Background',
            ),
          );
          result.pruned.push(outcome(target));
          options.onProgress?.({ type: 'pruned', ref: objectRef(target) });
        } catch (error) {
          const { code, message } = describeError(error);
          if (code === 404) return; // already gone
          result.failed.push({ ...outcome(target), code, message });
        }
      });
    }
  }

  async #withRetries<T>(
    ref: string,
    options: ApplyOptions,
    request: () => Promise<T>,
  ): Promise<T> {
    const attempts = options.attempts ?? 5;
    const base = options.backoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const described = describeError(error);
        if (attempt >= attempts || !isRetryable(described)) throw error;
        options.onProgress?.({
          type: 'retry',
          ref,
          attempt,
          message: described.message,
        });
        const delay = Math.min(base * 2 ** (attempt - 1), 10_000);
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }

  /** The live object, or undefined when it does not exist. */
  async read(object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
  }): Promise<KubernetesObject | undefined> {
    try {
      return await this.#api.read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace: this.#namespace },
      });
    } catch (error) {
      if (describeError(error).code === 404) return undefined;
      throw error;
    }
  }

  /** Labelled objects of the given kinds, for diffs and pruning previews. */
  async list(
    kinds: Array<{ apiVersion: string; kind: string }>,
    labelSelector: string,
  ): Promise<KubernetesObject[]> {
    const out: KubernetesObject[] = [];
    for (const { apiVersion, kind } of kinds) {
      try {
        const list = await this.#api.list(
          apiVersion,
          kind,
          this.#namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        );
        out.push(...list.items.map(item => ({ ...item, apiVersion, kind })));
      } catch (error) {
        const { code, message } = describeError(error);
        if (code === 404 || /Unrecognized API version and kind/.test(message))
          continue;
        throw error;
      }
    }
    return out;
  }
}
