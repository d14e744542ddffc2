import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import {
  catalogEntityRef,
  formatZodIssues,
  resourceKinds,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient, AiGatewayRequestError } from '../AiGatewayClient';

type Logger = Pick<LoggerService, 'info' | 'warn'>;

/** Validates a body with the same schema the control plane uses (dry runs, early errors). */
export function validateObject(kind: ResourceKind, body: unknown): { name: string; project: string } & Record<string, any> {
  const result = resourceKinds[kind].schema.safeParse(body);
  if (!result.success) {
    const issues = formatZodIssues(result.error);
    throw new AiGatewayRequestError(
      400,
      `Invalid ${resourceKinds[kind].title}: ${issues.map(i => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`,
      issues,
    );
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
}): Promise<{ object: any; created: boolean; enrollmentToken?: string }> {
  const { client, credentials, kind, body, logger } = options;
  const plural = resourceKinds[kind].plural;
  const title = resourceKinds[kind].title;
  try {
    const res = await client.request(credentials, 'POST', `/${plural}`, body);
    logger.info(`Created ${title.toLowerCase()} ${res.body.name} in project ${res.body.project}`);
    return { object: res.body, created: true, enrollmentToken: res.body.enrollmentToken };
  } catch (error) {
    if (!(error instanceof AiGatewayRequestError) || error.status !== 409) throw error;
    const existing = await client
      .request(credentials, 'GET', `/${plural}/${encodeURIComponent(String(body.name))}`)
      .then(r => r.body)
      .catch(() => undefined);
    const mine = existing && (!options.userRef || existing.createdBy === options.userRef);
    if (mine && validateObject(kind, body) && sameSpec(existing.spec, resourceKinds[kind].schema.parse(body))) {
      logger.info(`${title} ${existing.name} was created by an earlier attempt of this task; carrying on`);
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
      return Object.fromEntries(Object.keys(v).sort().map(k => [k, canon((v as any)[k])]));
    }
    return v;
  };
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

export function entityRefOf(kind: ResourceKind, name: string): string {
  return catalogEntityRef(kind, name) ?? `${kind}:${name}`;
}
