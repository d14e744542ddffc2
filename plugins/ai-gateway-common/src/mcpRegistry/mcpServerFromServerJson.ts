import type { McpServerInput, McpTransport } from '../model/mcpServer';
import type { SecretRef } from '../model/primitives';
import { mcpServerSchema } from '../model/mcpServer';
import { formatZodIssues, type FieldIssue } from '../model/validation';
import {
  serverJsonSchema,
  type ServerJson,
  type ServerJsonInput,
  type ServerJsonPackage,
  type ServerJsonRemote,
} from './serverJson';

/**
 * What the suite can serve from a server.json, in words (the end of every
 * "cannot import" message).
 */
const SUPPORTED =
  'supported are remotes (streamable-http or sse) and oci packages (container images) with transport streamable-http or sse';

/**
 * Where a server.json cannot become an MCP server: each issue names a field
 * of the import request (`serverJson.packages[0].transport.type`,
 * `secretRefs.API_KEY`, `name`).
 *
 * @public
 */
export class ServerJsonImportError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(
      `Cannot import the server.json: ${issues
        .map(i => `${i.field}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'ServerJsonImportError';
    this.issues = issues;
  }
}

/**
 * Where the imported MCP server goes and what the server.json leaves to the
 * one who imports it.
 *
 * @public
 */
export type ServerJsonImportOptions = {
  project: string;
  pool: string;
  /** The MCP server's name (and path prefix); default: the part of the server.json name after "/". */
  name?: string;
  /** Secret inputs by name (environment variables, the Authorization header): references only. */
  secretRefs?: Record<string, SecretRef>;
  /** Values of non-secret inputs (environment variables, URL variables), over the server.json's defaults. */
  values?: Record<string, string>;
};

const FIELD = 'serverJson';

/**
 * `weather-api` from `io.github.user/Weather_API`: a DNS label, or undefined.
 *
 * @public
 */
