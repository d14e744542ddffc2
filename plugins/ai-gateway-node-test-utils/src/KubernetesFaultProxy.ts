/**
 * A fault-injecting reverse proxy in front of a real Kubernetes API server,
 * for tests: a real server cannot be made to answer 429, 500 or 409, to be
 * slow or to be gone on demand; this proxy can, and forwards everything else
 * to it unchanged (the client's own Authorization header included).
 */
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { reasonForCode } from './kubernetesApiTestServer/status';

/**
 * The API server the proxy forwards to.
 *
 * @public
 */
export type KubernetesFaultProxyTarget = {
  /** The API server's URL, e.g. `https://127.0.0.1:6443`. */
  url: string;
  /** Its CA: base64-encoded PEM, as a kubeconfig's `certificate-authority-data`. */
  caData?: string;
  /** Accept any certificate of the target. */
  skipTLSVerify?: boolean;
};

/**
 * Which requests a fault or a delay applies to; unset fields match any.
 * Discovery requests (`/api`, `/apis/<group>/<version>`, `/version`, …)
 * never match.
 *
 * @public
 */
export type ProxyRequestMatch = {
  /** HTTP method, e.g. `PATCH` (server-side apply). */
  method?: string;
  /**
   * A kind, matched against the URL's resource by the plural Kubernetes
   * itself guesses for it (`HTTPRoute` → `httproutes`, `NetworkPolicy` →
   * `networkpolicies`); use `resource` for irregular plurals.
   */
  kind?: string;
  /** The URL's resource, e.g. `httproutes`. */
  resource?: string;
  namespace?: string;
  name?: string;
};

/**
 * A failure the proxy answers instead of the API server.
 *
 * @public
 */
export type ProxyFault = {
  /** HTTP status of the `Status` answered instead of forwarding. */
  code: number;
  /** Default: the API server's reason for the code, e.g. `Conflict`. */
  reason?: string;
  message?: string;
  matching?: ProxyRequestMatch;
};

/**
 * One request the proxy received, and how it was answered.
 *
 * @public
 */
export type ProxiedRequest = {
  method: string;
  /** URL path without the query string. */
  path: string;
  query?: string;
  /**
   * The answer's status: the API server's, the injected fault's, 502 when
   * the target could not be reached, 0 while waiting or when the client
   * left before an answer.
   */
  status: number;
  /** Answered by `failNext`, not by the API server. */
  injected?: boolean;
  /** Held back this long by `delayNext` before being forwarded. */
  delayedMs?: number;
};

/** What a resource URL names; undefined for discovery and other URLs. */
type ResourceRequest = {
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
};

/** Namespace subresources, which are not resources inside the namespace. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function resourceRequestOf(path: string): ResourceRequest | undefined {
  const parts = path.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length > 2) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length > 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (
    rest[0] === 'namespaces' &&
    rest.length > 2 &&
    !NAMESPACE_SUBRESOURCES.has(rest[2])
  ) {
    return { group, namespace: rest[1], resource: rest[2], name: rest[3] };
  }
  return { group, resource: rest[0], name: rest[1] };
}

/** The plural of a kind as Kubernetes guesses it (apimachinery's UnsafeGuessKindToResource). */
function guessResource(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

function matches(
  match: ProxyRequestMatch = {},
  method: string,
  request: ResourceRequest,
): boolean {
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.resource && match.resource !== request.resource) return false;
  if (match.kind && guessResource(match.kind) !== request.resource)
    return false;
  if (match.namespace !== undefined && match.namespace !== request.namespace)
    return false;
  return match.name === undefined || match.name === request.name;
}

/** Headers of one connection, not of the request (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

function statusBody(
  code: number,
  reason: string,
  message: string,
  request: ResourceRequest,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: {
      ...(request.name ? { name: request.name } : {}),
      group: request.group,
      kind: request.resource,
      ...(code === 429 || code === 503 ? { retryAfterSeconds: 1 } : {}),
    },
    code,
  };
}

type Counted<T> = { remaining: number; value: T };

/** Takes one use of the first entry `test` accepts; undefined if none does. */
function takeFirst<T>(
  entries: Array<Counted<T>>,
  test: (value: T) => boolean,
): T | undefined {
  const index = entries.findIndex(e => test(e.value));
  if (index < 0) return undefined;
  const entry = entries[index];
  entry.remaining -= 1;
  if (entry.remaining <= 0) entries.splice(index, 1);
  return entry.value;
}

/**
 * A reverse proxy on 127.0.0.1 (plain HTTP) in front of a Kubernetes API
 * server (HTTPS with its CA, or HTTP), for tests that need the API server to
 * fail: `failNext` answers a `Status` instead of forwarding, `delayNext`
 * holds requests back, `setUnreachable` refuses connections and cuts open
 * ones. Everything else, watches included, streams through unchanged with
 * the client's own credentials. Upgrades (exec, port-forward) are not
 * proxied.
 *
 * @public
 */
export class KubernetesFaultProxy {
  /** Every request received while reachable, in order of arrival. */
  readonly requests: ProxiedRequest[] = [];

