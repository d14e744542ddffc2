/**
 * An in-memory Kubernetes API server for tests and benchmarks.
 *
 * It speaks enough of the API's wire format (discovery, CRUD, list
 * selectors, merge/JSON patches, server-side apply with field ownership,
 * watches) that the real `@kubernetes/client-node` works against it
 * unchanged, so client code is tested without a cluster.
 */
import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FieldManager,
  trackedLeaves,
} from './kubernetesApiTestServer/fieldManagers';
import { clone, JsonObject } from './kubernetesApiTestServer/json';
import {
  Operations,
  Reply,
  ResourceRequest,
} from './kubernetesApiTestServer/operations';
import {
  apiVersionOf,
  DEFAULT_RESOURCE_TYPES,
  ResourceCatalog,
  ResourceType,
} from './kubernetesApiTestServer/resources';
import {
  methodNotAllowed,
  resolveRoute,
  ResourceRoute,
  verbOf,
} from './kubernetesApiTestServer/routes';
import {
  ApiError,
  forbidden,
  reasonForCode,
  unauthorized,
} from './kubernetesApiTestServer/status';
import {
  metadataOf,
  ObjectStore,
  timestamp,
} from './kubernetesApiTestServer/store';
import { WatchHub } from './kubernetesApiTestServer/watch';

export type { ResourceType } from './kubernetesApiTestServer/resources';

/** @public */
export type KubernetesApiTestServerOptions = {
  /** Bearer token every request must carry (default `test-token`). */
  token?: string;
  /** Namespaces that exist at start (default `default`, `ai-gateway`). */
  namespaces?: string[];
  /**
   * API groups served in discovery and on resource URLs (default `all`).
   * Leave a group out to simulate CRDs that are not installed. The core
   * group is always served.
   */
  apiGroups?: 'all' | string[];
  /** How long simulated controllers take to report objects ready (default 0). */
  readinessDelayMs?: number;
  /** Extra resource types (e.g. more CRDs), served like the built-in table. */
  resourceTypes?: ResourceType[];
};

/** @public */
export type RecordedRequest = {
  method: string;
  /** URL path without the query string. */
  path: string;
  query?: string;
  contentType?: string;
  fieldManager?: string;
  status: number;
};

/** @public */
export type FaultSpec = {
  code: number;
  reason?: string;
  message?: string;
  /** Which requests fail; unset fields match any. Discovery requests never match. */
  matching?: {
    method?: string;
    kind?: string;
    namespace?: string;
    name?: string;
  };
};

/**
 * What an RBAC rule sees of a request.
 *
 * @public
 */
export type AuthorizationRequest = {
  verb: string;
  namespace?: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
};

/** The user named in RBAC denials. */
const USER = 'test';

/** @public */
export class KubernetesApiTestServer {
  /** Every request answered, in order (not those refused while unreachable). */
  readonly requests: RecordedRequest[] = [];

  private readonly token: string;
  private readonly catalog: ResourceCatalog;
  private readonly store: ObjectStore;
  private readonly operations: Operations;
  private readonly server: http.Server;
  private port = 0;
  private unreachable = false;
  private stopped = false;
  private faults: Array<{ remaining: number; spec: FaultSpec }> = [];
  private rules: Array<(request: AuthorizationRequest) => boolean> = [];
  private readonly watches: WatchHub;

  static async start(
    options: KubernetesApiTestServerOptions = {},
  ): Promise<KubernetesApiTestServer> {
    const server = new KubernetesApiTestServer(options);
    await server.listen();
    return server;
  }