export function objectNameFromServerJsonName(name: string): string | undefined {
  const label = (name.split('/').pop() ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || undefined;
}

/**
 * An MCP server input (as `POST /mcp-servers` takes it) from a server.json of
 * the official MCP registry. Of the ways the document offers to reach the
 * server, the first that the gateway can serve wins: a streamable-http
 * remote, an sse remote, then an oci package with an HTTP transport
 * (deployed into the pool). Secrets come only from `secretRefs`; a required
 * secret without one, a required value without one, and documents that only
 * offer what the gateway cannot run (stdio, npm, pypi...) are refused with a
 * {@link ServerJsonImportError} naming the field.
 *
 * @public
 */
export function mcpServerFromServerJson(
  serverJson: unknown,
  options: ServerJsonImportOptions,
): McpServerInput {
  const parsed = serverJsonSchema.safeParse(serverJson);
  if (!parsed.success) {
    throw new ServerJsonImportError(
      formatZodIssues(parsed.error).map(i => ({
        ...i,
        field: i.field ? `${FIELD}.${i.field}` : FIELD,
      })),
    );
  }
  const doc = parsed.data;
  const issues: FieldIssue[] = [];
  const name = options.name ?? objectNameFromServerJsonName(doc.name);
  if (!name) {
    issues.push({
      field: 'name',
      message: `is required: '${doc.name}' gives no name of letters and digits`,
    });
  }
  const common = {
    name: name ?? '',
    project: options.project,
    pool: options.pool,
    prefix: name ?? '',
    description: doc.title
      ? `${doc.title}: ${doc.description}`.slice(0, 1000)
      : doc.description,
  };

  const remotes = doc.remotes ?? [];
  const remoteIndex = [
    remotes.findIndex(r => r.type === 'streamable-http'),
    remotes.findIndex(r => r.type === 'sse'),
  ].find(i => i >= 0);
  if (remoteIndex !== undefined) {
    const source = remoteSource(
      remotes[remoteIndex],
      `${FIELD}.remotes[${remoteIndex}]`,
      options,
      issues,
    );
    if (issues.length) throw new ServerJsonImportError(issues);
    return checked(
      { ...common, transport: remotes[remoteIndex].type, source: source! },
      `${FIELD}.remotes[${remoteIndex}]`,
    );
  }

  const packages = doc.packages ?? [];
  const runnable = (p: ServerJsonPackage, transport: McpTransport) =>
    p.registryType === 'oci' && p.transport.type === transport;
  const packageIndex = [
    packages.findIndex(p => runnable(p, 'streamable-http')),
    packages.findIndex(p => runnable(p, 'sse')),
  ].find(i => i >= 0);
  if (packageIndex !== undefined) {
    const pkg = packages[packageIndex];
    const source = imageSource(
      pkg,
      `${FIELD}.packages[${packageIndex}]`,
      options,
      issues,
    );
    if (issues.length) throw new ServerJsonImportError(issues);
    return checked(
      {
        ...common,
        transport: pkg.transport.type as McpTransport,
        source: source!,
      },
      `${FIELD}.packages[${packageIndex}]`,
    );
  }

  throw new ServerJsonImportError(unservable(doc));
}

/**
 * The input, checked as `POST /mcp-servers` checks it, with each refusal
 * named by the field of the import request it came from.
 */
function checked(input: McpServerInput, at: string): McpServerInput {
  const result = mcpServerSchema.safeParse(input);
  if (result.success) return input;
  const envNames = Object.keys(
    input.source.type === 'image' ? input.source.env ?? {} : {},
  );
  throw new ServerJsonImportError(
    formatZodIssues(result.error).map(issue => {
      const [head, second, third] = issue.field.split('.');
      let field = issue.field;
      if (head === 'name' || head === 'prefix') field = 'name';
      else if (head === 'description') field = `${FIELD}.description`;
      else if (head === 'source' && second === 'url') field = `${at}.url`;
      else if (head === 'source' && second === 'image') {
        field = `${at}.identifier`;
      } else if (head === 'source' && second === 'env' && third) {
        field = envNames.includes(third) ? `values.${third}` : field;
      }
      return { field, message: issue.message };
    }),
  );
}

/** Why no package of a server.json without remotes can be served. */
function unservable(doc: ServerJson): FieldIssue[] {
  const packages = doc.packages ?? [];
  if (packages.length === 0) {
    return [
      {
        field: FIELD,
        message: `has neither remotes nor packages: there is nothing to serve (${SUPPORTED})`,
      },
    ];
  }
  return packages.map((p, i) => {
    const at = `${FIELD}.packages[${i}]`;
    if (p.registryType !== 'oci') {
      return {
        field: `${at}.registryType`,
        message: `is ${p.registryType}: the gateway runs container images, not ${p.registryType} packages (${SUPPORTED})`,
      };
    }
    return {
      field: `${at}.transport.type`,
      message: `is ${p.transport.type}: the gateway reaches MCP servers over HTTP, and a stdio server needs a client to start it (${SUPPORTED})`,
    };
  });
}

function remoteSource(
  remote: ServerJsonRemote,
  at: string,
  options: ServerJsonImportOptions,
  issues: FieldIssue[],
): McpServerInput['source'] | undefined {
  const url = remote.url.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (text, v) => {
    const variable = remote.variables?.[v];
    const given = options.values?.[v] ?? variable?.value ?? variable?.default;
    if (variable?.isSecret) {
      issues.push({
        field: `${at}.variables.${v}`,
        message:
          'is a secret in the URL: the gateway keeps secrets out of URLs; only an Authorization header can carry one',
      });
      return text;
    }
    if (given === undefined) {
      issues.push({
        field: `values.${v}`,
        message: `is required: the URL ${remote.url} needs it${
          variable?.description ? ` (${variable.description})` : ''
        }`,
      });
      return text;
    }
    return given;
  });
  let authSecretRef: { name: string; key: string } | undefined;
  (remote.headers ?? []).forEach((header, i) => {
    const ref = options.secretRefs?.[header.name];
    const isAuthorization = header.name.toLowerCase() === 'authorization';
    if (isAuthorization && (header.isSecret || ref)) {
      if (ref) authSecretRef = ref;
      else if (header.isRequired) {
        issues.push(missingSecret(header, `${at}.headers[${i}]`));
      }
      return;
    }
    if (header.isRequired) {
      issues.push({
        field: `${at}.headers[${i}].name`,
        message: `is ${header.name}, a required header: the gateway can only send an Authorization header to a remote server (from secretRefs.Authorization)`,
      });
    }
  });
  return { type: 'remote', url, ...(authSecretRef ? { authSecretRef } : {}) };
}

