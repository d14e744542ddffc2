import {
  InputError,
  ServiceUnavailableError,
  stringifyError,
} from '@backstage/errors';
import pRetry, { AbortError } from 'p-retry';

/** How the backend authenticates to Prometheus. */
export type PrometheusAuth =
  | { bearerToken: string }
  | { username: string; password: string };

/** @public */
export interface PrometheusClientOptions {
  /** Base URL of Prometheus (or of a proxy in front of it), e.g. `http://prometheus:9090`. */
  url: string;
  auth?: PrometheusAuth;
  /** Extra request headers, e.g. a tenant header of Thanos or Mimir. */
  headers?: Record<string, string>;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Retries of transient failures: unreachable, timeout, 429, 502-504 (default 2). */
  retries?: number;
  /** Delay before the first retry (default 250 ms; doubles each time). */
  minRetryDelayMs?: number;
  /** The fetch to use, e.g. one trusting a cluster's CA (default: the global fetch). */
  fetch?: typeof fetch;
}

/** One series of an instant query's vector. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range query's matrix: `[unix seconds, value]` pairs. */
export interface PrometheusSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

type ApiAnswer =
  | { status: 'success'; data: { resultType: string; result: unknown } }
  | { status: 'error'; errorType?: string; error?: string };

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/**
 * Reads Prometheus over its HTTP API (`/api/v1/query`, `/api/v1/query_range`).
 * Transient failures are retried; what remains becomes an error of
 * `@backstage/errors` naming the Prometheus URL and what to check, never a
 * bare 500: a Prometheus that is unreachable, refuses the credentials or
 * answers something else is `ServiceUnavailableError` (503); a query
 * Prometheus rejects as bad data (e.g. too many points) is `InputError` (400).
 */
export class PrometheusClient {
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #minRetryDelayMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    const auth = options.auth;
    this.#headers = {
      ...options.headers,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth && 'bearerToken' in auth
        ? { authorization: `Bearer ${auth.bearerToken}` }
        : {}),
      ...(auth && 'username' in auth
        ? {
            authorization: `Basic ${Buffer.from(
              `${auth.username}:${auth.password}`,
            ).toString('base64')}`,
          }
        : {}),
    };
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retries = options.retries ?? 2;
    this.#minRetryDelayMs = options.minRetryDelayMs ?? 250;
    this.#fetch = options.fetch ?? fetch;
  }

  /** An instant query evaluated at `time` (default: now). */
  async query(expr: string, time?: Date): Promise<PrometheusSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time) params.time = unixSeconds(time);
    const data = await this.#call('/api/v1/query', params);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ metric: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector') {
      throw new InputError(
        `Prometheus at ${this.url} answered the query with a ${data.resultType}, not a vector: ${expr}`,
      );
    }
    return (
      data.result as Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>
    ).map(s => ({ metric: s.metric, value: Number(s.value[1]) }));
  }

  /** A range query from `start` to `end` every `stepSeconds`. */
  async queryRange(
    expr: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<PrometheusSeries[]> {
    const data = await this.#call('/api/v1/query_range', {
      query: expr,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
    });
    return (
      data.result as Array<{
        metric: Record<string, string>;
        values: Array<[number, string]>;
      }>
    ).map(s => ({
      metric: s.metric,
      values: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
  }

  async #call(
    path: string,
    params: Record<string, string>,
  ): Promise<{ resultType: string; result: unknown }> {
    const endpoint = `${this.url}${path}`;
    return pRetry(
      async () => {
        let response: Response;
        try {
          response = await this.#fetch(endpoint, {
            method: 'POST',
            headers: this.#headers,
            body: new URLSearchParams(params).toString(),
            signal: AbortSignal.timeout(this.#timeoutMs),
          });
        } catch (error) {
          // Unreachable, refused, DNS, timeout: worth another attempt.
          throw new ServiceUnavailableError(
            `Prometheus at ${this.url} is unreachable: ${describeFetchError(
              error,
              this.#timeoutMs,
            )}. Check aiGateway.metrics (prometheus.url) and that Prometheus runs.`,
          );
        }
        const text = await response.text();
        const answer = parseAnswer(text);
        if (response.status === 401 || response.status === 403) {
          throw new AbortError(
            new ServiceUnavailableError(
              `Prometheus at ${this.url} refused the backend's credentials (HTTP ${response.status}). Check the token or user name and password of aiGateway.metrics.`,
            ),
          );
        }
        if (answer?.status === 'success') return answer.data;
        const problem = answer
          ? `${answer.errorType ?? 'error'}: ${answer.error ?? 'no message'}`
          : `HTTP ${response.status} ${response.statusText}, ${
              text ? `not the Prometheus API (${snippet(text)})` : 'empty body'
            }`;
        const message = `Prometheus at ${this.url} did not answer ${path} (${problem})`;
        if (TRANSIENT_STATUS.has(response.status)) {
          throw new ServiceUnavailableError(message);
        }
        if (answer?.errorType === 'bad_data') {
          throw new AbortError(
            new InputError(`${message}; query: ${params.query}`),
          );
        }
        throw new AbortError(
          new ServiceUnavailableError(
            answer
              ? message
              : `${message}. Check that aiGateway.metrics (prometheus.url) points at Prometheus's HTTP API.`,
          ),
        );
      },
      {
        retries: this.#retries,
        minTimeout: this.#minRetryDelayMs,
        factor: 2,
        randomize: true,
      },
    );
  }
}

function parseAnswer(text: string): ApiAnswer | undefined {
  try {
    const parsed = JSON.parse(text);
    if (parsed?.status === 'success' || parsed?.status === 'error') {
      return parsed;
    }
  } catch {
    // not JSON: reported with the HTTP status
  }
  return undefined;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors may come from another realm (Jest's sandbox).
  const e = error as { name?: string; cause?: unknown } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  // fetch reports "fetch failed" with the network error as its cause.
  const cause = e?.cause as { code?: string; message?: string } | undefined;
  if (cause?.code && cause.message) {
    return cause.message.includes(cause.code)
      ? cause.message
      : `${cause.code} ${cause.message}`;
  }
  return stringifyError(cause ?? error);
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function unixSeconds(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}
