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
} from '@internal/plugin-ai-gateway-common';
import type { ControlPlaneClient } from './ControlPlaneClient';
import { toEntity, type ControlPlaneObject } from './entities';

const KINDS_WITH_ENTITIES: ResourceKind[] = ['project', 'pool', 'mcpServer', 'aiBackend'];

/**
 * Projects, pools, MCP servers and AI backends of the control plane as
 * catalog entities: a scheduled full sync repairs any drift, and each change
 * the control plane announces is applied at once as a delta.
 */
export class AiGatewayEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Owner group per project, kept from the last sync and from deltas. */
  private readonly owners = new Map<string, string>();

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
      id: 'catalog-ai-gateway-entity-provider',
      topics: [AI_GATEWAY_CHANGES_TOPIC],
      onEvent: async ({ eventPayload }) => {
        try {
          await this.applyChange(eventPayload as ResourceChangeEvent);
        } catch (error) {
          // The next full sync repairs what a failed delta missed.
          this.deps.logger.warn(`Could not apply an AI gateway change to the catalog: ${error}`);
        }
      },
    });
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:full-sync`,
      fn: async () => {
        await this.fullSync();
      },
    });
  }

  /** Replaces every entity of this provider with the control plane's objects. */
  async fullSync(): Promise<number> {
    const connection = this.requireConnection();
    const objects = new Map<ResourceKind, ControlPlaneObject[]>();
    for (const kind of KINDS_WITH_ENTITIES) {
      objects.set(kind, await this.deps.client.list(kind));
    }
    this.owners.clear();
    for (const project of objects.get('project')!) {
      this.owners.set(project.name, project.spec.owner);
    }
    const entities = [...objects.values()]
      .flat()
      .map(o => this.entityOf(o))
      .filter((e): e is Entity => Boolean(e));
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: this.getProviderName() })),
    });
    this.deps.logger.info(`AI gateway: ${entities.length} entities synced to the catalog`);
    return entities.length;
  }

  /** Applies one announced change as a delta mutation. */
  async applyChange(change: ResourceChangeEvent): Promise<void> {
    const connection = this.requireConnection();
    if (!KINDS_WITH_ENTITIES.includes(change.kind)) return;
    const object =
      change.action === 'deleted' ? undefined : await this.deps.client.get(change.kind, change.name);
    if (!object) {
      const entityRef = this.refOf(change.kind, change.name);
      await connection.applyMutation({ type: 'delta', added: [], removed: [{ entityRef, locationKey: this.getProviderName() }] });
      return;
    }
    if (object.kind === 'project') this.owners.set(object.name, object.spec.owner);
    const changed = [object];
    // A pool's domains shape its MCP servers' URLs; a project's owner owns everything in it.
    if (object.kind === 'pool') changed.push(...(await this.deps.client.list('mcpServer', { pool: object.name })));
    if (object.kind === 'project') {
      for (const kind of ['pool', 'mcpServer', 'aiBackend'] as const) {
        changed.push(...(await this.deps.client.list(kind, { project: object.name })));
      }
    }
    const added = changed
      .map(o => this.entityOf(o))
      .filter((e): e is Entity => Boolean(e))
      .map(entity => ({ entity, locationKey: this.getProviderName() }));
    await connection.applyMutation({ type: 'delta', added, removed: [] });
  }

  private entityOf(object: ControlPlaneObject): Entity | undefined {
    return toEntity(object, project => this.owners.get(project), this.getProviderName());
  }

  private refOf(kind: ResourceKind, name: string): string {
    const entityKind = kind === 'project' ? 'system' : kind === 'mcpServer' ? 'api' : 'resource';
    return stringifyEntityRef({ kind: entityKind, namespace: 'default', name });
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) throw new Error('AiGatewayEntityProvider is not connected yet');
    return this.connection;
  }
}
