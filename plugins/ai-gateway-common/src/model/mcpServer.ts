import { z } from 'zod';
import type { Pool } from './pool';
import { poolHosts } from './pool';
import {
  descriptionSchema,
  dnsLabelSchema,
  httpUrlSchema,
  objectNameSchema,
  resourceRequirementsSchema,
  secretRefSchema,
} from './primitives';

export const mcpTransports = ['streamable-http', 'sse'] as const;

const envNameSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as API_URL');

const sourceSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        /** A container image the operator deploys into the pool's namespace. */
        type: z.literal('image'),
        image: z
          .string({ message: 'must be a container image such as ghcr.io/org/server:1.0' })
          .min(1, 'must not be empty')
          .max(512)
          .regex(/^[^\s]+$/, 'must not contain spaces'),
        port: z.number({ message: 'must be a number' }).int().min(1, 'must be a port (1-65535)').max(65535, 'must be a port (1-65535)').default(8080),
        /** Plain, non-secret settings. Secrets go in secretEnv. */
        env: z.record(envNameSchema, z.string({ message: 'values must be strings' })).default({}),
        secretEnv: z
          .array(z.object({ name: envNameSchema, secretRef: secretRefSchema }).strict())
          .default([]),
        resources: resourceRequirementsSchema.optional(),
        replicas: z.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').max(50, 'must be at most 50').default(1),
      })
      .strict()
      .superRefine((source, ctx) => {
        source.secretEnv.forEach((entry, i) => {
          if (entry.name in source.env) {
            ctx.addIssue({
              code: 'custom',
              path: ['secretEnv', i, 'name'],
              message: `${entry.name} is set both in env and in secretEnv`,
            });
          }
        });
      }),
    z
      .object({
        /** An MCP server that runs elsewhere; the gateway proxies to it. */
        type: z.literal('remote'),
        url: httpUrlSchema,
        /** Sent to the remote server, e.g. an API key it needs. */
        authSecretRef: secretRefSchema.optional(),
      })
      .strict(),
  ],
  { error: "type must be 'image' (deploy a container) or 'remote' (proxy a URL)" },
);

const toolNameSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(128)
  .regex(/^[A-Za-z0-9_.*-]+$/, 'must be a tool name (letters, digits, "_", "-", "." or a "*" wildcard)');

/** An MCP server served by a pool at https://{pool mcp host}/{prefix}/mcp. */
export const mcpServerSchema = z
  .object({
    name: objectNameSchema,
    description: descriptionSchema.optional(),
    project: objectNameSchema,
    pool: objectNameSchema,
    /** Path prefix in the pool's MCP host; unique within the pool. */
    prefix: dnsLabelSchema,
    source: sourceSchema,
    transport: z.enum(mcpTransports, { message: "must be 'streamable-http' or 'sse'" }).default('streamable-http'),
    tools: z
      .object({
        allow: z.array(toolNameSchema).default([]),
        deny: z.array(toolNameSchema).default([]),
      })
      .strict()
      .default({ allow: [], deny: [] }),
  })
  .strict()
  .superRefine((server, ctx) => {
    const allowed = new Set(server.tools.allow);
    server.tools.deny.forEach((tool, i) => {
      if (allowed.has(tool)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', 'deny', i],
          message: `tool '${tool}' is both allowed and denied`,
        });
      }
    });
  });

export type McpServer = z.infer<typeof mcpServerSchema>;
export type McpServerInput = z.input<typeof mcpServerSchema>;

/** Where clients reach an MCP server: https://{pool mcp host}/{prefix}/mcp. */
export function mcpServerUrl(
  pool: Pick<Pool, 'domains'>,
  server: Pick<McpServer, 'prefix'>,
): string {
  return `https://${poolHosts(pool).mcp}/${server.prefix}/mcp`;
}
