import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  describeServedState,
  explainPoolStatus,
  isBeingDelivered,
  type Pool,
  runsDesiredRevision,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import type { AiGatewayClient } from './AiGatewayClient';
import { entityRefOf } from './actions/objects';
import { readPoolStatus, waitForPool } from './waitForPool';

/** The zod the scaffolder hands to an action's output schema. */
type Zod = Parameters<
  Exclude<
    NonNullable<NonNullable<TemplateActionOptions['schema']>['output']>,
    (...args: any[]) => any
  >[string]
>[0];

/** The inputs of the bounded wait of every action that changes what a pool serves. */
export function servedStateInputs(defaultTimeoutSeconds: number) {
  return {
    wait: (z: Zod) =>
      z
        .boolean()
        .default(true)
        .describe(
          'Wait until the pool has applied the change, while something delivers the pool (never for a pool without a connected operator, or whose last apply failed)',
        ),
    timeoutSeconds: (z: Zod) =>
      z
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(defaultTimeoutSeconds)
        .describe(
          'How long to wait at most; the action then reports the state it sees',
        ),
  };
}

/** The outputs every action that changes what a pool serves ends with. */
export const servedStateOutputs = {
  served: (z: Zod) =>
    z
      .boolean()
      .describe(
        'True when the pool runs the revision with the change and is Active',
      ),
  poolPhase: (z: Zod) => z.string().describe("The pool's phase at the end"),
  state: (z: Zod) =>
    z
      .string()
      .describe(
        'One sentence: served, or registered and why the pool does not serve it yet',
      ),
  nextStep: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('What to do so that the pool serves it; absent when served'),
  poolEntityRef: (z: Zod) =>
    z.string().describe('The pool entity, e.g. resource:default/prod'),
};

/** What the actions that deploy an MCP server output, served state included. */
export const mcpServerOutputs = {
  name: (z: Zod) => z.string(),
  url: (z: Zod) =>
    z
      .string()
      .describe('Where clients reach the MCP server once the pool serves it'),
  entityRef: (z: Zod) =>
    z.string().describe('The MCP server entity, e.g. api:default/github'),
  ...servedStateOutputs,
};

export type ServedStateContext = {
  logger: Pick<LoggerService, 'info' | 'warn'>;
  output(name: string, value: unknown): void;
  isDryRun?: boolean;
  signal?: AbortSignal;
};

/**
 * Reads the pool's real status after a change to what it serves and reports
 * it: a task log line and the outputs of `servedStateOutputs`. When the pool
 * is being delivered it first waits, at most `timeoutSeconds`, for the
 * revision with the change to be applied; a pool nothing delivers is not
 * waited for. Never fails for the pool's state.
 */
export async function reportServedState(options: {
  ctx: ServedStateContext;
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  /** The pool's name. */
  pool: string;
  /** What was changed, e.g. "MCP server github". */
  what: string;
  wait: boolean;
  timeoutSeconds: number;
  pollMs?: number;
}): Promise<{ served: boolean; poolPhase: string }> {
  const { ctx, client, credentials, what } = options;
  const pool = (
    await client.call(credentials, (api, o) =>
      api.getPool({ path: { name: options.pool } }, o),
    )
  ).spec as Pool;
  const mode = pool.delivery.mode;
  let status = await readPoolStatus({
    client,
    credentials,
    pool: pool.name,
  });
  ctx.output('poolEntityRef', entityRefOf('pool', pool.name));

  if (ctx.isDryRun) {
    const guidance = explainPoolStatus(pool, status);
    const state = `Dry run: ${what} would be registered in pool ${pool.name}, which is ${status.phase}: ${guidance.cause}`;
    ctx.logger.info(state);
    ctx.output('served', false);
    ctx.output('poolPhase', status.phase);
    ctx.output('state', state);
    if (guidance.nextStep) ctx.output('nextStep', guidance.nextStep);
    return { served: false, poolPhase: status.phase };
  }

  const settled = (s: typeof status) =>
    (runsDesiredRevision(s) && s.phase === 'Active') ||
    !isBeingDelivered(mode, s);
  if (options.wait && !settled(status)) {
    ctx.logger.info(
      `Waiting up to ${options.timeoutSeconds} s for pool ${
        pool.name
      } to apply ${status.desiredRevision ?? 'its desired revision'}`,
    );
    const result = await waitForPool(
      {
        client,
        credentials,
        pool: pool.name,
        logger: ctx.logger,
        timeoutSeconds: options.timeoutSeconds,
        pollMs: options.pollMs,
        signal: ctx.signal,
      },
      // Applied is as far as a short wait goes: a rollout takes the
      // cluster's time, and the report says so.
      s => runsDesiredRevision(s) || !isBeingDelivered(mode, s),
    );
    status = result.status;
    if (!result.reached) {
      ctx.logger.info(
        `Stopped waiting after ${options.timeoutSeconds} s; pool ${pool.name} is ${status.phase}`,
      );
    }
  }

  const described = describeServedState(what, pool, status);
  if (described.served) {
    ctx.logger.info(described.message);
  } else {
    ctx.logger.warn(described.message);
    if (described.nextStep) ctx.logger.info(`Next step: ${described.nextStep}`);
  }
  ctx.output('served', described.served);
  ctx.output('poolPhase', status.phase);
  ctx.output('state', described.message);
  if (described.nextStep) ctx.output('nextStep', described.nextStep);
  return { served: described.served, poolPhase: status.phase };
}
