import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AiGatewayClient } from '../AiGatewayClient';
import { createOnce, entityRefOf, validateObject } from './objects';

/**
 * `ai-gateway:ai-backend:register`: registers an AI backend in a pool.
 *
 * @public
 */
export function registerAiBackendAction(options: { client: AiGatewayClient }) {
  return createTemplateAction({
    id: 'ai-gateway:ai-backend:register',
    description:
      'Registers an AI backend (LLM provider groups in priority order, a static host, a forward proxy or MCP targets) in a pool, as the user who started the task.',
    supportsDryRun: true,
    schema: {
      input: {
        aiBackend: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The AI backend: name, project, pool, spec (the body of POST /ai-backends)',
            ),
      },
      output: {
        name: z => z.string(),
        entityRef: z =>
          z
            .string()
            .describe('The AI backend entity, e.g. resource:default/llm'),
      },
    },
    async handler(ctx) {
      const backend = validateObject('aiBackend', ctx.input.aiBackend);
      ctx.logger.info(
        `Validated AI backend ${backend.name} (${backend.spec.kind}) for pool ${backend.pool}`,
      );
      if (!ctx.isDryRun) {
        const credentials = await ctx.getInitiatorCredentials();
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
      } else {
        ctx.logger.info(
          `Dry run: AI backend ${backend.name} would be registered in pool ${backend.pool}`,
        );
      }
      ctx.output('name', backend.name);
      ctx.output('entityRef', entityRefOf('aiBackend', backend.name));
    },
  });
}

/**
 * `ai-gateway:policy:attach`: attaches a policy to a pool's gateway, a route or a backend.
 *
 * @public
 */
export function attachPolicyAction(options: { client: AiGatewayClient }) {
  return createTemplateAction({
    id: 'ai-gateway:policy:attach',
    description:
      "Attaches a policy (authentication, authorization, rate limits, prompt guard, retries, timeouts, headers) to a pool's gateway, a route or a backend, as the user who started the task.",
    supportsDryRun: true,
    schema: {
      input: {
        policy: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The policy: name, project, pool, target and its sections (the body of POST /policies)',
            ),
      },
      output: {
        name: z => z.string(),
        target: z =>
          z
            .string()
            .describe('What the policy is attached to, e.g. backend/llm'),
      },
    },
    async handler(ctx) {
      const policy = validateObject('policy', ctx.input.policy);
      ctx.logger.info(
        `Validated policy ${policy.name} for ${policy.target.kind} ${policy.target.name} of pool ${policy.pool}`,
      );
      if (!ctx.isDryRun) {
        const credentials = await ctx.getInitiatorCredentials();
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
      } else {
        ctx.logger.info(
          `Dry run: policy ${policy.name} would be attached to ${policy.target.kind} ${policy.target.name}`,
        );
      }
      ctx.output('name', policy.name);
      ctx.output('target', `${policy.target.kind}/${policy.target.name}`);
    },
  });
}
