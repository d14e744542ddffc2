import type { HeartbeatInput } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';

/** What the control plane serves an operator (GET /agent/v1/bundle). */
export type PulledBundle = {
  pool: string;
  namespace: string;
  revision: string;
  objects: ManifestObject[];
  kinds: Array<{ apiVersion: string; kind: string }>;
  labelSelector: string;
  reseed: boolean;
};

export type HeartbeatReply = {
  pool: string;
  phase: string;
  desiredRevision?: string;
  syncRequested: boolean;
  reseedRequested: boolean;
};

/** The control plane refused the token: rotated, or never valid. */
export class TokenRejectedError extends Error {
  readonly name = 'TokenRejectedError';
}

/**
 * The operator's one-way connection to the control plane: it only ever
 * calls out (heartbeat, conditional long-poll pull), so private clusters
 * need no inbound access.
 */
export class ControlPlaneClient {
  constructor(
    private readonly options: {
      /** e.g. https://portal.example.com/api/ai-gateway */
      baseUrl: string;
      token: string;
      fetch?: typeof fetch;
      /** Per-request timeout besides the long poll itself. */
      timeoutMs?: number;
    },
  ) {}

  async #request(
    path: string,
    init: RequestInit & { timeoutMs?: number },
  ): Promise<Response> {
    const fetcher = this.options.fetch ?? fetch;
    const res = await fetcher(
      `${this.options.baseUrl.replace(/\/$/, '')}${path}`,
      {
        ...init,
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          Accept: 'application/json',
          ...(init.headers as Record<string, string>),
        },
        signal: AbortSignal.timeout(
          init.timeoutMs ?? this.options.timeoutMs ?? 30_000,
        ),
      },
    );
    if (res.status === 401) {
      throw new TokenRejectedError(
        'The control plane rejected the enrollment token (rotated or invalid); set the new token in the aigw-enrollment-token Secret',
      );
    }
    return res;
  }

  async heartbeat(body: HeartbeatInput): Promise<HeartbeatReply> {
    const res = await this.#request('/agent/v1/heartbeat', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
    if (!res.ok)
      throw new Error(
        `heartbeat failed: HTTP ${res.status} ${await res.text()}`,
      );
    return (await res.json()) as HeartbeatReply;
  }

  /** The bundle, or undefined when `ifNoneMatch` is still desired after waiting up to `waitSeconds`. */
  async pull(
    ifNoneMatch: string | undefined,
    waitSeconds: number,
  ): Promise<PulledBundle | undefined> {
    const res = await this.#request(`/agent/v1/bundle?wait=${waitSeconds}`, {
      method: 'GET',
      headers: ifNoneMatch ? { 'If-None-Match': `"${ifNoneMatch}"` } : {},
      timeoutMs: waitSeconds * 1000 + (this.options.timeoutMs ?? 30_000),
    });
    if (res.status === 304) return undefined;
    if (!res.ok)
      throw new Error(`pull failed: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as PulledBundle;
  }
}
