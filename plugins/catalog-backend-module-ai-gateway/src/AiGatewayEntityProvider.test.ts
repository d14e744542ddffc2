import type { SchedulerServiceTaskFunction } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  AI_GATEWAY_CHANGES_TOPIC,
  mcpServerSchema,
  poolSchema,
  type ResourceChangeEvent,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayEntityProvider } from './AiGatewayEntityProvider';
import type { ControlPlaneClient } from './ControlPlaneClient';
import type { ControlPlaneObject } from './entities';

const pool = poolSchema.parse({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'prod-eu', type: 'eks' },
  namespace: 'aigw-prod',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'pay.example.com' },
});
const server = mcpServerSchema.parse({
  name: 'github',
  project: 'payments',
  pool: 'prod',
  prefix: 'github',
  source: { type: 'remote', url: 'https://gh.example.com/mcp' },
});
const objects: Record<string, ControlPlaneObject[]> = {
  project: [
    {
      kind: 'project',
      name: 'payments',
      project: 'payments',
      version: 1,
      spec: {
        name: 'payments',
        title: 'Payments',
        owner: 'group:default/team-payments',
      },
    },
  ],
  pool: [
    { kind: 'pool', name: 'prod', project: 'payments', version: 1, spec: pool },
  ],
  mcpServer: [
    {
      kind: 'mcpServer',
      name: 'github',
      project: 'payments',
      version: 1,
      spec: server,
      derived: { url: 'https://mcp.pay.example.com/github/mcp' },
    },
  ],
  aiBackend: [
    {
      kind: 'aiBackend',
      name: 'llm',
      project: 'payments',
      version: 1,
      spec: {
        name: 'llm',
        project: 'payments',
        pool: 'prod',
        spec: { kind: 'ai' },
      },
    },
  ],
};

/**
 * A provider on fakes: the scheduled task's function is kept to be run by
 * the test, and `announce` delivers a change event as the events service would.
 */
async function connectedProvider(
  client: Pick<ControlPlaneClient, 'list' | 'get'>,
) {
  const mutations: EntityProviderMutation[] = [];
  let task: SchedulerServiceTaskFunction | undefined;
  let onEvent: ((event: EventParams) => Promise<void>) | undefined;
  const provider = new AiGatewayEntityProvider({
    client: client as ControlPlaneClient,
    events: {
      publish: async () => {},
      subscribe: async subscriber => void (onEvent = subscriber.onEvent),
    } as EventsService,
    logger: mockServices.logger.mock(),
    taskRunner: { run: async ({ fn }) => void (task = fn) },
  });
  const connection: EntityProviderConnection = {
    applyMutation: async mutation => void mutations.push(mutation),
    refresh: async () => {},
  };
  await provider.connect(connection);
  return {
    mutations,
    runTask: (signal = new AbortController().signal) =>
      Promise.resolve(task!(signal)),
    announce: (change: ResourceChangeEvent) =>
      onEvent!({ topic: AI_GATEWAY_CHANGES_TOPIC, eventPayload: change }),
  };
}

const refs = (entities: DeferredEntity[]) =>
  entities.map(e => `${e.entity.kind}:${e.entity.metadata.name}`);

describe('AiGatewayEntityProvider full sync', () => {
  it('emits what depends on a pool before the pools, and the pools before their projects', async () => {
    const { mutations, runTask } = await connectedProvider({
      list: async (kind: ResourceKind) => objects[kind] ?? [],
      get: async () => undefined,
    });
    await runTask();
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');
    expect(
      refs((mutations[0] as { entities: DeferredEntity[] }).entities),
    ).toEqual([
      'Resource:llm',
      'API:github',
      'Resource:prod',
      'System:payments',
    ]);
  });

  it('retries a sync the control plane could not answer yet, and stops when aborted', async () => {
    let calls = 0;
    const { mutations, runTask } = await connectedProvider({
      list: async (kind: ResourceKind) => {
        calls++;
        if (calls === 1)
          throw new Error('listing project answered 503: not ready');
        return objects[kind] ?? [];
      },
      get: async () => undefined,
    });
    await runTask();
    expect(mutations).toHaveLength(1);
    expect(
      refs((mutations[0] as { entities: DeferredEntity[] }).entities),
    ).toHaveLength(4);

    const aborted = new AbortController();
    aborted.abort();
    calls = 0;
    await expect(runTask(aborted.signal)).rejects.toThrow('not ready');
    expect(mutations).toHaveLength(1);
  });

  it('applies again a change announced while it read, which its older snapshot would undo', async () => {
    const slack: ControlPlaneObject = {
      ...objects.mcpServer[0],
      name: 'slack',
      spec: { ...server, name: 'slack', prefix: 'slack' },
    };
    let created = false;
    const harness = await connectedProvider({
      list: async (kind: ResourceKind) => {
        // Slack is created after the sync has read the MCP servers.
        if (kind === 'mcpServer' && !created) {
          const snapshot = objects.mcpServer;
          created = true;
          await harness.announce({
            action: 'upserted',
            kind: 'mcpServer',
            name: 'slack',
            project: 'payments',
            pool: 'prod',
          });
          return snapshot;
        }
        return objects[kind] ?? [];
      },
      get: async (kind: ResourceKind, name: string) =>
        kind === 'mcpServer' && name === 'slack' && created ? slack : undefined,
    });
    await harness.runTask();
    expect(harness.mutations.map(m => m.type)).toEqual([
      'delta',
      'full',
      'delta',
    ]);
    expect(
      refs((harness.mutations[1] as { entities: DeferredEntity[] }).entities),
    ).not.toContain('API:slack');
    // The last word is the delta: slack stays in the catalog.
    expect(
      refs((harness.mutations[2] as { added: DeferredEntity[] }).added),
    ).toEqual(['API:slack']);
  });
});
