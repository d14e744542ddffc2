import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import aiGatewayPlugin from './alpha';

const entity = (kind: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: kind === 'mcpServer' ? 'API' : 'Resource',
  metadata: { name: 'x', annotations: { 'ai-gateway.io/kind': kind } },
  spec: {},
});
const plugin = aiGatewayPlugin as any;
/** The plugin's extensions are looked up by id (untyped), so their filters are too. */
type EntityFilter = (entity: object) => boolean;

describe('the new frontend system plugin', () => {
  it.each([
    ['cluster', 'Cluster'],
    ['endpoints', 'Endpoints'],
    ['ingress', 'Ingress'],
    ['configuration', 'Configuration'],
    ['tls', 'TLS & Domains'],
    ['siem', 'SIEM'],
    ['events', 'Events'],
    ['manifests', 'Manifests'],
    ['access', 'Access'],
  ])('offers the pool tab %s, on pool entities only', (name, title) => {
    const tester = createExtensionTester(
      plugin.getExtension(`entity-content:ai-gateway/pool-${name}`),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
    expect(tester.get(coreExtensionData.routePath)).toBe(name);
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(entity('pool'))).toBe(true);
    expect(filter(entity('mcpServer'))).toBe(false);
    expect(filter(entity('aiBackend'))).toBe(false);
  });

  it('shows the topology card on every entity of the suite and nowhere else', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:ai-gateway/topology'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction) as EntityFilter;
    for (const kind of ['pool', 'mcpServer', 'aiBackend'])
      expect(filter(entity(kind))).toBe(true);
    expect(
      filter({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'c' },
        spec: {},
      }),
    ).toBe(false);
  });

  it('shows the Connect card on MCP servers and AI backends only', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:ai-gateway/connect'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction) as EntityFilter;
    expect(filter(entity('mcpServer'))).toBe(true);
    expect(filter(entity('aiBackend'))).toBe(true);
    expect(filter(entity('pool'))).toBe(false);
  });

  it("offers the Definition tab on MCP servers' API entities only", () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:ai-gateway/mcp-definition'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Definition',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('mcp-definition');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(entity('mcpServer'))).toBe(true);
    expect(filter(entity('aiBackend'))).toBe(false);
    expect(filter({ ...entity('mcpServer'), kind: 'Component' })).toBe(false);
  });

  it("offers the Contract tab on MCP servers' API entities only", () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:ai-gateway/mcp-contract'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Contract');
    expect(tester.get(coreExtensionData.routePath)).toBe('mcp-contract');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(entity('mcpServer'))).toBe(true);
    expect(filter(entity('aiBackend'))).toBe(false);
    expect(filter({ ...entity('mcpServer'), kind: 'Component' })).toBe(false);
  });

  it('shows the Budgets card on groups, projects and AI backends only', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:ai-gateway/budgets'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction) as EntityFilter;
    expect(
      filter({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a' },
        spec: { type: 'team', children: [] },
      }),
    ).toBe(true);
    expect(filter({ ...entity('project'), kind: 'System' })).toBe(true);
    expect(filter(entity('aiBackend'))).toBe(true);
    expect(filter(entity('pool'))).toBe(false);
    expect(filter(entity('mcpServer'))).toBe(false);
  });
});