function imageSource(
  pkg: ServerJsonPackage,
  at: string,
  options: ServerJsonImportOptions,
  issues: FieldIssue[],
): McpServerInput['source'] | undefined {
  const image = imageReference(pkg);
  if (!image) {
    issues.push({
      field: `${at}.identifier`,
      message: `is ${pkg.identifier}, an image without a tag or digest, and the package has no version: the gateway deploys pinned images only`,
    });
  }
  const port = transportPort(pkg, `${at}.transport.url`, issues);
  (pkg.packageArguments ?? []).forEach((argument, i) => {
    if (argument.isRequired || argument.value !== undefined) {
      issues.push({
        field: `${at}.packageArguments[${i}]`,
        message:
          'is an argument the server needs: the gateway starts the image with its own command and cannot pass arguments',
      });
    }
  });

  const env: Record<string, string> = {};
  const secretEnv: Array<{ name: string; secretRef: SecretRef }> = [];
  (pkg.environmentVariables ?? []).forEach((variable, i) => {
    if (variable.isSecret) {
      const ref = options.secretRefs?.[variable.name];
      if (ref) secretEnv.push({ name: variable.name, secretRef: ref });
      else if (variable.isRequired) {
        issues.push(
          missingSecret(variable, `${at}.environmentVariables[${i}]`),
        );
      }
      return;
    }
    const value = valueOf(variable, options);
    if (value !== undefined) env[variable.name] = value;
    else if (variable.isRequired) {
      issues.push({
        field: `values.${variable.name}`,
        message: `is required: the environment variable ${
          variable.name
        } has no value or default${
          variable.description ? ` (${variable.description})` : ''
        }`,
      });
    }
  });
  return {
    type: 'image',
    image: image ?? '',
    ...(port ? { port } : {}),
    env,
    secretEnv,
  };
}

/** `ghcr.io/org/server:1.0`: the identifier when it has a tag or digest, else with the package's version. */
function imageReference(pkg: ServerJsonPackage): string | undefined {
  const lastSegment = pkg.identifier.split('/').pop() ?? '';
  if (pkg.identifier.includes('@') || lastSegment.includes(':')) {
    return pkg.identifier;
  }
  return pkg.version ? `${pkg.identifier}:${pkg.version}` : undefined;
}

/**
 * The container port from the transport URL (`http://localhost:8080/mcp`);
 * the path must be where the gateway reaches image servers.
 */
function transportPort(
  pkg: ServerJsonPackage,
  field: string,
  issues: FieldIssue[],
): number | undefined {
  const text = pkg.transport.url;
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text.replace(/\{[^}]*\}/g, 'x'));
  } catch {
    return undefined;
  }
  const expected = pkg.transport.type === 'sse' ? '/sse' : '/mcp';
  if (url.pathname !== '/' && url.pathname !== expected) {
    issues.push({
      field,
      message: `has the path ${url.pathname}: the gateway reaches a deployed ${pkg.transport.type} server at ${expected}`,
    });
  }
  const port = Number(text.match(/^https?:\/\/[^/:]+:(\d+)/)?.[1]);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** A non-secret input's value: given by the caller, fixed by the document, or its default. */
function valueOf(
  input: ServerJsonInput,
  options: ServerJsonImportOptions,
): string | undefined {
  const raw = options.values?.[input.name] ?? input.value ?? input.default;
  if (raw === undefined) return undefined;
  return raw.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (text, v) => {
    const variable = input.variables?.[v];
    return options.values?.[v] ?? variable?.value ?? variable?.default ?? text;
  });
}

function missingSecret(input: ServerJsonInput, at: string): FieldIssue {
  return {
    field: `secretRefs.${input.name}`,
    message: `is required: ${at} is the secret ${input.name}${
      input.description ? ` (${input.description})` : ''
    }; give a reference to a Kubernetes Secret: { "${
      input.name
    }": { "name": "...", "key": "..." } }`,
  };
}
