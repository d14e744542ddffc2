import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  type BasicPermission,
  type Permission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  type ConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  AI_GATEWAY_CHANGES_TOPIC,
  aiGatewayPermissions,
  type ResourceChangeEvent,
  formatZodIssues,
  installReportSchema,
  type InstallReportResult,
  mcpServerUrl,
  resourceKinds,
  summarizeIssues,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { Request } from 'express';
import { compare } from 'fast-json-patch';
import pLimit from 'p-limit';
import type { AiGatewayStore, StoredObject } from '../database/AiGatewayStore';
import { kindTables } from '../database/tables';
import {
  aiGatewayPermissionRules,
  type AiGatewayAccessQuery,
  type AiGatewayPermissionResource,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { EnrollmentTokens } from './EnrollmentTokens';
import { cursorPositions, decodeCursor, encodeCursor } from './cursors';
import { conflict, invalidInput } from './errors';
import {
  checkReferences,
  checkUniqueness,
  findDependents,
  type Dependent,
} from './integrity';

/** Who is asking, as the service needs it. */
export type Caller = {
  credentials: BackstageCredentials;
  /** Entity ref of the user, or the service subject: recorded in the event log. */
  actor: string;
  /** The HTTP request, if any, for the auditor. */
  request?: Request;
  /** Decisions fetched before a transaction began (see `withDecisions`). */
  decisions?: ReadonlyMap<string, Decision>;
};

type Decision =
  | { result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }
  | Parameters<typeof authorizeConditions>[0];

/** An object as the API returns it. */
export type ResourceView = {
  kind: ResourceKind;
  name: string;
  project: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  readonly spec: Record<string, any>;
  /** Values computed from the object and its pool, e.g. an MCP server's URL. */
  derived?: Record<string, string>;
  /** `spec` as stored JSON text (not enumerable), for serialising without a parse. */
  readonly specJson?: string;
};

export type ListQuery = {
  filters: Record<string, string>;
  limit: number;
  cursor?: string;
};

export type Page<T> = { items: T[]; nextCursor?: string };

type AnySpec = Record<string, any>;

const rules = Object.values(aiGatewayPermissionRules);
const authorizeConditions = createConditionAuthorizer(rules);
const toAccessQuery: ConditionTransformer<AiGatewayAccessQuery> =
  createConditionTransformer(rules);

/**
 * The rules of the control plane for projects, pools, MCP servers, AI
 * backends and policies: validation, integrity, optimistic concurrency,
 * permissions, the event log and audit events. Routers only translate HTTP
 * to calls of this class.
 */
export class ResourceService {
  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      permissions: PermissionsService;
      auditor: AuditorService;
      /** Where committed changes are announced (e.g. to the catalog module). */
      events?: EventsService;
      logger?: LoggerService;
      clock?: () => Date;
    },
  ) {}

  readonly #listeners: Array<(change: ResourceChangeEvent) => void> = [];
  /**
   * Publishing is an HTTP request to the events backend that no change waits
   * for; without a bound, a burst of changes opens a request each at once
   * and floods the backend's own listener.
   */
  readonly #publishing = pLimit(8);

  /** In-process listeners of committed changes (delivery reacts within the process). */
  onChange(listener: (change: ResourceChangeEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Announces committed changes; a failure to publish never fails the change. */
  private announce(changes: ResourceChangeEvent[]) {
    const { events, logger } = this.deps;
    for (const listener of this.#listeners) {
      for (const change of changes) {
        try {
          listener(change);
        } catch (error) {
          logger?.warn(
            `A change listener failed on ${change.kind} '${change.name}': ${error}`,
          );
        }
      }
    }
    if (!events) return;
    for (const change of changes) {
      this.#publishing(() =>
        events.publish({
          topic: AI_GATEWAY_CHANGES_TOPIC,
          eventPayload: change,
        }),
      ).catch(error =>
        logger?.warn(
          `Could not announce ${change.action} of ${change.kind} '${change.name}': ${error}`,
        ),
      );
    }
  }

  private now() {
    return this.deps.clock?.() ?? new Date();
  }

  async create(
    kind: ResourceKind,
    body: unknown,
    requester: Caller,
  ): Promise<{ object: ResourceView; enrollmentToken?: string }> {
    return this.audited('create', kind, undefined, requester, async () => {
      const spec = this.validate(kind, body);
      const caller = await this.withDecisions(requester, [
        aiGatewayPermissions[kind].create,
      ]);
      const result = await this.deps.store.transaction(async store => {
        await this.authorizeWrite(store, kind, 'create', spec, caller);
        await checkReferences(store, kind, spec);
        if (await store.get(kind, spec.name)) {
          const exists = `${resourceKinds[kind].title} '${spec.name}' already exists`;
          throw conflict(exists, [{ field: 'name', message: exists }]);
        }
        await checkUniqueness(store, kind, spec);
        const now = this.now();
        const stored = await store.insert(
          kind,
          spec as AnySpec & { name: string },
          caller.actor,
          now,
        );
        let enrollmentToken: string | undefined;
        if (kind === 'pool') {
          const issued = EnrollmentTokens.issue(spec.name);
          await store.setPoolToken(spec.name, issued.hash, now);
          enrollmentToken = issued.token;
        }
        await store.appendEvent(
          {
            kind,
            name: spec.name,
            project: stored.project,
            action: 'created',
            actor: caller.actor,
            version: 1,
            changes: compare({}, spec),
          },
          now,
        );
        return { object: await this.view(store, stored), enrollmentToken };
      });
      this.announce([changeOf('upserted', result.object)]);
      return result;
    });
  }

  async get(
    kind: ResourceKind,
    name: string,
    caller: Caller,
  ): Promise<ResourceView> {
    const { store } = this.deps;
    const object = await this.readable(store, kind, name, caller);
    return this.view(store, object);
  }

  async list(
    kind: ResourceKind,
    query: ListQuery,
    caller: Caller,
  ): Promise<Page<ResourceView>> {
    const { store, permissions } = this.deps;
    const [decision] = await permissions.authorizeConditional(
      [{ permission: aiGatewayPermissions[kind].read as any }],
      { credentials: caller.credentials },
    );
    if (decision.result === AuthorizeResult.DENY) return { items: [] };
    const access =
      decision.result === AuthorizeResult.CONDITIONAL
        ? toAccessQuery(decision.conditions)
        : undefined;
    const filters: Record<string, string> = {};
    for (const [param, value] of Object.entries(query.filters)) {
      filters[kindTables[kind].filters[param]] = value;
    }
    const page = await store.list<AnySpec>(kind, {
      filters,
      limit: query.limit,
      after: query.cursor
        ? decodeCursor(
            resourceKinds[kind].plural,
            query.cursor,
            cursorPositions.objectName,
          )
        : undefined,
      access,
    });
    const items = await this.views(store, page.items);
    return {
      items,
      nextCursor: page.hasMore
        ? encodeCursor(
            resourceKinds[kind].plural,
            page.items[page.items.length - 1].name,
          )
        : undefined,
    };
  }

  async update(
    kind: ResourceKind,
    name: string,
    body: unknown,
    expectedVersion: number | undefined,
    requester: Caller,
  ): Promise<ResourceView> {
    return this.audited('update', kind, name, requester, async () => {
      if (isObject(body) && body.name !== undefined && body.name !== name) {
        throw invalidInput('The name of an object cannot change', [
          { field: 'name', message: `must be '${name}' (the name in the URL)` },
        ]);
      }
      const spec = this.validate(
        kind,
        isObject(body) ? { ...body, name } : body,
      );
      if (expectedVersion === undefined) {
        throw invalidInput('An update needs the version it was based on', [
          {
            field: 'version',
            message:
              'version is required (the version you read; or send an If-Match header) so concurrent edits are not lost',
          },
        ]);
      }
      const caller = await this.withDecisions(requester, [
        aiGatewayPermissions[kind].read,
        aiGatewayPermissions[kind].update,
      ]);
      const updated = await this.deps.store.transaction(async store => {
        const previous = await this.readable<AnySpec>(
          store,
          kind,
          name,
          caller,
        );
        await this.authorizeWrite(store, kind, 'update', previous.spec, caller);
        await checkReferences(store, kind, spec, previous);
        await checkUniqueness(store, kind, spec);
        const now = this.now();
        const result = await store.update(
          kind,
          spec as AnySpec & { name: string },
          expectedVersion,
          caller.actor,
          now,
        );
        if (result.outcome === 'missing') {
          throw new NotFoundError(
            `${resourceKinds[kind].title} '${name}' not found`,
          );
        }
        if (result.outcome === 'conflict') {
          throw conflict(
            `${resourceKinds[kind].title} '${name}' was changed by someone else: you sent version ${expectedVersion}, the current version is ${result.currentVersion}. Read it again and reapply your change.`,
            [
              {
                field: 'version',
                message: `is not the current version (${result.currentVersion}); read the object again and reapply your change`,
              },
            ],
          );
        }
        await store.appendEvent(
          {
            kind,
            name,
            project: result.object.project,
            action: 'updated',
            actor: caller.actor,
            version: result.object.version,
            changes: compare(previous.spec, spec),
          },
          now,
        );
        return this.view(store, result.object);
      });
      this.announce([changeOf('upserted', updated)]);
      return updated;
    });
  }

  async delete(
    kind: ResourceKind,
    name: string,
    options: { cascade: boolean },
    requester: Caller,
  ): Promise<{ deleted: Dependent[] }> {
    return this.audited('delete', kind, name, requester, async () => {
      const removed: ResourceChangeEvent[] = [];
      // Cascades delete objects of other kinds, each checked on its own.
      const caller = await this.withDecisions(requester, [
        aiGatewayPermissions[kind].read,
        ...Object.values(aiGatewayPermissions).map(p => p.delete),
      ]);
      const result = await this.deps.store.transaction(async store => {
        removed.length = 0; // the store may run the transaction again
        await store.lock(kind, name);
        const object = await this.readable<AnySpec>(store, kind, name, caller);
        await this.authorizeWrite(store, kind, 'delete', object.spec, caller);
        let dependents = await findDependents(store, kind, name);
        if (options.cascade && dependents.some(d => d.kind === 'pool')) {
          // A project's pools are locked too, then looked at again: MCP
          // servers created in them meanwhile are in the list, later ones wait.
          for (const d of dependents)
            if (d.kind === 'pool') await store.lock(d.kind, d.name);
          dependents = await findDependents(store, kind, name);
        }
        if (dependents.length > 0 && !options.cascade) {
          throw conflict(
            `${resourceKinds[kind].title} '${name}' is still used by ${describe(
              dependents,
            )}; delete those first or ask for cascade=true`,
            [
              {
                field: 'cascade',
                message: `is false, and ${describe(
                  dependents,
                )} depend on this object; delete those first or ask for cascade=true`,
              },
            ],
          );
        }
        const now = this.now();
        const deleted = [...dependents, { kind, name }];
        for (const d of deleted) {
          const victim =
            d.kind === kind && d.name === name
              ? object
              : await store.get(d.kind, d.name);
          if (!victim) continue;
          if (d !== deleted[deleted.length - 1]) {
            // Cascading removes objects the caller may not own: each needs its own right.
            await this.authorizeWrite(
              store,
              d.kind,
              'delete',
              victim.spec as AnySpec,
              caller,
            );
          }
          await store.delete(d.kind, d.name);
          removed.push(changeOf('deleted', victim));
          await store.appendEvent(
            {
              kind: d.kind,
              name: d.name,
              project: victim.project,
              action: 'deleted',
              actor: caller.actor,
              version: victim.version,
              message:
                d.name === name && d.kind === kind
                  ? undefined
                  : `deleted with ${resourceKinds[kind].title} '${name}' (cascade)`,
            },
            now,
          );
        }
        return { deleted };
      });
      this.announce(removed);
      return result;
    });
  }

  async events(
    kind: ResourceKind,
    name: string,
    options: { limit: number; cursor?: string },
    caller: Caller,
  ) {
    const { store } = this.deps;
    // Event logs outlive deleted objects; visibility follows the object while it exists.
    const object = await store.get(kind, name);
    // Of a deleted object, a caller who may not read every log sees the
    // entries of the project it was deleted from, if they may read that one's.
    const onlyProject = object
      ? (await this.readable(store, kind, name, caller), undefined)
      : await this.authorizeDeletedRead(store, kind, name, caller);
    const log = `${resourceKinds[kind].plural}/${name}/events`;
    const before = options.cursor
      ? Number(decodeCursor(log, options.cursor, cursorPositions.eventId))
      : undefined;
    const page = await store.listEvents(kind, name, {
      limit: options.limit,
      before,
    });
    return {
      items: onlyProject
        ? page.items.filter(e => e.project === onlyProject)
        : page.items,
      nextCursor: page.hasMore
        ? encodeCursor(log, String(page.items[page.items.length - 1].id))
        : undefined,
    };
  }

  async rotateEnrollmentToken(
    pool: string,
    requester: Caller,
  ): Promise<{ enrollmentToken: string; pool: string }> {
    return this.audited(
      'rotate-enrollment-token',
      'pool',
      pool,
      requester,
      async () => {
        const caller = await this.withDecisions(requester, [
          aiGatewayPermissions.pool.read,
          aiGatewayPermissions.pool.update,
        ]);
        return this.deps.store.transaction(async store => {
          const object = await this.readable<AnySpec>(
            store,
            'pool',
            pool,
            caller,
          );
          await this.authorizeWrite(
            store,
            'pool',
            'update',
            object.spec,
            caller,
          );
          const issued = EnrollmentTokens.issue(pool);
          const now = this.now();
          await store.setPoolToken(pool, issued.hash, now);
          await store.appendEvent(
            {
              kind: 'pool',
              name: pool,
              project: object.project,
              action: 'enrollment-token-rotated',
              actor: caller.actor,
              version: object.version,
              message:
                'A new enrollment token was issued; the previous one no longer works',
            },
            now,
          );
          return { pool, enrollmentToken: issued.token };
        });
      },
    );
  }

  /**
   * A pool the caller may read, or (action 'update') change; 404 when hidden,
   * 403 when readable but not changeable. For operations on pools beyond CRUD
   * (manifests, sync, reseed).
   */
  async authorizedPool<T>(
    name: string,
    action: 'read' | 'update',
    caller: Caller,
  ): Promise<StoredObject<T>> {
    const { store } = this.deps;
    const object = await this.readable<T>(store, 'pool', name, caller);
    if (action === 'update') {
      await this.authorizeWrite(
        store,
        'pool',
        'update',
        object.spec as AnySpec,
        caller,
      );
    }
    return object;
  }

  /**
   * An object (as the API shows it) the caller may read, or (action
   * 'update') change; 404 when hidden, 403 when readable but not changeable.
   * For operations on an object beyond CRUD (an MCP server's contract check).
   */
  async authorizedView(
    kind: ResourceKind,
    name: string,
    action: 'read' | 'update',
    caller: Caller,
  ): Promise<ResourceView> {
    const { store } = this.deps;
    const object = await this.readable(store, kind, name, caller);
    if (action === 'update') {
      await this.authorizeWrite(store, kind, 'update', object.spec, caller);
    }
    return this.view(store, object);
  }

  /**
   * Records how an install of the pool ended (`POST /pools/:name/install-report`),
   * so the pool's Events tell why it is not running when the installer could
   * not install it. Needs the right to change the pool.
   */
  async reportInstall(
    pool: string,
    body: unknown,
    requester: Caller,
  ): Promise<InstallReportResult> {
    return this.audited('install-report', 'pool', pool, requester, async () => {
      const result = installReportSchema.safeParse(body);
      if (!result.success) {
        const issues = formatZodIssues(result.error);
        throw invalidInput(
          `Invalid install report: ${summarizeIssues(issues)}`,
          issues,
        );
      }
      const caller = await this.withDecisions(requester, [
        aiGatewayPermissions.pool.read,
        aiGatewayPermissions.pool.update,
      ]);
      const object = await this.authorizedPool(pool, 'update', caller);
      const at = this.now();
      await this.deps.store.appendEvent(
        {
          kind: 'pool',
          name: pool,
          project: object.project,
          action: result.data.outcome,
          actor: caller.actor,
          version: object.version,
          message: result.data.message,
        },
        at,
      );
      return { pool, action: result.data.outcome, at: at.toISOString() };
    });
  }

  /** Records something that happened to a pool in its event log. */
  async appendPoolEvent(
    pool: { name: string; project: string; version?: number },
    action: string,
    actor: string,
    message: string,
  ): Promise<void> {
    await this.deps.store.appendEvent(
      {
        kind: 'pool',
        name: pool.name,
        project: pool.project,
        action,
        actor,
        version: pool.version,
        message,
      },
      this.now(),
    );
  }

  /** Whether a presented operator token is the current one of its pool. */
  async verifyEnrollmentToken(token: string): Promise<string | undefined> {
    const pool = EnrollmentTokens.poolOf(token);
    if (!pool) return undefined;
    const hash = await this.deps.store.getPoolTokenHash(pool);
    return EnrollmentTokens.matches(token, hash) ? pool : undefined;
  }

  /**
   * Resolves `kind:name` refs for the permission framework's apply-conditions
   * endpoint, so other plugins can ask about our objects.
   */
  async permissionResources(
    refs: string[],
  ): Promise<Array<AiGatewayPermissionResource | undefined>> {
    const { store } = this.deps;
    return Promise.all(
      refs.map(async ref => {
        const [kind, name] = ref.split(':', 2) as [ResourceKind, string];
        if (!(kind in resourceKinds) || !name) return undefined;
        const object = await store.get<AnySpec>(kind, name);
        return object
          ? this.permissionResource(store, kind, object.spec)
          : undefined;
      }),
    );
  }

  // --- rules shared by the operations above ---

  private validate(kind: ResourceKind, body: unknown): AnySpec {
    const result = resourceKinds[kind].schema.safeParse(body, {
      reportInput: true,
    });
    if (!result.success) {
      const issues = formatZodIssues(result.error);
      throw invalidInput(
        `Invalid ${resourceKinds[kind].title}: ${issues
          .map(i => (i.field ? `${i.field}: ${i.message}` : i.message))
          .join('; ')}`,
        issues,
      );
    }
    return result.data as AnySpec;
  }

  /** Loads an object the caller may read; 404 both when missing and when hidden. */
  private async readable<T = AnySpec>(
    store: AiGatewayStore,
    kind: ResourceKind,
    name: string,
    caller: Caller,
  ): Promise<StoredObject<T>> {
    const object = await store.get<T>(kind, name);
    const notFound = new NotFoundError(
      `${resourceKinds[kind].title} '${name}' not found`,
    );
    if (!object) throw notFound;
    const resource = await this.permissionResource(
      store,
      kind,
      object.spec as AnySpec,
    );
    if (
      !(await this.allowed(aiGatewayPermissions[kind].read, resource, caller))
    ) {
      throw notFound;
    }
    return object;
  }

  /**
   * Whether the caller may read the log of a deleted object: every entry
   * (undefined) when the policy allows reading such objects outright, else
   * the entries of the project the object was last in (its name) when the
   * caller may read that project's objects; 404 otherwise.
   */
  private async authorizeDeletedRead(
    store: AiGatewayStore,
    kind: ResourceKind,
    name: string,
    caller: Caller,
  ): Promise<string | undefined> {
    const permission = aiGatewayPermissions[kind].read;
    const [decision] = await this.decide([permission], caller);
    if (decision.result === AuthorizeResult.ALLOW) return undefined;
    const notFound = new NotFoundError(
      `${resourceKinds[kind].title} '${name}' not found`,
    );
    const [last] = (await store.listEvents(kind, name, { limit: 1 })).items;
    if (decision.result === AuthorizeResult.DENY || !last?.project) {
      throw notFound;
    }
    const resource = await this.permissionResource(store, kind, {
      name,
      project: last.project,
    } as AnySpec);
    const allowed = authorizeConditions(
      decision as Parameters<typeof authorizeConditions>[0],
      resource,
    );
    if (!allowed) throw notFound;
    return last.project;
  }

  private async authorizeWrite(
    store: AiGatewayStore,
    kind: ResourceKind,
    action: 'create' | 'update' | 'delete',
    spec: AnySpec,
    caller: Caller,
  ) {
    const permission = aiGatewayPermissions[kind][action];
    const resource =
      kind === 'project' && action === 'create'
        ? undefined
        : await this.permissionResource(store, kind, spec);
    if (!(await this.allowed(permission, resource, caller))) {
      const where = kind === 'project' ? '' : ` in project '${spec.project}'`;
      throw new NotAllowedError(
        `You are not allowed to ${action} ${resourceKinds[
          kind
        ].title.toLowerCase()}s${where}`,
      );
    }
  }

  private async allowed(
    permission: Permission,
    resource: AiGatewayPermissionResource | undefined,
    caller: Caller,
  ): Promise<boolean> {
    const decision =
      caller.decisions?.get(permission.name) ??
      (await this.decide([permission], caller))[0];
    if (!isResourcePermission(permission)) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    return authorizeConditions(
      decision as Parameters<typeof authorizeConditions>[0],
      resource,
    );
  }

  /** The policy's decisions on `permissions`, in one request to the permission backend. */
  private async decide(
    permissions: Permission[],
    caller: Caller,
  ): Promise<Decision[]> {
    const options = { credentials: caller.credentials };
    const resource = permissions.filter((p): p is ResourcePermission =>
      isResourcePermission(p),
    );
    const basic = permissions.filter(p => !isResourcePermission(p));
    const [conditional, plain] = await Promise.all([
      resource.length
        ? this.deps.permissions.authorizeConditional(
            resource.map(permission => ({ permission })),
            options,
          )
        : [],
      basic.length
        ? this.deps.permissions.authorize(
            basic.map(permission => ({
              permission: permission as BasicPermission,
            })),
            options,
          )
        : [],
    ]);
    const byName = new Map<string, Decision>();
    resource.forEach((p, i) => byName.set(p.name, conditional[i] as Decision));
    basic.forEach((p, i) => byName.set(p.name, plain[i] as Decision));
    return permissions.map(p => byName.get(p.name)!);
  }

  /**
   * The caller with the policy's decisions on `permissions` fetched now, so
   * that the transaction that follows checks them against what it reads
   * without holding a database connection while the permission backend answers.
   */
  private async withDecisions(
    caller: Caller,
    permissions: Permission[],
  ): Promise<Caller> {
    const decisions = await this.decide(permissions, caller);
    return {
      ...caller,
      decisions: new Map(permissions.map((p, i) => [p.name, decisions[i]])),
    };
  }

  private async permissionResource(
    store: AiGatewayStore,
    kind: ResourceKind,
    spec: AnySpec,
  ): Promise<AiGatewayPermissionResource | undefined> {
    if (kind === 'project') {
      return { kind, name: spec.name, project: spec.name, owner: spec.owner };
    }
    const project = await store.get<AnySpec>('project', spec.project);
    return project
      ? {
          kind,
          name: spec.name,
          project: spec.project,
          owner: project.spec.owner,
        }
      : undefined;
  }

  private async view(
    store: AiGatewayStore,
    object: StoredObject,
  ): Promise<ResourceView> {
    return (await this.views(store, [object]))[0];
  }

  private async views(
    store: AiGatewayStore,
    objects: StoredObject[],
  ): Promise<ResourceView[]> {
    const poolNames = new Set<string>();
    for (const o of objects)
      if (o.kind === 'mcpServer' && o.pool) poolNames.add(o.pool);
    const pools = new Map(
      (await store.getMany<AnySpec>('pool', [...poolNames])).map(p => [
        p.name,
        p.spec,
      ]),
    );
    return objects.map(o => {
      const view = {
        kind: o.kind,
        name: o.name,
        project: o.project,
        version: o.version,
        createdAt: o.createdAt,
        createdBy: o.createdBy,
        updatedAt: o.updatedAt,
        updatedBy: o.updatedBy,
        // Parsed only if someone reads it; HTTP responses embed specJson.
        get spec() {
          return o.spec as AnySpec;
        },
      } as ResourceView;
      Object.defineProperty(view, 'specJson', {
        value: o.specJson,
        enumerable: false,
      });
      const pool =
        o.kind === 'mcpServer' && o.pool ? pools.get(o.pool) : undefined;
      if (pool && o.prefix) {
        view.derived = { url: mcpServerUrl(pool as any, { prefix: o.prefix }) };
      }
      return view;
    });
  }

  /** Runs `fn` as one audited action (the auditor's success/fail events). */
  async audited<T>(
    actionType: string,
    kind: ResourceKind,
    name: string | undefined,
    caller: Caller,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await this.deps.auditor.createEvent({
      eventId: 'resource-mutate',
      severityLevel: ['delete', 'rotate-enrollment-token', 'reseed'].includes(
        actionType,
      )
        ? 'high'
        : 'medium',
      request: caller.request,
      meta: { actionType, kind, ...(name ? { name } : {}) },
    });
    try {
      const result = await fn();
      await event.success({ meta: auditMeta(result) });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

function changeOf(
  action: ResourceChangeEvent['action'],
  object: {
    kind: ResourceKind;
    name: string;
    project: string;
    version: number;
    pool?: string;
    spec?: unknown;
  },
): ResourceChangeEvent {
  const pool =
    object.pool ??
    (object.kind !== 'project' && object.kind !== 'pool'
      ? (object.spec as AnySpec)?.pool
      : undefined);
  return {
    action,
    kind: object.kind,
    name: object.name,
    project: object.project,
    version: object.version,
    ...(pool ? { pool } : {}),
  };
}

/** What the audit log keeps of a result: identifiers and versions, never tokens. */
function auditMeta(result: unknown) {
  const r = result as any;
  const object: ResourceView | undefined =
    r?.object ?? (r?.kind ? r : undefined);
  if (object) {
    return {
      name: object.name,
      project: object.project,
      version: object.version,
    };
  }
  if (r?.deleted) {
    return {
      deleted: (r.deleted as Dependent[]).map(d => `${d.kind}:${d.name}`),
    };
  }
  if (r?.pool) return { name: r.pool };
  return {};
}

function describe(dependents: Dependent[]): string {
  const counts = new Map<ResourceKind, number>();
  for (const d of dependents) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  return [...counts]
    .map(
      ([k, n]) =>
        `${n} ${resourceKinds[k].title.toLowerCase()}${n === 1 ? '' : 's'}`,
    )
    .join(', ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
