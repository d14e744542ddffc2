import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AiGatewayClient } from '../AiGatewayClient';
import { createOnce, entityRefOf, validateObject } from './objects';

export const DRY_RUN_TOKEN =
  '<dry run: the enrollment token is issued by the real run>';

/**
 * `ai-gateway:pool:create`: creates a pool as the user who started the task
 * and outputs its entity ref and one-time enrollment token (never logged).
 *
 * @public
 */
export function createPoolAction(options: { client: AiGatewayClient }) {
  return createTemplateAction({
    id: 'ai-gateway:pool:create',
    description:
      'Creates an AI gateway pool (a gateway in a cluster and namespace) in a project, as the user who started the task. Outputs the pool entity ref and its one-time enrollment token.',
    supportsDryRun: true,
    schema: {
      input: {
        pool: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The pool: name, project, cluster, namespace, tls, domains, delivery... (the REST API body of POST /pools)',
            ),
      },
      output: {
        name: z => z.string().describe('The pool name'),
        entityRef: z =>
          z.string().describe('The pool entity, e.g. resource:default/prod-eu'),
        enrollmentToken: z =>
          z
            .string()
            .describe(
              'The one-time operator enrollment token (shown once, never logged)',
            ),
      },
    },
    async handler(ctx) {
      const pool = validateObject('pool', ctx.input.pool);
      ctx.logger.info(
        `Validated pool ${pool.name} for cluster ${pool.cluster.name}, namespace ${pool.namespace}`,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: pool ${pool.name} would be created in project ${pool.project}`,
        );
        ctx.output('name', pool.name);
        ctx.output('entityRef', entityRefOf('pool', pool.name));
        ctx.output('enrollmentToken', DRY_RUN_TOKEN);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      let token: string | undefined;
      // The checkpoint keeps only the fact of creation: a secret never goes
      // into the task's stored state.
      await ctx.checkpoint({
        key: `ai-gateway:pool:create:${pool.name}`,
        fn: async () => {
          const result = await createOnce({
            client: options.client,
            credentials,
            kind: 'pool',
            body: ctx.input.pool,
            logger: ctx.logger,
            userRef: ctx.user?.ref,
          });
          token = result.enrollmentToken;
          return { created: result.created };
        },
      });
      if (!token) {
        // A retried task: the earlier attempt's token was never handed out.
        const rotated = await options.client.call(credentials, (api, o) =>
          api.rotatePoolEnrollmentToken({ path: { name: pool.name } }, o),
        );
        token = rotated.enrollmentToken;
        ctx.logger.info(
          `Issued a new enrollment token for pool ${pool.name} (the task was retried)`,
        );
      }
      ctx.logger.info(
        `Pool ${pool.name} created; its enrollment token is in the step output (shown once)`,
      );
      ctx.output('name', pool.name);
      ctx.output('entityRef', entityRefOf('pool', pool.name));
      ctx.output('enrollmentToken', token!);
    },
  });
}
