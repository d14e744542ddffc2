import {
  coreServices,
  createServiceFactory,
  type AuditorServiceCreateEventOptions,
  type AuthService,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type {
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { Knex } from 'knex';
import request from 'supertest';

type BackendTestUtils = typeof import('@backstage/backend-test-utils');
type Feature = NonNullable<
  Parameters<typeof startTestBackend>[0]['features']
>[number];

/**
 * The backend and its plugins, required when a test backend starts rather
 * than on import, so that tests that only use the Kubernetes API test server
 * or the schema validator do not load a backend. (`require`, not `import()`:
 * Jest runs CommonJS without dynamic-import support.)
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function loadBackend() {
  const defaultExport = (module: { default: Feature }) => module.default;
  return {
    testUtils: require('@backstage/backend-test-utils') as BackendTestUtils,
    httpAuth:
      require('@backstage/backend-defaults/httpAuth') as typeof import('@backstage/backend-defaults/httpAuth'),
    permissions:
      require('@backstage/backend-defaults/permissions') as typeof import('@backstage/backend-defaults/permissions'),
    aiGatewayPlugin: defaultExport(
      require('@ai-gateway-backstage/plugin-ai-gateway-backend'),
    ),
    agentgatewayModule: defaultExport(
      require('@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway'),
    ),
    permissionPlugin: defaultExport(
      require('@backstage/plugin-permission-backend'),
    ),
    policyModule: defaultExport(
      require('@ai-gateway-backstage/plugin-permission-backend-module-ai-gateway-policy'),
    ),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The mock auth service, except that a plugin's on-behalf-of token resolves
 * to the user with the calling plugin as actor, as real Backstage tokens do
 * (the permission backend refuses conditional queries from "direct" users).
 */
const oboAwareAuthFactory = ({
  mockServices,
  mockCredentials,
}: BackendTestUtils) =>
  createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const inner = mockServices.auth({ pluginId: plugin.getId() });
      const auth: AuthService = {
        authenticate: async (token, options) => {
          const credentials = await inner.authenticate(token, options);
          const prefix = 'mock-service-token:';
          if (
            token.startsWith(prefix) &&
            inner.isPrincipal(credentials, 'user')
          ) {
            return mockCredentials.user(credentials.principal.userEntityRef, {
              actor: { subject: 'plugin:ai-gateway' },
            });
          }
          return credentials;
        },
        getNoneCredentials: () => inner.getNoneCredentials(),
        getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
        isPrincipal: inner.isPrincipal.bind(
          inner,
        ) as AuthService['isPrincipal'],
        getPluginRequestToken: o => inner.getPluginRequestToken(o),
        getLimitedUserToken: c => inner.getLimitedUserToken(c),
        listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      };
      return auth;
    },
  });

/**
 * The demo organisation of the tests: who belongs to which group.
 *
 * @public
 */
export const testUsers = {
  admin: {
    ref: 'user:default/alice',
    groups: ['group:default/platform-admins'],
  },
  payments: {
    ref: 'user:default/bob',
    groups: ['group:default/team-payments'],
  },
  research: {
    ref: 'user:default/carol',
    groups: ['group:default/team-research'],
  },
  outsider: { ref: 'user:default/dave', groups: [] as string[] },
} as const;

/** @public */
export type TestUser = keyof typeof testUsers;

/** @public */
export type RecordedAuditEvent = AuditorServiceCreateEventOptions & {
  outcome?: 'success' | 'fail';
  resultMeta?: unknown;
};

/**
 * Starts a real backend with the ai-gateway plugin, its agentgateway
 * renderer module, the real permission backend and the suite's policy, on
 * the given test database.
 *
 * @public
 */