  private constructor(options: KubernetesApiTestServerOptions) {
    this.token = options.token ?? 'test-token';
    const groups = options.apiGroups ?? 'all';
    this.catalog = new ResourceCatalog(
      [...DEFAULT_RESOURCE_TYPES, ...(options.resourceTypes ?? [])],
      group => group === '' || groups === 'all' || groups.includes(group),
    );
    this.store = new ObjectStore(options.readinessDelayMs ?? 0);
    this.operations = new Operations(this.store);
    this.watches = new WatchHub(this.store);
    for (const namespace of options.namespaces ?? ['default', 'ai-gateway']) {
      this.put({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    }
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    // Re-listening after setUnreachable(false) can only fail if another
    // process took the port meanwhile; clients then see connection errors.
    this.server.on('error', () => {});
    this.server.on('listening', () => {
      if (this.stopped) this.server.close();
    });
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A client configuration for this server: cluster, user and context `test`. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'test', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'test', token: this.token }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    return kc;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.store.close();
    this.watches.closeAll(false);
    if (!this.server.listening) return;
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- state inspection and seeding ----

  /** Stored objects (copies), optionally filtered, as raw JSON (timestamps are strings). */
  objects(
    filter: { apiVersion?: string; kind?: string; namespace?: string } = {},
  ): KubernetesObject[] {
    return this.store
      .all()
      .filter(entry => {
        const { type } = entry;
        if (filter.apiVersion && apiVersionOf(type) !== filter.apiVersion)
          return false;
        if (filter.kind && type.kind !== filter.kind) return false;
        if (
          filter.namespace !== undefined &&
          metadataOf(entry.object).namespace !== filter.namespace
        ) {
          return false;
        }
        return true;
      })
      .map(entry => clone(entry.object) as KubernetesObject);
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const type = this.typeOf(apiVersion, kind);
    const entry = this.store.find(
      type,
      this.namespaceFor(type, namespace),
      name,
    );
    return entry ? (clone(entry.object) as KubernetesObject) : undefined;
  }

  /**
   * Seeds an object, replacing any existing one, without validation. A given
   * status is kept; a missing namespace is created. With `fieldManager` the
   * object's fields are owned by that manager (operation `Update`, or `Apply`
   * to simulate another applier), so applies can conflict with it.
   */
  put(
    object: KubernetesObject,
    options: { fieldManager?: string; operation?: 'Apply' | 'Update' } = {},
  ): void {
    const json = JSON.parse(JSON.stringify(object)) as JsonObject;
    const type = this.typeOf(String(json.apiVersion), String(json.kind));
    const metadata = metadataOf(json);
    if (typeof metadata.name !== 'string' || !metadata.name) {
      throw new Error('put: metadata.name is required');
    }
    const namespace = this.namespaceFor(
      type,
      metadata.namespace as string | undefined,
    );
    if (type.namespaced) {
      metadata.namespace = namespace;
      if (!this.store.namespaceExists(namespace)) {
        this.put({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace },
        });
      }
    }
    const existing = this.store.find(type, namespace, metadata.name);
    if (existing) this.store.remove(existing);
    const managers: FieldManager[] = options.fieldManager
      ? [
          {
            manager: options.fieldManager,
            operation: options.operation ?? 'Update',
            apiVersion: apiVersionOf(type),
            time: timestamp(),
            fields: new Set(trackedLeaves(json).keys()),
          },
        ]
      : [];
    this.store.insert(type, json, managers, { seed: true });
  }

  // ---- faults ----

  /** The next `count` matching resource requests fail with a Status of `error.code`. */
  failNext(count: number, error: FaultSpec): void {
    if (count > 0) this.faults.push({ remaining: count, spec: error });
  }

  /**
   * While unreachable the server does not listen and open connections are
   * destroyed, so clients see ECONNREFUSED (or ECONNRESET mid-request).
   * Becoming reachable again listens on the same port; state is kept.
   */
  setUnreachable(unreachable: boolean): void {
    if (unreachable === this.unreachable || this.stopped) return;
    this.unreachable = unreachable;
    if (unreachable) {
      this.watches.closeAll(true);
      this.server.close();
      this.server.closeAllConnections();
    } else {
      this.server.listen(this.port, '127.0.0.1');
    }
  }

  /**
   * Requests matching `rule` are answered 403 Forbidden, as RBAC would.
   * Returns a function that removes the rule.
   */
  forbid(rule: (request: AuthorizationRequest) => boolean): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter(r => r !== rule);
    };
  }

  // ---- simulated controllers ----

  /**
   * Overrides an object's status; it wins over the simulated controller,
   * also for an object created later under that name. `undefined` removes
   * the override.
   */
  setStatus(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    status: unknown,
  ): void {
    const type = this.typeOf(apiVersion, kind);
    this.store.setStatusOverride(
      type,
      this.namespaceFor(type, namespace),
      name,
      status,
    );
  }

  /** Turns the simulated controllers off (statuses stay as they are) or on. */
  setControllers(enabled: boolean): void {
    this.store.setControllers(enabled);
  }

  // ---- internals ----

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const type = this.catalog.byKind(apiVersion, kind);
    if (!type) throw new Error(`Unknown resource type ${apiVersion} ${kind}`);
    return type;
  }

  private namespaceFor(
    type: ResourceType,
    namespace: string | undefined,
  ): string {
    return type.namespaced ? namespace || 'default' : '';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (this.unreachable) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      if (this.unreachable) {
        req.socket.destroy();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const contentType = (req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim();
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        ...(url.search ? { query: url.search.slice(1) } : {}),
        ...(contentType ? { contentType } : {}),
        ...(url.searchParams.get('fieldManager')
          ? { fieldManager: url.searchParams.get('fieldManager')! }
          : {}),
        status: 0,
      };
      const reply = (
        code: number,
        body: unknown,
        headers: Record<string, string> = {},
      ) => {
        record.status = code;
        this.requests.push(record);
        const text = JSON.stringify(body);
        res.writeHead(code, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
          ...headers,
        });
        res.end(text);
      };
      try {
        const result = this.dispatch(
          req,
          res,
          url,
          contentType,
          Buffer.concat(chunks),
          record,
        );
        if (result) reply(result.code, result.body);
      } catch (error) {
        if (error instanceof ApiError) {
          const headers: Record<string, string> =
            error.details?.retryAfterSeconds !== undefined
              ? { 'Retry-After': String(error.details.retryAfterSeconds) }
              : {};
          reply(error.code, error.toStatus(), headers);
        } else {
          reply(
            500,
            new ApiError(500, 'InternalError', String(error)).toStatus(),
          );
        }
      }
    });
  }

  /** Answers a request; undefined when the response is streamed (watch). */
  private dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    contentType: string,
    body: Buffer,
    record: RecordedRequest,
  ): Reply | undefined {
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      throw unauthorized();
    }
    const method = req.method ?? 'GET';
    const route = resolveRoute(
      this.catalog,
      url.pathname,
      `127.0.0.1:${this.port}`,
    );
    if ('discovery' in route) {
      if (method !== 'GET') throw methodNotAllowed();
      return { code: 200, body: route.discovery };
    }
    const { type, namespace, name, subresource } = route;
    const query = url.searchParams;
    const verb = verbOf(method, route, query);
    this.injectFault(method, route);
    const denied = this.rules.some(rule =>
      rule({
        verb,
        ...(namespace !== undefined ? { namespace } : {}),
        group: type.group,
        resource: type.plural,
        ...(subresource ? { subresource } : {}),
        ...(name !== undefined ? { name } : {}),
      }),
    );
    if (denied) throw forbidden(USER, verb, type, namespace, name, subresource);
    const request: ResourceRequest = {
      ...route,
      query,
      contentType,
      body,
      // The real server names unnamed writers after their user agent's product.
      fieldManager:
        query.get('fieldManager') ||
        (req.headers['user-agent'] ?? 'unknown').split('/')[0].slice(0, 128),
    };
    switch (verb) {
      case 'get':
        return this.operations.get(request);
      case 'list':
        return this.operations.list(request);
      case 'watch':
        record.status = 200;
        this.requests.push(record);
        this.watches.open(res, request);
        return undefined;
      case 'create':
        return this.operations.create(request);
      case 'update':
        return this.operations.replace(request);
      case 'patch':
        return this.operations.patch(request);
      case 'delete':
        return this.operations.delete(request);
      case 'deletecollection':
        return this.operations.deleteCollection(request);
      default:
        throw methodNotAllowed();
    }
  }

  private injectFault(method: string, route: ResourceRoute) {
    const fault = this.faults.find(({ spec: { matching: m = {} } }) => {
      if (m.method && m.method.toUpperCase() !== method) return false;
      if (m.kind && m.kind !== route.type.kind) return false;
      if (m.namespace !== undefined && m.namespace !== route.namespace) {
        return false;
      }
      return m.name === undefined || m.name === route.name;
    });
    if (!fault) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0)
      this.faults = this.faults.filter(f => f !== fault);
    const { code, reason, message } = fault.spec;
    throw new ApiError(
      code,
      reason ?? reasonForCode(code),
      message ?? `injected failure (${code})`,
      code === 429 || code === 503 ? { retryAfterSeconds: 1 } : {},
    );
  }
}
