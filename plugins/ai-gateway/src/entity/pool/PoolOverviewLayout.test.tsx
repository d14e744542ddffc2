import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityContentBlueprint,
  EntityContentLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { render, screen } from '@testing-library/react';
import aiGatewayPlugin from '../../alpha';
import {
  arrangePoolCards,
  cardExtensionId,
  PoolOverviewLayout,
} from './PoolOverviewLayout';

const plugin = aiGatewayPlugin as any;
type EntityFilter = (entity: object) => boolean;
const entity = (kind: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'x', annotations: { 'ai-gateway.io/kind': kind } },
  spec: {},
});

/** A card as the catalog hands it over: the element carries its app node. */
function Boundary(props: { node: { spec: { id: string } }; text: string }) {
  return <section aria-label={props.text}>{props.text}</section>;
}
const card = (id: string, type?: 'info' | 'content') => ({
  type,
  element: <Boundary node={{ spec: { id } }} text={id} />,
});

const relations = card('entity-card:catalog-graph/relations');
const about = card('entity-card:catalog/about', 'info');
const topology = card('entity-card:ai-gateway/topology');
const status = card('entity-card:ai-gateway/pool-overview');

describe('the pool overview layout', () => {
  it('registers a layout for pool entities only', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-content-layout:ai-gateway/pool-overview'),
    ).get(EntityContentLayoutBlueprint.dataRefs.filterFunction) as EntityFilter;
    expect(filter(entity('pool'))).toBe(true);
    expect(filter(entity('mcpServer'))).toBe(false);
    expect(filter(entity('aiBackend'))).toBe(false);
    expect(
      filter({ ...entity('pool'), metadata: { name: 'no-annotation' } }),
    ).toBe(false);
  });

  it('registers the Install tab on pool entities', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:ai-gateway/pool-install'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Install');
    expect(tester.get(coreExtensionData.routePath)).toBe('install');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(entity('pool'))).toBe(true);
    expect(filter(entity('mcpServer'))).toBe(false);
  });

  it("recognises the plugin's own cards by the app node the catalog hands over", () => {
    for (const id of [
      'entity-card:ai-gateway/pool-overview',
      'entity-card:ai-gateway/topology',
    ]) {
      const element = createExtensionTester(plugin.getExtension(id)).get(
        coreExtensionData.reactElement,
      );
      expect(cardExtensionId({ element })).toBe(id);
    }
  });

  it('puts the status, then the topology first, then the other content cards beside the info cards', () => {
    const arranged = arrangePoolCards([relations, about, topology, status]);
    expect(arranged.top).toEqual([status, topology]);
    expect(arranged.content).toEqual([relations]);
    expect(arranged.info).toEqual([about]);
  });

  it('renders them in that order, each once', () => {
    render(<PoolOverviewLayout cards={[relations, about, topology, status]} />);
    expect(
      screen.getAllByRole('region').map(r => r.getAttribute('aria-label')),
    ).toEqual([
      'entity-card:ai-gateway/pool-overview',
      'entity-card:ai-gateway/topology',
      'entity-card:catalog-graph/relations',
      'entity-card:catalog/about',
    ]);
  });

  it('keeps cards it cannot identify, in the app order', () => {
    const anonymous = { element: <section aria-label="anonymous" /> };
    const arranged = arrangePoolCards([anonymous, status]);
    expect(arranged.top).toEqual([status]);
    expect(arranged.content).toEqual([anonymous]);
  });
});
