import { poolSchema } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { toEntity } from '@ai-gateway-backstage/plugin-catalog-backend-module-ai-gateway';
import {
  coreServices,
  createBackendModule,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import type { AddressInfo } from 'node:net';

/** A pool of the demo, as the suite's catalog module puts it in the catalog. */
const demoPool = toEntity(
  {
    kind: 'pool',
    name: 'payments-prod-eu',
    project: 'payments',
    version: 1,
    spec: poolSchema.parse({
      name: 'payments-prod-eu',
      project: 'payments',
      description: 'Production gateway of the payments team in the EU.',
      cluster: { name: 'prod-eu-eks', type: 'eks' },
      namespace: 'aigw-payments',
      tls: { mode: 'selfsigned' },
      domains: { baseDomain: 'payments.example.com' },
      delivery: { mode: 'direct' },
    }),
  },
  () => 'group:default/team-payments',
  'ai-gateway',
)!;

describe("the portal's search", () => {
  it('finds the suite entities of the catalog by project name', async () => {
    let scheduler: SchedulerService | undefined;
    const { server } = await startTestBackend({
      features: [
        createBackendModule({
          pluginId: 'search',
          moduleId: 'scheduler-probe',
          register(env) {
            env.registerInit({
              deps: { service: coreServices.scheduler },
              async init({ service }) {
                scheduler = service;
              },
            });
          },
        }),
        searchPlugin,
        searchModuleCatalogCollator,
        catalogServiceMock.factory({ entities: [demoPool] }),
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                catalog: {
                  schedule: {
                    frequency: { minutes: 10 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    // Search schedules the indexing once the backend has started: run it now.
    for (const task of await scheduler!.getScheduledTasks()) {
      await scheduler!.triggerTask(task.id);
    }
    const { port } = server.address() as AddressInfo;
    const res = await fetch(
      `http://localhost:${port}/api/search/query?term=payments`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    expect(res.status).toBe(200);
    const results: Array<{ document: { title: string; location: string } }> = (
      await res.json()
    ).results;
    expect(results.map(r => r.document)).toEqual([
      expect.objectContaining({
        title: 'payments-prod-eu',
        location: '/catalog/default/resource/payments-prod-eu',
      }),
    ]);
  });
});