export async function startAiGatewayTestBackend(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  /** Extra configuration (e.g. kubernetes.clusterLocatorMethods for direct delivery). */
  config?: Record<string, unknown>;
  /** More plugins and modules (e.g. the catalog and the scaffolder). */
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** The renderer modules to install (default: the agentgateway module). */
  rendererModules?: Parameters<typeof startTestBackend>[0]['features'];
  /**
   * The database of another test backend, to start a second replica of the
   * control plane on it (`databases` and `databaseId` then only name its kind).
   */
  shareDatabaseOf?: { knex: Knex };
}) {
  const loaded = loadBackend();
  const { testUtils } = loaded;
  const { mockCredentials, mockServices, startTestBackend: start } = testUtils;
  const { httpAuthServiceFactory } = loaded.httpAuth;
  const { permissionsServiceFactory } = loaded.permissions;
  const knex =
    options.shareDatabaseOf?.knex ??
    (await options.databases.init(options.databaseId));
  const auditEvents: RecordedAuditEvent[] = [];
  const publishedEvents: Array<{ topic: string; eventPayload: any }> = [];
  const bus = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const groupsOf = new Map<string, string[]>(
    Object.values(testUsers).map(u => [u.ref, [...u.groups]]),
  );

  const backend = await start({
    features: [
      loaded.aiGatewayPlugin,
      ...(options.rendererModules ?? [loaded.agentgatewayModule]),
      loaded.permissionPlugin,
      loaded.policyModule,
      ...(options.features ?? []),
      permissionsServiceFactory,
      oboAwareAuthFactory(testUtils),
      httpAuthServiceFactory,
      // With other plugins each gets its own database (their migrations would
      // clash in one); the suite's tables are then not reachable through knex.
      ...(options.features
        ? []
        : [
            mockServices.database.factory({
              knex,
              migrations: { skip: false },
            }),
          ]),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          ...options.config,
          aiGateway: {
            permissions: { admins: ['group:default/platform-admins'] },
            ...(options.config?.aiGateway as object | undefined),
          },
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: BackstageCredentials) => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(groupsOf.get(ref) ?? [])],
          };
        },
      }).factory,
      // In-process events (as in a single backend), with every publish recorded.
      createServiceFactory({
        service: eventsServiceRef,
        deps: { plugin: coreServices.pluginMetadata },
        factory({ plugin }) {
          const events = bus.forPlugin(plugin.getId());
          return {
            publish: async params => {
              publishedEvents.push(
                params as { topic: string; eventPayload: any },
              );
              await events.publish(params);
            },
            subscribe: params => events.subscribe(params),
          };
        },
      }),
      mockServices.auditor.mock({
        createEvent: async (opts: AuditorServiceCreateEventOptions) => {
          const recorded: RecordedAuditEvent = { ...opts };
          auditEvents.push(recorded);
          return {
            success: async o => {
              recorded.outcome = 'success';
              recorded.resultMeta = o?.meta;
            },
            fail: async () => {
              recorded.outcome = 'fail';
            },
          };
        },
      }).factory,
    ],
  });

  const as = (user: TestUser) =>
    `Bearer ${mockCredentials.user.token(testUsers[user].ref)}`;

  /** A supertest agent whose requests carry the user's token. */
  const api = (user: TestUser) => {
    const auth = as(user);
    const server = backend.server;
    const post = (path: string, body?: unknown) =>
      request(server)
        .post(`/api/ai-gateway${path}`)
        .set('Authorization', auth)
        .send(body as any);
    return {
      get: (path: string) =>
        request(server)
          .get(`/api/ai-gateway${path}`)
          .set('Authorization', auth),
      post,
      /**
       * POSTs set-up data and throws unless it was created (201), so that a
       * hook fails with the reason instead of the tests failing later.
       */
      create: async (
        path: string,
        body: unknown,
      ): Promise<request.Response> => {
        const res = await post(path, body);
        if (res.status !== 201) {
          throw new Error(
            `POST ${path} as ${user} returned ${
              res.status
            }, not 201: ${JSON.stringify(res.body)}`,
          );
        }
        return res;
      },
      put: (path: string, body?: unknown) =>
        request(server)
          .put(`/api/ai-gateway${path}`)
          .set('Authorization', auth)
          .send(body as any),
      delete: (path: string) =>
        request(server)
          .delete(`/api/ai-gateway${path}`)
          .set('Authorization', auth),
    };
  };

  return { backend, knex, api, auditEvents, publishedEvents };
}
