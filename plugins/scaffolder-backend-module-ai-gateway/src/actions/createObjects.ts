import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AiGatewayClient } from '../AiGatewayClient';
import {
  reportServedState,
  servedStateInputs,
  servedStateOutputs,
} from '../servedState';
import { createOnce, entityRefOf, validateObject } from './objects';

/**
 * `ai-gateway:ai-backend:register`: registers an AI backend in a pool and
 * reports whether the pool serves it.
 *
 * @public
 */
export function registerAiBackendAction(options: {
  client: AiGatewayClient;
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'ai-gateway:ai-backend:register',
    description:
      'Registers an AI backend (LLM provider groups in priority order, a static host, a forward proxy or MCP targets) in a pool, as the user who started the task; reports whether the pool serves it (served, poolPhase, state, nextStep), after a bounded wait while the pool is being delivered.',
    supportsDryRun: true,
    schema: {
      input: {
        aiBackend: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The AI backend: name, project, pool, spec (the body of POST /ai-backends)',
            ),
        ...servedStateInputs(120),
      },
      output: {
        name: z => z.string(),
        entityRef: z =>
          z
            .string()
            .describe('The AI backend entity, e.g. resource:default/llm'),
        ...servedStateOutputs,
      },
    },
    async handler(ctx) {
      const backend = validateObject('aiBackend', ctx.input.aiBackend);
      // The scaffolder validates inputs without applying the schema's defaults.
      const { wait = true, timeoutSeconds = 120 } = ctx.input;
      ctx.logger.info(
        `Validated AI backend ${backend.name} (${backend.spec.kind}) for pool ${backend.pool}`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      if (!ctx.isDryRun) {
        await ctx.checkpoint({
          key: `ai-gateway:ai-backend:register:${backend.name}`,
          fn: async () => {
            await createOnce({
              client: options.client,
              credentials,
              kind: 'aiBackend',
              body: ctx.input.aiBackend,
              logger: ctx.logger,
              userRef: ctx.user?.ref,
            });
          },
        });
      }
      await reportServedState({
        ctx,
        client: options.client,
        credentials,
        pool: backend.pool,
        what: `AI backend ${backend.name}`,
        wait,
        timeoutSeconds,
        pollMs: options.pollMs,
      });
      ctx.output('name', backend.name);
      ctx.output('entityRef', entityRefOf('aiBackend', backend.name));
    },
  });
}

/**
 * `ai-gateway:policy:attach`: attaches a policy to a pool's gateway, a route
 * or a backend and reports whether the pool enforces it.
 *
 * @public
 */
export function attachPolicyAction(options: {
  client: AiGatewayClient;
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'ai-gateway:policy:attach',
    description:
      "Attaches a policy (authentication, authorization, rate limits, prompt guard, retries, timeouts, headers) to a pool's gateway, a route or a backend, as the user who started the task; reports whether the pool enforces it (served, poolPhase, state, nextStep), after a bounded wait while the pool is being delivered.",
    supportsDryRun: true,
    schema: {
      input: {
        policy: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The policy: name, project, pool, target and its sections (the body of POST /policies)',
            ),
        ...servedStateInputs(120),
      },
      output: {
        name: z => z.string(),
        target: z =>
          z
            .string()
            .describe('What the policy is attached to, e.g. backend/llm'),
        ...servedStateOutputs,
      },
    },
    async handler(ctx) {
      const policy = validateObject('policy', ctx.input.policy);
      const { wait = true, timeoutSeconds = 120 } = ctx.input;
      ctx.logger.info(
        `Validated policy ${policy.name} for ${policy.target.kind} ${policy.target.name} of pool ${policy.pool}`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      if (!ctx.isDryRun) {
        await ctx.checkpoint({
          key: `ai-gateway:policy:attach:${policy.name}`,
          fn: async () => {
            await createOnce({
              client: options.client,
              credentials,
              kind: 'policy',
              body: ctx.input.policy,
              logger: ctx.logger,
              userRef: ctx.user?.ref,
            });
          },
        });
      }
      await reportServedState({
        ctx,
        client: options.client,
        credentials,
        pool: policy.pool,
        what: `Policy ${policy.name}`,
        wait,
        timeoutSeconds,
        pollMs: options.pollMs,
      });
      ctx.output('name', policy.name);
      ctx.output('target', `${policy.target.kind}/${policy.target.name}`);
    },
  });
}
