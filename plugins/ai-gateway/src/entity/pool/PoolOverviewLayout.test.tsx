import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityContentBlueprint,
  EntityContentLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogPlugin } from '@backstage/plugin-catalog';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
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

  /** The layout on a pool's page, the catalog holding `entities`. */
  async function renderLayout(
    cards: Parameters<typeof PoolOverviewLayout>[0]['cards'],
    pool: any = entity('pool'),
    entities: any[] = [pool],
  ) {
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
        <EntityProvider entity={pool}>
          <PoolOverviewLayout cards={cards} />
        </EntityProvider>
      </TestApiProvider>,
      // The orphan warning links to the catalog (after deleting the entity).
      { mountedRoutes: { '/catalog': catalogPlugin.routes.catalogIndex } },
    );
  }

  it('renders them in that order, each once', async () => {
    await renderLayout([relations, about, topology, status]);
    expect(
      screen.getAllByRole('region').map(r => r.getAttribute('aria-label')),
    ).toEqual([
      'entity-card:ai-gateway/pool-overview',
      'entity-card:ai-gateway/topology',
      'entity-card:catalog-graph/relations',
      'entity-card:catalog/about',
    ]);
  });

  it("keeps the catalog's warnings about the entity above the cards", async () => {
    const orphan = {
      ...entity('pool'),
      metadata: {
        name: 'x',
        namespace: 'default',
        annotations: {
          'ai-gateway.io/kind': 'pool',
          'backstage.io/orphan': 'true',
        },
      },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/gone' }],
    };
    await renderLayout([status], orphan);
    // Orphaned, and owned by a group the catalog does not have.
    expect(
      await screen.findByText(/not referenced by any location/i),
    ).toBeInTheDocument();
    expect(await screen.findByText(/group:default\/gone/)).toBeInTheDocument();
    const layout = screen.getByTestId('pool-overview-layout');
    const warning = screen.getByText(/not referenced by any location/i);
    const statusCard = screen.getByRole('region', {
      name: 'entity-card:ai-gateway/pool-overview',
    });
    // The warning comes first in the page.
    expect(
      warning.compareDocumentPosition(statusCard) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(layout).toContainElement(warning);
  });

  it('shows no warning for a sound entity', async () => {
    await renderLayout([status]);
    expect(
      screen.queryByText(/not referenced by any location/i),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps cards it cannot identify, in the app order', () => {
    const anonymous = { element: <section aria-label="anonymous" /> };
    const arranged = arrangePoolCards([anonymous, status]);
    expect(arranged.top).toEqual([status]);
    expect(arranged.content).toEqual([anonymous]);
  });
});
