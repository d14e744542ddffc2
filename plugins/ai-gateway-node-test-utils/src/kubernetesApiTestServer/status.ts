import { qualifiedResource, ResourceType } from './resources';

export type StatusCause = { reason?: string; message: string; field?: string };

export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
};

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The `reason` the API server gives for an HTTP code. */
export function reasonForCode(code: number): string {
  return REASONS[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}

/** An error answered as a `Status` object, the way the API server reports failures. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): object {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function resourceDetails(type: ResourceType, name?: string): StatusDetails {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResource(type)} "${name}" not found`,
    resourceDetails(type, name),
  );
}

/** For URLs that name no served resource (unknown group, version or plural). */
export function resourceNotServed(): ApiError {
  return new ApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function namespaceNotFound(namespace: string): ApiError {
  return new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
    name: namespace,
    kind: 'namespaces',
  });
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(type)} "${name}" already exists`,
    resourceDetails(type, name),
  );
}

/** Optimistic concurrency failure (stale resourceVersion, failed precondition). */
export function conflict(
  type: ResourceType,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      type,
    )} "${name}": ${why}`,
    resourceDetails(type, name),
  );
}

export function invalid(
  type: ResourceType,
  name: string,
  causes: StatusCause[],
): ApiError {
  const messages = causes.map(c =>
    c.field ? `${c.field}: ${c.message}` : c.message,
  );
  const summary =
    messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  return new ApiError(
    422,
    'Invalid',
    `${type.kind}${
      type.group ? `.${type.group}` : ''
    } "${name}" is invalid: ${summary}`,
    {
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.kind,
      causes,
    },
  );
}

export function forbidden(
  user: string,
  verb: string,
  type: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
  subresource?: string,
): ApiError {
  const resource = subresource ? `${type.plural}/${subresource}` : type.plural;
  const subject = name
    ? `${qualifiedResource(type)} "${name}"`
    : qualifiedResource(type);
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${type.group}" ${scope}`,
    resourceDetails(type, name),
  );
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}
