import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AiGatewayRestClient,
  type FieldIssue,
  okResponse,
  type RequestOptions,
  type TypedResponse,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { formInputError } from './formErrors';

/**
 * One call of the generated REST client, given the caller's token.
 *
 * @public
 */
export type AiGatewayCall<T> = (
  api: AiGatewayRestClient,
  options: RequestOptions,
) => Promise<TypedResponse<T>>;

/**
 * The control plane's REST API (the generated client of
 * plugin-ai-gateway-common), called on behalf of the user who started the
 * task: every permission check is made as that user, never as the scaffolder.
 *
 * @public
 */
export class AiGatewayClient {
  readonly #api: AiGatewayRestClient;

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {
    this.#api = new AiGatewayRestClient({ discoveryApi: deps.discovery });
  }

  /** The JSON of a successful answer; a ResponseError otherwise. */
  async call<T>(
    credentials: BackstageCredentials,
    call: AiGatewayCall<T>,
  ): Promise<T> {
    return (await this.#ok(credentials, call)).json();
  }

  /** The text of a successful answer (e.g. YAML); a ResponseError otherwise. */
  async text(
    credentials: BackstageCredentials,
    call: AiGatewayCall<unknown>,
  ): Promise<string> {
    return (await this.#ok(credentials, call)).text();
  }

  async #ok<T>(
    credentials: BackstageCredentials,
    call: AiGatewayCall<T>,
  ): Promise<TypedResponse<T>> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'ai-gateway',
    });
    try {
      return await okResponse(call(this.#api, { token }));
    } catch (error) {
      if (error instanceof ResponseError) {
        // Refused input names its fields: fail as the form's fault.
        const issues = (error.body?.error as { issues?: unknown } | undefined)
          ?.issues;
        if (error.statusCode === 400 && Array.isArray(issues)) {
          throw formInputError(undefined, issues as FieldIssue[]);
        }
        // A task log shows the message only: give it the control plane's
        // reason. The scaffolder logs a failed step's stack, whose frames
        // (this client's) tell the task's user nothing.
        error.message = `${error.message}: ${error.cause.message}`;
        error.stack = `${error.name}: ${error.message}`;
      }
      throw error;
    }
  }
}
