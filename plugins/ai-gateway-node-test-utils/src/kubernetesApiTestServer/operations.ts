/** The verbs on resources: what each request does to the store and what it answers. */
import { parse as parseYaml } from 'yaml';
import {
  applyConfiguration,
  conflictMessage,
  recordUpdate,
} from './fieldManagers';
import {
  clone,
  isObject,
  jsonPatch,
  JsonPatchError,
  JsonObject,
  mergePatch,
} from './json';
import { apiVersionOf, ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  invalid,
  namespaceNotFound,
  notFound,
} from './status';
import { Entry, metadataOf, ObjectStore, timestamp } from './store';
import { validateObject } from './validation';

export type ResourceRequest = {
  type: ResourceType;
  /** From the URL; undefined for cluster-scoped types and all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  /** fieldManager query parameter, or the user agent's product as the real server defaults it. */
  fieldManager: string;
};

export type Reply = { code: number; body: unknown };

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

function parseBody(request: ResourceRequest): unknown {
  const text = request.body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (jsonError) {
    if (!request.contentType.includes('yaml')) {
      throw badRequest(
        `couldn't get version/kind; json parse error: ${
          (jsonError as Error).message
        }`,
      );
    }
  }
  try {
    return parseYaml(text);
  } catch (yamlError) {
    throw badRequest(
      `error converting YAML to JSON: ${(yamlError as Error).message}`,
    );
  }
}

function parseObject(request: ResourceRequest): JsonObject {
  const body = parseBody(request);
  if (!isObject(body)) throw badRequest('the request body must be an object');
  return body;
}

function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') {
      throw badRequest(
        `Invalid dry run value: ${value}; the only supported value is All`,
      );
    }
  }
  return values.length > 0;
}

/**
 * The body's apiVersion and kind must name the URL's type; missing ones are
 * defaulted from the URL, as the API server's decoder does for built-in types.
 */
