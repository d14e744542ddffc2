import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const MODULE =
  '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';

/** A logger service that records every warning with the plugin that logged it. */
function recordingLogger(warnings: Array<{ plugin: string; message: string }>) {
  return createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const logger: LoggerService = {
        error: () => {},
        info: () => {},
        debug: () => {},
        warn: message => {
          warnings.push({ plugin: plugin.getId(), message });
        },
        child: () => logger,
      };
      return logger;
    },
  });
}

describe('the control plane without a renderer module', () => {
  const warnings: Array<{ plugin: string; message: string }> = [];
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      rendererModules: [],
      features: [recordingLogger(warnings)],
    });
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  it('warns at start-up which module renders agentgateway pools', () => {
    expect(warnings).toContainEqual({
      plugin: 'ai-gateway',
      message: expect.stringContaining(
        `No renderer for gateway 'agentgateway' is installed (installed: none); add the backend module ${MODULE}`,
      ),
    });
  });

  it('keeps the pool and answers 409 naming the module when its bundle or status is asked for', async () => {
    expect((await t.api('payments').get('/pools/prod')).status).toBe(200);
    for (const path of [
      '/pools/prod/manifests',
      '/pools/prod/manifests?format=yaml',
      '/pools/prod/gitops',
      '/pools/prod/status',
    ]) {
      const res = await t.api('payments').get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 409 });
      expect(res.body.error.message).toContain(MODULE);
    }
  });

  it('does not warn when the agentgateway module is installed', async () => {
    const withModule: Array<{ plugin: string; message: string }> = [];
    const other = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [recordingLogger(withModule)],
    });
    try {
      expect(withModule.filter(w => w.message.includes('No renderer'))).toEqual(
        [],
      );
    } finally {
      await other.backend.stop();
    }
  });
});
