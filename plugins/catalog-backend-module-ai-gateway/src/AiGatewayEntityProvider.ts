import { randomUUID } from 'node:crypto';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  AI_GATEWAY_CHANGES_TOPIC,
  type ResourceChangeEvent,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ControlPlaneClient } from './ControlPlaneClient';
import { toEntity, type ControlPlaneObject } from './entities';

const KINDS_WITH_ENTITIES: ResourceKind[] = [
  'project',
  'pool',
  'mcpServer',
  'aiBackend',
];
/**
 * The order of a full sync's entities, which is the order the catalog first
 * processes them in: what depends on a pool before the pools, the pools
 * before their projects. Each processed entity marks the targets of its
 * relations for stitching; a target not yet processed is skipped cheaply,
 * so a pool (and a project's System, with a relation to everything in it)
 * is stitched once with all its relations instead of again after each
 * dependent.
 */
const SYNC_ORDER: ResourceKind[] = [
  'aiBackend',
  'mcpServer',
  'pool',
  'project',
];
/** Waits before retrying a failed full sync (the control plane may still be starting). */
const SYNC_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/**
 * Projects, pools, MCP servers and AI backends of the control plane as
 * catalog entities: a scheduled full sync repairs any drift, and each change
 * the control plane announces is applied at once as a delta.
 *
 * @public
 */
export class AiGatewayEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Owner group per project, kept from the last sync and from deltas. */
  private readonly owners = new Map<string, string>();
  /**
   * Changes announced while a full sync runs. The sync's snapshot may be
   * older than their deltas and would undo them, so they are applied again
   * once it is in.
   */
  private changesDuringSync?: ResourceChangeEvent[];

  constructor(
    private readonly deps: {
      client: ControlPlaneClient;
      events: EventsService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'ai-gateway';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.events.subscribe({
      // One subscription per replica, not one shared by all: every replica
      // applies every change (deltas are idempotent), so the replica running
      // the full sync sees the changes made during it, wherever they came from.
      id: `catalog-ai-gateway-entity-provider-${randomUUID()}`,
      topics: [AI_GATEWAY_CHANGES_TOPIC],
      onEvent: async ({ eventPayload }) => {
        const change = eventPayload as ResourceChangeEvent;
        this.changesDuringSync?.push(change);
        try {
          await this.applyChange(change);
        } catch (error) {
          // The next full sync repairs what a failed delta missed.
          this.deps.logger.warn(
            `Could not apply an AI gateway change to the catalog: ${error}`,
          );
        }
      },
    });
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:full-sync`,
      fn: async abortSignal => {
        // The first run starts with the backend, possibly before the control
        // plane answers: retry briefly rather than wait for the next run.
        for (const delayMs of [...SYNC_RETRY_DELAYS_MS, undefined]) {
          try {
            await this.fullSync();
            return;
          } catch (error) {
            if (delayMs === undefined || abortSignal?.aborted) throw error;
            this.deps.logger.warn(
              `AI gateway full sync failed, retrying in ${delayMs} ms: ${error}`,
            );
            await new Promise(resolve => setTimeout(resolve, delayMs));
          }
        }
      },
    });
  }

  /** Replaces every entity of this provider with the control plane's objects. */
  async fullSync(): Promise<number> {
    const connection = this.requireConnection();
    const started = performance.now();
    this.changesDuringSync = [];
    try {
      const objects = new Map<ResourceKind, ControlPlaneObject[]>();
      for (const kind of KINDS_WITH_ENTITIES) {
        objects.set(kind, await this.deps.client.list(kind));
      }
      const read = performance.now();
      this.owners.clear();
      for (const project of objects.get('project')!) {
        this.owners.set(project.name, project.spec.owner);
      }
      const entities = SYNC_ORDER.flatMap(kind => objects.get(kind)!)
        .map(o => this.entityOf(o))
        .filter((e): e is Entity => Boolean(e));
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
      this.deps.logger.info(
        `AI gateway: ${
          entities.length
        } entities synced to the catalog in ${Math.round(
          performance.now() - started,
        )} ms (read ${Math.round(read - started)} ms)`,
      );
      return entities.length;
    } finally {
      const changes = this.changesDuringSync;
      this.changesDuringSync = undefined;
      for (const change of changes) {
        try {
          await this.applyChange(change);
        } catch (error) {
          this.deps.logger.warn(
            `Could not apply an AI gateway change to the catalog: ${error}`,
          );
        }
      }
    }
  }

  /** Applies one announced change as a delta mutation. */
  async applyChange(change: ResourceChangeEvent): Promise<void> {
    const connection = this.requireConnection();
    if (!KINDS_WITH_ENTITIES.includes(change.kind)) return;
    const object =
      change.action === 'deleted'
        ? undefined
        : await this.deps.client.get(change.kind, change.name);
    if (!object) {
      const entityRef = this.refOf(change.kind, change.name);
      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entityRef, locationKey: this.getProviderName() }],
      });
      return;
    }
    if (object.kind === 'project')
      this.owners.set(object.name, object.spec.owner);
    else if (!this.owners.has(object.project)) {
      // A replica that has not run a full sync yet (another one did).
      const project = await this.deps.client.get('project', object.project);
      if (project) this.owners.set(project.name, project.spec.owner);
    }
    const changed = [object];
    // A pool's domains shape its MCP servers' URLs; a project's owner owns everything in it.
    if (object.kind === 'pool')
      changed.push(
        ...(await this.deps.client.list('mcpServer', { pool: object.name })),
      );
    if (object.kind === 'project') {
      for (const kind of ['pool', 'mcpServer', 'aiBackend'] as const) {
        changed.push(
          ...(await this.deps.client.list(kind, { project: object.name })),
        );
      }
    }
    const added = changed
      .map(o => this.entityOf(o))
      .filter((e): e is Entity => Boolean(e))
      .map(entity => ({ entity, locationKey: this.getProviderName() }));
    await connection.applyMutation({ type: 'delta', added, removed: [] });
  }

  private entityOf(object: ControlPlaneObject): Entity | undefined {
    return toEntity(
      object,
      project => this.owners.get(project),
      this.getProviderName(),
    );
  }

  private refOf(kind: ResourceKind, name: string): string {
    const entityKinds: Partial<Record<ResourceKind, string>> = {
      project: 'system',
      mcpServer: 'api',
    };
    return stringifyEntityRef({
      kind: entityKinds[kind] ?? 'resource',
      namespace: 'default',
      name,
    });
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection)
      throw new Error('AiGatewayEntityProvider is not connected yet');
    return this.connection;
  }
}
