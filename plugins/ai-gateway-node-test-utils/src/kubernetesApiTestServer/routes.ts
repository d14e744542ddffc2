/** URL layout of the API server: discovery documents and resource paths. */
import { ResourceCatalog, ResourceType } from './resources';
import { ApiError, resourceNotServed } from './status';

export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

export type ResourceRoute = {
  type: ResourceType;
  /** Undefined for cluster-scoped types and for lists across namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
};

export type Route = { discovery: unknown } | ResourceRoute;

const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0',
  platform: 'linux/amd64',
};

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

function resourceRoute(
  type: ResourceType,
  namespace: string | undefined,
  rest: string[],
): ResourceRoute {
  const [name, subresource, ...extra] = rest;
  if (
    extra.length > 0 ||
    (subresource !== undefined && subresource !== 'status')
  ) {
    throw resourceNotServed();
  }
  return {
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

/** Maps a URL path to a discovery document or a served resource; 404s otherwise. */
export function resolveRoute(
  catalog: ResourceCatalog,
  pathname: string,
  serverAddress: string,
): Route {
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw resourceNotServed();
  }
  const [root, ...rest] = segments;
  if (root === 'version' && rest.length === 0) {
    return { discovery: VERSION_INFO };
  }
  let group: string;
  let version: string | undefined;
  let path: string[];
  if (root === 'api') {
    if (rest.length === 0) {
      return { discovery: catalog.coreVersions(serverAddress) };
    }
    group = '';
    [version, ...path] = rest;
  } else if (root === 'apis') {
    if (rest.length === 0) return { discovery: catalog.groupList() };
    [group, version, ...path] = rest;
    if (version === undefined) {
      const apiGroup = catalog.group(group);
      if (!apiGroup) throw resourceNotServed();
      return { discovery: apiGroup };
    }
  } else {
    throw resourceNotServed();
  }
  if (path.length === 0) {
    const list = catalog.resourceList(group, version);
    if (!list) throw resourceNotServed();
    return { discovery: list };
  }
  // `namespaces/<ns>/<plural>/...`, unless it is the Namespace resource's
  // own subresource (`/api/v1/namespaces/<name>/status`).
  if (path[0] === 'namespaces' && path.length >= 3) {
    const type = catalog.served(group, version, path[2]);
    if (type?.namespaced) return resourceRoute(type, path[1], path.slice(3));
  }
  const type = catalog.served(group, version, path[0]);
  if (!type) throw resourceNotServed();
  // Namespaced objects are only addressed inside their namespace; the bare
  // collection URL lists across namespaces.
  if (type.namespaced && path.length > 1) throw resourceNotServed();
  return resourceRoute(type, undefined, path.slice(1));
}

/** The RBAC verb of a request, as the API server derives it from method and URL. */
export function verbOf(
  method: string,
  route: ResourceRoute,
  query: URLSearchParams,
): Verb {
  const collection = route.name === undefined;
  const allNamespaces = route.type.namespaced && route.namespace === undefined;
  switch (method) {
    case 'GET': {
      if (!collection) return 'get';
      const watch = query.get('watch');
      return watch === 'true' || watch === '1' ? 'watch' : 'list';
    }
    case 'POST':
      if (!collection || allNamespaces) throw methodNotAllowed();
      return 'create';
    case 'PUT':
      if (collection) throw methodNotAllowed();
      return 'update';
    case 'PATCH':
      if (collection) throw methodNotAllowed();
      return 'patch';
    case 'DELETE':
      if (collection && allNamespaces) throw methodNotAllowed();
      return collection ? 'deletecollection' : 'delete';
    default:
      throw methodNotAllowed();
  }
}