function checkTypeMeta(
  type: ResourceType,
  object: JsonObject,
  required: boolean,
) {
  const apiVersion = apiVersionOf(type);
  if (required && (!object.apiVersion || !object.kind)) {
    throw badRequest(
      `Object '${
        object.kind ? 'apiVersion' : 'Kind'
      }' is missing in '${JSON.stringify(object)}'`,
    );
  }
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(
        object.apiVersion,
      )}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${String(
        object.kind,
      )}) does not match the expected kind (${type.kind})`,
    );
  }
  object.apiVersion = apiVersion;
  object.kind = type.kind;
}

/** Body namespace must match the URL's; cluster-scoped objects have none. */
function checkNamespace(request: ResourceRequest, object: JsonObject) {
  const metadata = metadataOf(object);
  if (!request.type.namespaced) {
    delete metadata.namespace;
    return;
  }
  if (
    metadata.namespace !== undefined &&
    metadata.namespace !== '' &&
    metadata.namespace !== request.namespace
  ) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  metadata.namespace = request.namespace;
}

function checkName(request: ResourceRequest, object: JsonObject) {
  const metadata = metadataOf(object);
  if (metadata.name === undefined || metadata.name === '') {
    metadata.name = request.name;
  } else if (metadata.name !== request.name) {
    throw badRequest(
      `the name of the object (${String(
        metadata.name,
      )}) does not match the name on the URL (${request.name})`,
    );
  }
}

function validate(type: ResourceType, object: JsonObject) {
  const causes = validateObject(type, object);
  if (causes.length > 0) {
    throw invalid(type, String(metadataOf(object).name ?? ''), causes);
  }
}

function requireNamespace(store: ObjectStore, request: ResourceRequest) {
  if (request.type.namespaced && !store.namespaceExists(request.namespace!)) {
    throw namespaceNotFound(request.namespace!);
  }
}

/** Optimistic concurrency: a resourceVersion in the body must be the current one. */
function checkResourceVersion(entry: Entry, object: JsonObject) {
  const given = metadataOf(object).resourceVersion;
  if (given === undefined || given === '') return;
  if (String(given) !== metadataOf(entry.object).resourceVersion) {
    throw conflict(entry.type, String(metadataOf(entry.object).name));
  }
}

function randomSuffix(): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++)
    out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

export class Operations {
  constructor(private readonly store: ObjectStore) {}

  private lookup(request: ResourceRequest): Entry {
    const entry = this.store.find(
      request.type,
      request.namespace ?? '',
      request.name!,
    );
    if (!entry) throw notFound(request.type, request.name!);
    return entry;
  }

  get(request: ResourceRequest): Reply {
    return { code: 200, body: this.lookup(request).object };
  }

  /** Selected entries of a list or deletecollection request. */
  private selected(request: ResourceRequest): Entry[] {
    const labels = parseLabelSelector(request.query.get('labelSelector'));
    const fields = parseFieldSelector(
      request.query.get('fieldSelector'),
      request.type.kind,
    );
    return this.store
      .list(request.type, request.namespace)
      .filter(e => labels(e.object) && fields(e.object));
  }

  /** A `<Kind>List`; built-in types' items carry no apiVersion/kind, as on a real server. */
  private listOf(
    type: ResourceType,
    entries: Entry[],
    metadata: JsonObject,
  ): JsonObject {
    return {
      apiVersion: apiVersionOf(type),
      kind: `${type.kind}List`,
      metadata,
      items: entries.map(e => {
        if (type.custom) return e.object;
        const { apiVersion, kind, ...item } = e.object;
        return item;
      }),
    };
  }

  list(request: ResourceRequest): Reply {
    let entries = this.selected(request);
    const metadata: JsonObject = {
      resourceVersion: this.store.resourceVersion,
    };
    const token = request.query.get('continue');
    if (token) {
      let after: string;
      try {
        after = JSON.parse(
          Buffer.from(token, 'base64url').toString('utf8'),
        ).after;
      } catch {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion',
        );
      }
      entries = entries.filter(e => listKey(e) > after);
    }
    const limit = Number(request.query.get('limit') ?? 0);
    if (limit > 0 && entries.length > limit) {
      const remaining = entries.length - limit;
      entries = entries.slice(0, limit);
      metadata.continue = Buffer.from(
        JSON.stringify({ after: listKey(entries[entries.length - 1]) }),
      ).toString('base64url');
      metadata.remainingItemCount = remaining;
    }
    return { code: 200, body: this.listOf(request.type, entries, metadata) };
  }

  create(request: ResourceRequest): Reply {
    const { type } = request;
    const dryRun = isDryRun(request.query);
    const object = parseObject(request);
    checkTypeMeta(type, object, false);
    checkNamespace(request, object);
    const metadata = metadataOf(object);
    if (!metadata.name && typeof metadata.generateName === 'string') {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    requireNamespace(this.store, request);
    validate(type, object);
    const name = String(metadata.name);
    if (this.store.find(type, request.namespace ?? '', name)) {
      throw alreadyExists(type, name);
    }
    const managers = recordUpdate({
      before: undefined,
      after: object,
      managers: [],
      manager: request.fieldManager,
      apiVersion: apiVersionOf(type),
      time: timestamp(),
    });
    return {
      code: 201,
      body: this.store.insert(type, object, managers, { dryRun }),
    };
  }

  replace(request: ResourceRequest): Reply {
    const { type } = request;
    const dryRun = isDryRun(request.query);
    const object = parseObject(request);
    checkTypeMeta(type, object, false);
    checkNamespace(request, object);
    checkName(request, object);
    const entry = this.lookup(request);
    checkResourceVersion(entry, object);
    if (request.subresource === 'status') {
      return {
        code: 200,
        body: this.store.update(entry, object, entry.managers, {
          dryRun,
          statusWrite: true,
        }),
      };
    }
    if (type.custom && !metadataOf(object).resourceVersion) {
      throw invalid(type, request.name!, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
    validate(type, object);
    const managers = recordUpdate({
      before: entry.object,
      after: object,
      managers: entry.managers,
      manager: request.fieldManager,
      apiVersion: apiVersionOf(type),
      time: timestamp(),
    });
    return {
      code: 200,
      body: this.store.update(entry, object, managers, { dryRun }),
    };
  }

  patch(request: ResourceRequest): Reply {
    const contentType = request.contentType;
    if (contentType === APPLY) return this.apply(request);
    const { type } = request;
    if (![MERGE, STRATEGIC, JSON_PATCH].includes(contentType)) {
      throw unsupportedPatch(type);
    }
    if (contentType === STRATEGIC && type.custom) {
      // Custom resources have no patch strategy metadata.
      throw unsupportedPatch(type);
    }
    if (request.query.has('force')) {
      throw invalid(type, request.name!, [
        {
          reason: 'FieldValueForbidden',
          field: 'force',
          message: 'Forbidden: may not be specified for non-apply patch',
        },
      ]);
    }
    const dryRun = isDryRun(request.query);
    const patch = parseBody(request);
    const entry = this.lookup(request);
    const { managedFields, ...liveMetadata } = metadataOf(entry.object);
    const live = { ...entry.object, metadata: liveMetadata };
    let patched: unknown;
    try {
      patched =
        contentType === JSON_PATCH
          ? jsonPatch(live, patch)
          : mergePatch(live, patch);
    } catch (e) {
      if (e instanceof JsonPatchError) {
        throw new ApiError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: ${e.message}`,
        );
      }
      throw e;
    }
    if (!isObject(patched))
      throw badRequest('the patch did not produce an object');
    const object = clone(patched);
    checkTypeMeta(type, object, false);
    // A resourceVersion the patch set is a precondition.
    checkResourceVersion(entry, object);
    if (request.subresource === 'status') {
      return {
        code: 200,
        body: this.store.update(entry, object, entry.managers, {
          dryRun,
          statusWrite: true,
        }),
      };
    }
    validate(type, object);
    const managers = recordUpdate({
      before: entry.object,
      after: object,
      managers: entry.managers,
      manager: request.fieldManager,
      apiVersion: apiVersionOf(type),
      time: timestamp(),
    });
    return {
      code: 200,
      body: this.store.update(entry, object, managers, { dryRun }),
    };
  }

  /** Server-side apply (`application/apply-patch+yaml`). */
  apply(request: ResourceRequest): Reply {
    const { type, query } = request;
    const manager = query.get('fieldManager');
    if (!manager) {
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    const force = query.get('force') === 'true';
    const dryRun = isDryRun(query);
    const config = parseObject(request);
    checkTypeMeta(type, config, true);
    checkNamespace(request, config);
    checkName(request, config);
    const entry = this.store.find(type, request.namespace ?? '', request.name!);
    if (entry) checkResourceVersion(entry, config);
    else if (metadataOf(config).resourceVersion) {
      throw conflict(
        type,
        request.name!,
        'the object has been deleted or its resourceVersion is stale',
      );
    }
    if (request.subresource === 'status') {
      // Status applies merge into status; their ownership is not tracked.
      if (!entry) throw notFound(type, request.name!);
      const next = mergePatch(entry.object, {
        status: config.status ?? null,
      }) as JsonObject;
      return {
        code: 200,
        body: this.store.update(entry, next, entry.managers, {
          dryRun,
          statusWrite: true,
        }),
      };
    }
    // Status goes through the status subresource; apply to the main resource ignores it.
    delete config.status;
    if (!entry) requireNamespace(this.store, request);
    const result = applyConfiguration({
      live: entry?.object,
      config,
      managers: entry?.managers ?? [],
      manager,
      force,
      apiVersion: apiVersionOf(type),
      time: timestamp(),
    });
    if ('conflicts' in result) {
      const { message, causes } = conflictMessage(result.conflicts);
      throw new ApiError(409, 'Conflict', message, {
        name: request.name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.plural,
        causes,
      });
    }
    const object = result.object;
    // identity fields are untracked by field ownership; take them from the config
    object.apiVersion = config.apiVersion;
    object.kind = config.kind;
    metadataOf(object).name = request.name;
    if (type.namespaced) metadataOf(object).namespace = request.namespace;
    validate(type, object);
    if (!entry) {
      return {
        code: 201,
        body: this.store.insert(type, object, result.managers, { dryRun }),
      };
    }
    return {
      code: 200,
      body: this.store.update(entry, object, result.managers, { dryRun }),
    };
  }

  delete(request: ResourceRequest): Reply {
    const dryRun = isDryRun(request.query);
    const entry = this.lookup(request);
    const metadata = metadataOf(entry.object);
    if (request.body.length > 0) {
      const options = parseBody(request);
      const preconditions = isObject(options)
        ? options.preconditions
        : undefined;
      if (isObject(preconditions)) {
        if (preconditions.uid && preconditions.uid !== metadata.uid) {
          throw conflict(
            entry.type,
            request.name!,
            `Precondition failed: UID in precondition: ${String(
              preconditions.uid,
            )}, UID in object meta: ${String(metadata.uid)}`,
          );
        }
        if (
          preconditions.resourceVersion &&
          preconditions.resourceVersion !== metadata.resourceVersion
        ) {
          throw conflict(
            entry.type,
            request.name!,
            `Precondition failed: ResourceVersion in precondition: ${String(
              preconditions.resourceVersion,
            )}, ResourceVersion in object meta: ${String(
              metadata.resourceVersion,
            )}`,
          );
        }
      }
    }
    const object = entry.object;
    if (!dryRun) this.store.remove(entry);
    // Custom resources answer with the deleted object, built-ins with a Status.
    if (request.type.custom) return { code: 200, body: object };
    return {
      code: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name: request.name,
          ...(request.type.group ? { group: request.type.group } : {}),
          kind: request.type.plural,
          uid: metadata.uid,
        },
      },
    };
  }

  deleteCollection(request: ResourceRequest): Reply {
    const dryRun = isDryRun(request.query);
    const entries = this.selected(request);
    if (!dryRun) for (const entry of entries) this.store.remove(entry);
    return {
      code: 200,
      body: this.listOf(request.type, entries, {
        resourceVersion: this.store.resourceVersion,
      }),
    };
  }
}

function listKey(entry: Entry): string {
  const metadata = metadataOf(entry.object);
  return `${String(metadata.namespace ?? '')}\u0000${String(metadata.name)}`;
}

function unsupportedPatch(type: ResourceType): ApiError {
  const accepted = [
    JSON_PATCH,
    MERGE,
    APPLY,
    ...(type.custom ? [] : [STRATEGIC]),
  ];
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
  );
}
