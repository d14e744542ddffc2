import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ManifestBundle } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';

/**
 * `ai-gateway:pool:manifests`: the rendered bundle, for review steps and dry runs.
 *
 * @public
 */
export function poolManifestsAction(options: { client: AiGatewayClient }) {
  return createTemplateAction({
    id: 'ai-gateway:pool:manifests',
    description:
      "Renders a pool's bundle (every Kubernetes object it runs) for review, optionally written to a YAML file in the workspace.",
    supportsDryRun: true,
    schema: {
      input: {
        pool: z => z.string().describe('The pool name'),
        targetFile: z =>
          z
            .string()
            .optional()
            .describe('Write the bundle as YAML to this file in the workspace'),
      },
      output: {
        revision: z => z.string(),
        objects: z => z.number().describe('How many objects the bundle holds'),
        kinds: z =>
          z.record(z.string(), z.number()).describe('Objects per kind'),
        warnings: z =>
          z.array(z.string()).describe('What the gateway cannot express'),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const name = ctx.input.pool;
      const body = (await options.client.call(credentials, (api, o) =>
        api.getPoolManifests({ path: { name }, query: {} }, o),
      )) as ManifestBundle;
      const kinds: Record<string, number> = {};
      for (const o of body.objects as Array<{ kind: string }>)
        kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      ctx.logger.info(
        `Pool ${ctx.input.pool}, revision ${body.revision}: ${
          body.objects.length
        } objects (${Object.entries(kinds)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')})`,
      );
      for (const warning of body.warnings as string[]) ctx.logger.warn(warning);
      if (ctx.input.targetFile) {
        const file = path.resolve(ctx.workspacePath, ctx.input.targetFile);
        if (!file.startsWith(path.resolve(ctx.workspacePath) + path.sep))
          throw new Error(
            `targetFile ${ctx.input.targetFile} is outside the workspace`,
          );
        const yaml = await options.client.text(credentials, (api, o) =>
          api.getPoolManifests(
            { path: { name }, query: { format: 'yaml' } },
            o,
          ),
        );
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, yaml, 'utf8');
        ctx.logger.info(`Wrote the bundle to ${ctx.input.targetFile}`);
      }
      ctx.output('revision', body.revision);
      ctx.output('objects', body.objects.length);
      ctx.output('kinds', kinds);
      ctx.output('warnings', body.warnings);
    },
  });
}
