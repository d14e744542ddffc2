export type ApiResponse<T = any> = {
  status: number;
  body: T;
  headers: Headers;
  /** Set instead of a status when the request itself failed (connection error). */
  error?: string;
};

/** A minimal client of one base URL's /api/ai-gateway, authenticated with a token. */
export class AiGatewayApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    readonly label = baseUrl,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      timeoutMs?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<ApiResponse<T>> {
    const signals = [AbortSignal.timeout(options.timeoutMs ?? 60_000)];
    if (options.signal) signals.push(options.signal);
    try {
      const res = await fetch(`${this.baseUrl}/api/ai-gateway${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(options.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
          ...options.headers,
        },
        body:
          options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.any(signals),
      });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (YAML, empty 304)
      }
      return { status: res.status, body, headers: res.headers };
    } catch (e) {
      const error = e as Error & { cause?: Error };
      return {
        status: 0,
        body: undefined as T,
        headers: new Headers(),
        error: `${error.name}: ${error.message}${
          error.cause ? ` (${error.cause.message})` : ''
        }`,
      };
    }
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, { body });

  /** Every object of a list endpoint, following `nextCursor`. */
  async listAll<T = any>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (;;) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await this.get(
        `${path}${sep}limit=500${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
      );
      if (res.status !== 200) {
        throw new Error(
          `GET ${path} on ${this.label}: ${res.status} ${
            res.error ?? JSON.stringify(res.body)
          }`,
        );
      }
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
    }
  }
}

export { eventually } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Counts of each status (or error) in a list of responses, e.g. `{ 201: 3, 409: 17 }`. */
export function tally(responses: ApiResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.status ? String(r.status) : `error: ${r.error}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
