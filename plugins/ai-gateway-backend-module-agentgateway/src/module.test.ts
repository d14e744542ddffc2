import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { aiGatewayModuleAgentgateway } from './module';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('aiGatewayModuleAgentgateway', () => {
  it('registers the agentgateway renderer with the control plane', async () => {
    const t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      rendererModules: [aiGatewayModuleAgentgateway],
    });
    try {
      await t
        .api('admin')
        .create(
          '/projects',
          aProject('payments', 'group:default/team-payments'),
        );
      await t.api('payments').create('/pools', aPool('prod', 'payments'));
      const res = await t.api('payments').get('/pools/prod/manifests');
      expect(res.status).toBe(200);
      expect(res.body.renderer).toBe('agentgateway');
      expect(res.body.objects.map((o: { kind: string }) => o.kind)).toEqual(
        expect.arrayContaining(['Gateway', 'AgentgatewayParameters']),
      );
    } finally {
      await t.backend.stop();
    }
  });
});
