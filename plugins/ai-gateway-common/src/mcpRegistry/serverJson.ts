import { z } from 'zod';
import { expecting } from '../model/messages';
import { parse as parseYaml } from 'yaml';

/**
 * The official MCP registry's `server.json` (schema
 * https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json,
 * source: github.com/modelcontextprotocol/registry,
 * docs/reference/server-json/): the fields the suite reads, checked as the
 * official schema checks them. Fields it does not read (icons, `_meta`,
 * `fileSha256`...) are kept as they are, so that documents of newer schema
 * versions still import.
 */

const stringField = (what = 'a string') => z.string(expecting(what));

/** An input (an environment variable, a header, a URL variable). */
const inputSchema = z.looseObject({
  description: stringField().optional(),
  isRequired: z.boolean(expecting('true or false')).optional(),
  isSecret: z.boolean(expecting('true or false')).optional(),
  format: z
    .enum(
      ['string', 'number', 'boolean', 'filepath'],
      expecting('one of: string, number, boolean, filepath'),
    )
    .optional(),
  value: stringField().optional(),
  default: stringField().optional(),
  placeholder: stringField().optional(),
  choices: z.array(stringField(), expecting('a list of strings')).optional(),
});

const inputWithVariablesSchema = inputSchema.extend({
  variables: z
    .record(z.string(), inputSchema, expecting('a map of names to inputs'))
    .optional(),
});

/**
 * An environment variable of a package, or a header of a transport.
 *
 * @public
 */
export const keyValueInputSchema = inputWithVariablesSchema.extend({
  name: stringField('a name').min(1, 'must not be empty'),
});

/** `http://`, `https://` or a `{variable}` first, as the official pattern says. */
const transportUrlSchema = stringField('a URL').regex(
  /^(https?:\/\/\S+|\{[a-zA-Z_][a-zA-Z0-9_]*\}\S*)$/,
  'must be an http:// or https:// URL (or start with a {variable})',
);

const httpTransportTypes = ['streamable-http', 'sse'] as const;
const localTransportTypes = ['stdio', ...httpTransportTypes] as const;

const argumentSchema = inputWithVariablesSchema.extend({
  type: z.enum(['positional', 'named'], expecting('one of: positional, named')),
  name: stringField().optional(),
  valueHint: stringField().optional(),
  isRepeated: z.boolean(expecting('true or false')).optional(),
});

/** How a client reaches a package it runs. */
const localTransportSchema = z
  .looseObject({
    type: z.enum(
      localTransportTypes,
      expecting(`one of: ${localTransportTypes.join(', ')}`),
    ),
    url: transportUrlSchema.optional(),
    headers: z
      .array(keyValueInputSchema, expecting('a list of { name, ... }'))
      .optional(),
  })
  .superRefine((transport, ctx) => {
    if (transport.type !== 'stdio' && transport.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `is required for transport ${transport.type}`,
      });
    }
  });

/** A server someone else runs: reached over HTTP. */
const remoteSchema = z.looseObject({
  type: z.enum(
    httpTransportTypes,
    expecting(`one of: ${httpTransportTypes.join(', ')}`),
  ),
  url: transportUrlSchema,
  headers: z
    .array(keyValueInputSchema, expecting('a list of { name, ... }'))
    .optional(),
  variables: z
    .record(z.string(), inputSchema, expecting('a map of names to inputs'))
    .optional(),
});

/** A version that names one release: no ranges, no `latest`. */
const exactVersionSchema = stringField('a version such as 1.0.2')
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(v => v !== 'latest', 'must be a specific version, not latest')
  .refine(
    v => !/^[\^~<>=]|(^|\.)[x*](\.|$)/.test(v),
    'must be a specific version, not a range',
  );

/** A package a client downloads and runs (npm, pypi, oci, nuget, mcpb...). */
const packageSchema = z.looseObject({
  registryType: stringField('a registry type such as oci, npm or pypi').min(
    1,
    'must not be empty',
  ),
  registryBaseUrl: stringField('a URL').optional(),
  identifier: stringField('a package identifier').min(1, 'must not be empty'),
  version: exactVersionSchema.optional(),
  runtimeHint: stringField().optional(),
  transport: localTransportSchema,
  runtimeArguments: z
    .array(argumentSchema, expecting('a list of arguments'))
    .optional(),
  packageArguments: z
    .array(argumentSchema, expecting('a list of arguments'))
    .optional(),
  environmentVariables: z
    .array(keyValueInputSchema, expecting('a list of { name, ... }'))
    .optional(),
});

/**
 * A `server.json` document of the official MCP registry, as the suite reads it.
 *
 * @public
 */
export const serverJsonSchema = z.looseObject(
  {
    $schema: stringField('a URL').optional(),
    name: stringField('a reverse-DNS name such as io.github.user/weather')
      .min(3, 'must be at least 3 characters')
      .max(200, 'must be at most 200 characters')
      .regex(
        /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/,
        'must be a reverse-DNS name with one "/", such as io.github.user/weather',
      ),
    description: stringField()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    title: stringField()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .optional(),
    version: stringField('a version such as 1.0.2').max(
      255,
      'must be at most 255 characters',
    ),
    websiteUrl: stringField('a URL').optional(),
    repository: z
      .looseObject({
        url: stringField('a URL'),
        source: stringField('a hosting service such as github'),
        id: stringField().optional(),
        subfolder: stringField().optional(),
      })
      .optional(),
    packages: z
      .array(packageSchema, expecting('a list of packages'))
      .optional(),
    remotes: z.array(remoteSchema, expecting('a list of remotes')).optional(),
  },
  expecting('a server.json object'),
);

/**
 * A `server.json` document of the official MCP registry.
 *
 * @public
 */
export type ServerJson = z.infer<typeof serverJsonSchema>;
/** @public */
export type ServerJsonPackage = NonNullable<ServerJson['packages']>[number];
/** @public */
export type ServerJsonRemote = NonNullable<ServerJson['remotes']>[number];
/**
 * An environment variable or header of a server.json.
 *
 * @public
 */
export type ServerJsonInput = z.infer<typeof keyValueInputSchema>;

/**
 * The `server.json` an API entity's `spec.definition` holds (JSON or YAML
 * text), or undefined when it holds something else: how MCP registry entries
 * kept in the software catalog are recognised.
 *
 * @public
 */
export function serverJsonOfDefinition(
  definition: unknown,
): ServerJson | undefined {
  if (typeof definition !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(definition); // JSON is YAML too
  } catch {
    return undefined;
  }
  const result = serverJsonSchema.safeParse(parsed);
  return result.success ? result.data : undefined;
}
