import { appendFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Upstream = { name: string; port: number };

/** One request through the balancer, as its connection log shows it. */
export type ProxiedRequest = {
  id: number;
  method: string;
  /** Path and query. */
  url: string;
  startedAt: number;
  /** Upstreams tried in order; the last is the one that took the request. */
  tried: string[];
  upstream?: string;
  status?: number;
  /** The response's ETag, unquoted (the bundle's revision on agent pulls). */
  etag?: string;
  endedAt?: number;
  /**
   * `ok`: answered; `reset`: the upstream died mid-request and the client's
   * connection was reset; `unavailable`: no upstream accepted the connection
   * (503); `client-closed`: the client went away first.
   */
  outcome?: 'ok' | 'reset' | 'unavailable' | 'client-closed';
};

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-length',
]);

function forwardable(headers: http.IncomingHttpHeaders) {
  const out: http.OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A round-robin HTTP load balancer in front of the replicas, like a
 * Kubernetes Service: each request goes to the next upstream; an upstream
 * that refuses the connection (its process is gone) is skipped and the next
 * one tried. A request already forwarded is never retried: when its upstream
 * dies mid-request the client's connection is reset, as a client of a killed
 * pod sees it. Keeps a connection log so tests can tell which replica holds
 * a long poll.
 */
export class LoadBalancer {
  readonly log: ProxiedRequest[] = [];
  #next = 0;
  #ids = 0;
  readonly #server: http.Server;

  private constructor(
    readonly upstreams: Upstream[],
    private readonly logFile?: string,
  ) {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#server.keepAliveTimeout = 65_000;
    // Long polls last up to a minute.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 0;
  }

  static async start(
    upstreams: Upstream[],
    options: { port?: number; logFile?: string } = {},
  ): Promise<LoadBalancer> {
    const lb = new LoadBalancer(upstreams, options.logFile);
    await new Promise<void>((resolve, reject) => {
      lb.#server.once('error', reject);
      lb.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return lb;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Requests still open (no answer finished yet), oldest first. */
  inFlight(filter: (r: ProxiedRequest) => boolean = () => true) {
    return this.log.filter(r => r.endedAt === undefined && filter(r));
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #record(entry: ProxiedRequest) {
    if (!this.logFile) return;
    const took =
      entry.endedAt !== undefined ? entry.endedAt - entry.startedAt : '';
    appendFileSync(
      this.logFile,
      `${new Date(entry.startedAt).toISOString()} #${entry.id} ${
        entry.method
      } ${entry.url} -> ${entry.tried.join(',') || '-'} ${entry.status ?? ''} ${
        entry.outcome
      } ${took} ms${entry.etag ? ` etag=${entry.etag}` : ''}\n`,
    );
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const entry: ProxiedRequest = {
      id: ++this.#ids,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      startedAt: Date.now(),
      tried: [],
    };
    this.log.push(entry);
    const finish = (outcome: NonNullable<ProxiedRequest['outcome']>) => {
      if (entry.endedAt !== undefined) return;
      entry.endedAt = Date.now();
      entry.outcome = outcome;
      this.#record(entry);
    };
    // Bodies are small (JSON): buffered, so a refused connection can be
    // retried on the next upstream with the same body.
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = this.#next++ % this.upstreams.length;
      const order = this.upstreams.map(
        (_, i) => this.upstreams[(first + i) % this.upstreams.length],
      );
      let clientGone = false;
      let upstreamReq: http.ClientRequest | undefined;
      res.on('close', () => {
        if (!res.writableFinished) {
          clientGone = true;
          upstreamReq?.destroy();
          finish('client-closed');
        }
      });
      const attempt = (i: number) => {
        if (clientGone) return;
        const upstream = order[i];
        if (!upstream) {
          res.writeHead(503, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { name: 'ServiceUnavailable', message: 'no upstream' },
            }),
          );
          finish('unavailable');
          return;
        }
        entry.tried.push(upstream.name);
        let connected = false;
        upstreamReq = http.request({
          host: '127.0.0.1',
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: {
            ...forwardable(req.headers),
            'content-length': String(body.length),
            'x-forwarded-for': req.socket.remoteAddress ?? '',
          },
          // One connection per request: no pooled socket of a dead upstream.
          agent: false,
        });
        upstreamReq.on('socket', socket => {
          socket.once('connect', () => {
            connected = true;
          });
        });
        upstreamReq.on('response', upstreamRes => {
          entry.upstream = upstream.name;
          entry.status = upstreamRes.statusCode;
          const etag = upstreamRes.headers.etag;
          if (etag) entry.etag = etag.replace(/^W\//, '').replace(/"/g, '');
          res.writeHead(
            upstreamRes.statusCode ?? 502,
            forwardable(upstreamRes.headers),
          );
          upstreamRes.pipe(res);
          upstreamRes.on('error', () => {});
          upstreamRes.on('close', () => {
            if (upstreamRes.complete) {
              finish('ok');
            } else {
              // The upstream died while sending the answer.
              finish('reset');
              res.destroy();
            }
          });
        });
        upstreamReq.on('error', error => {
          if (clientGone) return;
          if (!connected && entry.upstream === undefined) {
            // Refused (or reset while connecting): like a Service whose
            // endpoint is gone, try the next upstream.
            attempt(i + 1);
            return;
          }
          // Forwarded, then the upstream died: the client sees a reset.
          entry.upstream ??= upstream.name;
          finish('reset');
          res.destroy(error);
        });
        upstreamReq.end(body);
      };
      attempt(0);
    });
  }
}
