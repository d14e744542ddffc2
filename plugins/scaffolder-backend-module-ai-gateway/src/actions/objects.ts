import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  catalogEntityRef,
  type FieldIssue,
  formatZodIssues,
  kindOperations,
  resourceKinds,
  type AiGatewayObject,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import { formInputError } from '../formErrors';

type Logger = Pick<LoggerService, 'info' | 'warn'>;

/** Validates a body with the same schema the control plane uses (dry runs, early errors). */
export function validateObject(
  kind: ResourceKind,
  body: unknown,
): { name: string; project: string } & Record<string, any> {
  const result = resourceKinds[kind].schema.safeParse(body);
  if (!result.success) {
    // The control plane would answer 400 with the same issues.
    throw formInputError(kind, formatZodIssues(result.error));
  }
  return result.data as any;
}

/**
 * Creates an object once. A retried task whose earlier attempt created it
 * (the name is taken by an equal object the same user created) carries on
 * instead of failing with 409.
 */
export async function createOnce(options: {
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  kind: ResourceKind;
  body: Record<string, unknown>;
  logger: Logger;
  userRef?: string;
}): Promise<{
  object: AiGatewayObject;
  created: boolean;
  enrollmentToken?: string;
}> {
  const { client, credentials, kind, body, logger } = options;
  const title = resourceKinds[kind].title;
  try {
    const created = await client.call(credentials, (api, o) =>
      kindOperations(api, kind).create(body, o),
    );
    logger.info(
      `Created ${title.toLowerCase()} ${created.name} in project ${
        created.project
      }`,
    );
    return {
      object: created,
      created: true,
      enrollmentToken: created.enrollmentToken,
    };
  } catch (error) {
    const issues = (error as { issues?: FieldIssue[] }).issues;
    if (error instanceof InputError && issues) {
      // The client names the fields by path only; the kind gives their words.
      throw formInputError(kind, issues);
    }
    if (!ResponseError.is(error) || error.statusCode !== 409) throw error;
    const existing = await client
      .call(credentials, (api, o) =>
        kindOperations(api, kind).get(String(body.name), o),
      )
      .catch(() => undefined);
    const mine =
      existing && (!options.userRef || existing.createdBy === options.userRef);
    if (
      mine &&
      validateObject(kind, body) &&
      sameSpec(existing.spec, resourceKinds[kind].schema.parse(body))
    ) {
      logger.info(
        `${title} ${existing.name} was created by an earlier attempt of this task; carrying on`,
      );
      return { object: existing, created: false };
    }
    throw error;
  }
}

function sameSpec(a: unknown, b: unknown): boolean {
  /** The value with object keys sorted at every depth, so key order does not matter. */
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map(k => [k, canon((v as any)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

export function entityRefOf(kind: ResourceKind, name: string): string {
  return catalogEntityRef(kind, name) ?? `${kind}:${name}`;
}