  readonly #target: URL;
  readonly #agent: http.Agent;
  readonly #server: http.Server;
  #port = 0;
  #unreachable = false;
  #stopped = false;
  readonly #faults: Array<Counted<ProxyFault>> = [];
  readonly #delays: Array<
    Counted<{ ms: number; matching?: ProxyRequestMatch }>
  > = [];

  /** Listens on a free port of 127.0.0.1, forwarding to `target`. */
  static async start(options: {
    target: KubernetesFaultProxyTarget;
  }): Promise<KubernetesFaultProxy> {
    const proxy = new KubernetesFaultProxy(options.target);
    await proxy.#listen();
    return proxy;
  }

  private constructor(target: KubernetesFaultProxyTarget) {
    this.#target = new URL(target.url);
    this.#agent =
      this.#target.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ...(target.caData
              ? { ca: Buffer.from(target.caData, 'base64') }
              : {}),
            ...(target.skipTLSVerify ? { rejectUnauthorized: false } : {}),
          })
        : new http.Agent({ keepAlive: true });
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
    // Re-listening after setUnreachable(false) fails only if another
    // process took the port meanwhile; clients then see connection errors.
    this.#server.on('error', () => {});
  }

  #listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once('error', onError);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.off('error', onError);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** The proxy's URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** A client configuration for the proxy that authenticates with `token`. */
  kubeConfig(token: string, user = 'fault-proxy-user'): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node refuses an http:// server unless TLS verification is
      // off; there is no TLS to verify between a test and 127.0.0.1.
      clusters: [
        { name: 'fault-proxy', server: this.url, skipTLSVerify: true },
      ],
      users: [{ name: user, token }],
      contexts: [{ name: 'fault-proxy', cluster: 'fault-proxy', user }],
      currentContext: 'fault-proxy',
    });
    return kc;
  }

  /** The next `count` matching resource requests are answered with a `Status` of `fault.code`. */
  failNext(count: number, fault: ProxyFault): void {
    if (count > 0) this.#faults.push({ remaining: count, value: fault });
  }

  /**
   * The next `count` matching resource requests are held back `ms` before
   * being forwarded (a slow or hanging API server). A request whose client
   * gives up meanwhile never reaches the API server.
   */
  delayNext(count: number, ms: number, matching?: ProxyRequestMatch): void {
    if (count > 0)
      this.#delays.push({ remaining: count, value: { ms, matching } });
  }

  /**
   * While unreachable the proxy does not listen and open connections
   * (watches, kept-alive ones, held-back requests) are cut, so clients see
   * ECONNREFUSED or ECONNRESET. Reachable again, it listens on the same URL.
   */
  async setUnreachable(unreachable: boolean): Promise<void> {
    if (unreachable === this.#unreachable || this.#stopped) return;
    this.#unreachable = unreachable;
    if (unreachable) {
      await new Promise<void>(resolve => {
        this.#server.close(() => resolve());
        this.#server.closeAllConnections();
      });
    } else {
      await this.#listen();
    }
  }

  /** Stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#agent.destroy();
    if (!this.#server.listening) return;
    await new Promise<void>(resolve => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (this.#unreachable) {
      req.socket.destroy();
      return;
    }
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: ProxiedRequest = {
      method,
      path: url.pathname,
      ...(url.search ? { query: url.search.slice(1) } : {}),
      status: 0,
    };
    this.requests.push(record);
    const resource = resourceRequestOf(url.pathname);
    const delay =
      resource &&
      takeFirst(this.#delays, d => matches(d.matching, method, resource));
    const fault =
      resource &&
      takeFirst(this.#faults, f => matches(f.matching, method, resource));

    if (delay) {
      record.delayedMs = delay.ms;
      const waited = await new Promise<boolean>(resolve => {
        const timer = setTimeout(() => resolve(true), delay.ms);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!waited || this.#unreachable) {
        res.destroy();
        return;
      }
    }

    if (resource && fault) {
      const text = JSON.stringify(
        statusBody(
          fault.code,
          fault.reason ?? reasonForCode(fault.code),
          fault.message ?? `injected failure (${fault.code})`,
          resource,
        ),
      );
      record.status = fault.code;
      record.injected = true;
      res.writeHead(fault.code, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...(fault.code === 429 || fault.code === 503
          ? { 'Retry-After': '1' }
          : {}),
      });
      res.end(text);
      // Drained, so the connection can be kept alive.
      req.resume();
      return;
    }

    this.#forward(req, res, record);
  }

  #forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: ProxiedRequest,
  ) {
    const upstream = (
      this.#target.protocol === 'https:' ? https : http
    ).request({
      protocol: this.#target.protocol,
      hostname: this.#target.hostname,
      port: this.#target.port,
      method: record.method,
      path: req.url,
      headers: { ...endToEnd(req.headers), host: this.#target.host },
      agent: this.#agent,
    });
    upstream.on('response', answer => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(record.status, endToEnd(answer.headers));
      // Watches answer headers at once and events later: send them now.
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', error => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      record.status = 502;
      const text = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `the fault proxy cannot reach ${this.#target.origin}: ${
          error.message
        }`,
        reason: reasonForCode(502),
        code: 502,
      });
      res.writeHead(502, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    });
    // A client that leaves (a watch stopped, a timeout) ends the upstream request.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }
}
