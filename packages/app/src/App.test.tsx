import { aiGatewayApiRef } from '@ai-gateway-backstage/plugin-ai-gateway';
import { ConfigReader } from '@backstage/config';
import { createApp } from '@backstage/frontend-defaults';
import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import searchPlugin from '@backstage/plugin-search/alpha';
import { searchApiRef } from '@backstage/plugin-search-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { homeModule } from './modules/home';

/** The control plane as the home page reads it: one pool of the guest's team. */
const aiGateway = {
  getFleet: async () => [
    {
      pool: 'payments-onprem',
      project: 'payments',
      cluster: { name: 'onprem', type: 'openshift' },
      namespace: 'aigw-payments',
      delivery: 'gitops',
      phase: 'Pending',
      counts: { mcpServers: 0, aiBackends: 0, policies: 0 },
    },
  ],
  listObjects: async (plural: string) =>
    plural === 'projects'
      ? [
          {
            kind: 'project',
            name: 'payments',
            project: 'payments',
            spec: { title: 'Payments', owner: 'group:default/team-payments' },
          },
        ]
      : [],
} as any;

/** Pages load lazily: the first render compiles their modules. */
const LOADED = { timeout: 30_000 };

describe('the portal', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shows the AI Gateway home content at /', async () => {
    renderTestApp({
      features: [homeModule],
      initialRouteEntries: ['/'],
      apis: [
        [aiGatewayApiRef, aiGateway],
        mockApis.identity({
          ownershipEntityRefs: ['group:default/team-payments'],
        }),
      ],
    });
    expect(
      await screen.findByText('Quick actions', {}, LOADED),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByRole(
        'link',
        { name: 'Home' },
      ),
    ).toHaveAttribute('href', '/');
    expect(await screen.findByTestId('home-scope')).toHaveAttribute(
      'data-scope',
      'team',
    );
    expect(screen.getByTestId('home-pool-payments-onprem')).toHaveTextContent(
      'Next step: Commit the GitOps folder',
    );
  }, 60_000);

  it('has a search page at /search that lists what the search backend found', async () => {
    // The real app (frontend-defaults), not the test app: the search page's
    // components need the app context of the frontend system the portal runs.
    window.history.pushState({}, '', '/search?query=payments');
    // Replaces the search plugin's own api:search.
    const fakeSearch = ApiBlueprint.make({
      params: define =>
        define({
          api: searchApiRef,
          deps: {},
          factory: () => ({
            query: async () => ({
              results: [
                {
                  type: 'software-catalog',
                  document: {
                    title: 'payments-onprem',
                    text: 'Gateway pool of project payments',
                    location: '/catalog/default/resource/payments-onprem',
                  },
                },
              ],
            }),
          }),
        }),
    });
    const fakeCatalog = ApiBlueprint.make({
      name: 'fake-catalog',
      params: define =>
        define({
          api: catalogApiRef,
          deps: {},
          factory: () => catalogApiMock(),
        }),
    });
    const app = createApp({
      features: [
        searchPlugin,
        createFrontendModule({ pluginId: 'search', extensions: [fakeSearch] }),
        createFrontendModule({ pluginId: 'app', extensions: [fakeCatalog] }),
      ],
      advanced: {
        configLoader: async () => ({
          config: new ConfigReader({
            app: { baseUrl: 'http://localhost', title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          }),
        }),
      },
    });
    render(app.createRoot());
    // The default sign-in page: without a backend it offers the local guest.
    // (The guest's backend sign-in fails first and logs so.)
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    jest.spyOn(window, 'confirm').mockImplementation(() => true);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Enter' }, LOADED),
    );
    expect(
      await screen.findByText('payments-onprem', {}, LOADED),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByRole(
        'link',
        { name: 'Search' },
      ),
    ).toHaveAttribute('href', '/search');
  }, 60_000);
});
