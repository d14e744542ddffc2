import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';

/** A failed call to the control plane, with its field-level issues. */
export class AiGatewayRequestError extends Error {
  readonly name = 'AiGatewayRequestError';
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

/**
 * The control plane's REST API, called on behalf of the user who started the
 * task: every permission check is made as that user, never as the scaffolder.
 */
export class AiGatewayClient {
  constructor(private readonly deps: { discovery: DiscoveryService; auth: AuthService }) {}

  async request<T = any>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; text: string }> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'ai-gateway',
    });
    const baseUrl = await this.deps.discovery.getBaseUrl('ai-gateway');
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) {
      let message = `${method} ${path}: HTTP ${res.status}`;
      let issues: Array<{ field: string; message: string }> = [];
      try {
        const error = (JSON.parse(text) as { error?: { message?: string; issues?: typeof issues } }).error;
        if (error?.message) message = error.message;
        issues = error?.issues ?? [];
      } catch {
        if (text) message = `${message}: ${text.slice(0, 500)}`;
      }
      throw new AiGatewayRequestError(res.status, message, issues);
    }
    const contentType = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      body: (contentType.includes('json') && text ? JSON.parse(text) : text) as T,
      text,
    };
  }
}

