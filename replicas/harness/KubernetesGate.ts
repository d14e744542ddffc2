import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** A server-side apply request that reached the Kubernetes API. */
export type ApplyRequest = {
  at: number;
  /** e.g. /apis/agentgateway.dev/v1alpha1/namespaces/ns/agentgatewaybackends/mcp-x */
  path: string;
  status?: number;
};

/**
 * A proxy in front of a Kubernetes API server (plain HTTP to the operator,
 * HTTPS with the cluster's CA to a real API server), between it and the
 * operator: records every server-side apply (`PATCH` with
 * `application/apply-patch+yaml`) and can hold them, so a test can act
 * while an apply is under way (e.g. kill the replica that served the bundle).
 */
export class KubernetesGate {
  readonly applies: ApplyRequest[] = [];
  #held: Array<() => void> = [];
  #holding = false;
  #onHeld: Array<() => void> = [];
  readonly #server: http.Server;

  private constructor(
    private readonly target: string,
    private readonly caData?: string,
  ) {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  /** `caData`: the API server's CA (base64 PEM, as in a kubeconfig) when `target` is https. */
  static async start(
    target: string,
    options: { caData?: string } = {},
  ): Promise<KubernetesGate> {
    const gate = new KubernetesGate(target, options.caData);
    await new Promise<void>(resolve =>
      gate.#server.listen(0, '127.0.0.1', () => resolve()),
    );
    return gate;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** From now on applies wait at the gate until `release()`. */
  hold(): void {
    this.#holding = true;
  }

  /** Resolves once an apply is waiting at the gate. */
  waitForHeldApply(timeoutMs: number): Promise<void> {
    if (this.#held.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no apply reached the gate in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#onHeld.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  release(): void {
    this.#holding = false;
    const held = this.#held;
    this.#held = [];
    held.forEach(go => go());
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>(resolve => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const isApply =
        req.method === 'PATCH' &&
        (req.headers['content-type'] ?? '').startsWith(
          'application/apply-patch',
        );
      const forward = () => {
        const record: ApplyRequest | undefined = isApply
          ? { at: Date.now(), path: (req.url ?? '').split('?')[0] }
          : undefined;
        if (record) this.applies.push(record);
        const target = new URL(req.url ?? '/', this.target);
        const headers = { ...req.headers, host: target.host };
        const upstream = (
          target.protocol === 'https:' ? https.request : http.request
        )(
          target,
          {
            method: req.method,
            headers,
            agent: false,
            ...(this.caData
              ? { ca: Buffer.from(this.caData, 'base64').toString('utf8') }
              : {}),
          },
          upstreamRes => {
            if (record) record.status = upstreamRes.statusCode;
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            upstreamRes.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        res.on('close', () => upstream.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (isApply && this.#holding) {
        this.#held.push(forward);
        const waiting = this.#onHeld;
        this.#onHeld = [];
        waiting.forEach(notify => notify());
      } else {
        forward();
      }
    });
  }
}
