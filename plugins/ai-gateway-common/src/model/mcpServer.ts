import { z } from 'zod';
import { expecting, intBetween, oneOf, text, unionOf } from './messages';
import {
  descriptionSchema,
  dnsLabelSchema,
  objectNameSchema,
  resourceRequirementsSchema,
  secretRefSchema,
} from './primitives';
import {
  endpointUrlSchemaWith,
  plaintextSecretMessage,
  secretLikeValue,
} from './plaintextSecrets';

/** @public */
export const mcpTransports = ['streamable-http', 'sse'] as const;
/** @public */
export type McpTransport = (typeof mcpTransports)[number];
/** @public */
export const mcpSourceTypes = ['image', 'remote'] as const;

const envNameSchema = z
  .string(expecting('an environment variable name such as API_URL'))
  .max(256, 'must be at most 256 characters')
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be an environment variable name such as API_URL',
  );

const imageSourceSchema = z
  .object({
    /** A container image the operator deploys into the pool's namespace. */
    type: z.literal('image'),
    image: text(512, { min: 1 }).regex(
      /^\S+$/,
      'must be a container image such as ghcr.io/org/server:1.0',
    ),
    port: intBetween(1, 65535, 'a port').default(8080),
    /**
     * Plain, non-secret settings. Secrets go in secretEnv, by reference; a
     * value that looks like one (a known token format, or a generated value
     * under a name such as API_KEY) is refused.
     */
    env: z
      .record(
        envNameSchema,
        z.string(expecting('a string (quote numbers and booleans)')),
        expecting('a map of names to values'),
      )
      .prefault({}),
    secretEnv: z
      .array(
        z
          .object(
            { name: envNameSchema, secretRef: secretRefSchema },
            expecting('{ name, secretRef }'),
          )
          .strict(),
        expecting('a list of { name, secretRef }'),
      )
      .prefault([]),
    /** Overrides the pool's default requests/limits. */
    resources: resourceRequirementsSchema.optional(),
    replicas: intBetween(1, 50).default(1),
  })
  .strict()
  .superRefine((source, ctx) => {
    for (const [name, value] of Object.entries(source.env)) {
      const what = secretLikeValue(value, name);
      if (what) {
        ctx.addIssue({
          code: 'custom',
          path: ['env', name],
          message: plaintextSecretMessage(
            what,
            `reference it in secretEnv: [{ name: ${name}, secretRef: { name, key } }]`,
          ),
        });
      }
    }
    const seen = new Set<string>();
    source.secretEnv.forEach((entry, i) => {
      if (Object.hasOwn(source.env, entry.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv', i, 'name'],
          message: `${entry.name} is set both in env and in secretEnv`,
        });
      } else if (seen.has(entry.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv', i, 'name'],
          message: `${entry.name} is set twice in secretEnv`,
        });
      }
      seen.add(entry.name);
    });
  });

const remoteSourceSchema = z
  .object({
    /** An MCP server that runs elsewhere; the gateway proxies to it. */
    type: z.literal('remote'),
    url: endpointUrlSchemaWith('authSecretRef'),
    /** A credential the gateway sends to the remote server, by reference. */
    authSecretRef: secretRefSchema.optional(),
  })
  .strict();

const toolNameSchema = z
  .string(expecting('a tool name'))
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[A-Za-z0-9_.*-]+$/,
    'must be a tool name: letters, digits, "_", "-", "." or a "*" wildcard',
  );

/**
 * An MCP server served by a pool at `https://{pool mcp host}/{prefix}/mcp`.
 *
 * @public
 */
export const mcpServerSchema = z
  .object(
    {
      name: objectNameSchema,
      description: descriptionSchema.optional(),
      project: objectNameSchema,
      pool: objectNameSchema,
      /** Path prefix on the pool's MCP host; the backend keeps it unique per pool. */
      prefix: dnsLabelSchema,
      source: z.discriminatedUnion(
        'type',
        [imageSourceSchema, remoteSourceSchema],
        unionOf('type', mcpSourceTypes),
      ),
      transport: z
        .enum(mcpTransports, oneOf(mcpTransports))
        .default('streamable-http'),
      /** Tools exposed to clients: all but `deny` when `allow` is empty. */
      tools: z
        .object(
          {
            allow: z
              .array(toolNameSchema, expecting('a list of tool names'))
              .prefault([]),
            deny: z
              .array(toolNameSchema, expecting('a list of tool names'))
              .prefault([]),
          },
          expecting('{ allow, deny }'),
        )
        .strict()
        .prefault({}),
    },
    expecting('an object'),
  )
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

/** @public */
export type McpServer = z.infer<typeof mcpServerSchema>;
/** @public */
export type McpServerInput = z.input<typeof mcpServerSchema>;
/** @public */
export type McpServerSource = McpServer['source'];
