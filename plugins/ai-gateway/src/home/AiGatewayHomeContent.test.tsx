import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  aiGatewayApiRef,
  type AiGatewayObject,
  type FleetEntry,
} from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { AiGatewayHomeContent } from './AiGatewayHomeContent';

const object = (
  kind: AiGatewayObject['kind'],
  name: string,
  project: string,
  spec: Record<string, unknown>,
): AiGatewayObject => ({
  kind,
  name,
  project,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'user:default/alice',
  spec,
});

const pool = (
  name: string,
  project: string,
  extra: Partial<FleetEntry> = {},
): FleetEntry => ({
  pool: name,
  project,
  cluster: { name: 'prod-eu-eks', type: 'eks' },
  namespace: `aigw-${name}`,
  delivery: 'agent',
  phase: 'Active',
  counts: { mcpServers: 1, aiBackends: 1, policies: 0 },
  ...extra,
});

const fleet = [
  pool('payments-prod', 'payments'),
  pool('research-lab', 'research', { phase: 'Pending' }),
];
const lists: Record<string, AiGatewayObject[]> = {
  projects: [
    object('project', 'payments', 'payments', {
      title: 'Payments',
      owner: 'group:default/team-payments',
    }),
    object('project', 'research', 'research', {
      title: 'Research',
      owner: 'group:default/team-research',
    }),
  ],
  'mcp-servers': [
    object('mcpServer', 'github', 'payments', { pool: 'payments-prod' }),
    object('mcpServer', 'arxiv', 'research', { pool: 'research-lab' }),
  ],
  'ai-backends': [
    object('aiBackend', 'payments-llm', 'payments', { pool: 'payments-prod' }),
    object('aiBackend', 'research-llm', 'research', { pool: 'research-lab' }),
  ],
};

const render = (ownershipEntityRefs: string[]) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [
          aiGatewayApiRef,
          fakeAiGatewayApi({
            getFleet: async () => fleet,
            listObjects: async plural => lists[plural],
          }),
        ],
        [identityApiRef, mockApis.identity({ ownershipEntityRefs })],
      ]}
    >
      <AiGatewayHomeContent />
    </TestApiProvider>,
  );

describe('AiGatewayHomeContent', () => {
  it("shows the user's team's pools, MCP servers and AI backends with their state", async () => {
    await render(['user:default/alice', 'group:default/team-research']);
    const scope = await screen.findByTestId('home-scope');
    expect(scope).toHaveAttribute('data-scope', 'team');
    expect(scope).toHaveTextContent(
      'The projects of your teams: Research (group:default/team-research).',
    );
    expect(screen.getByText("Your team's pools (1)")).toBeInTheDocument();
    expect(screen.queryByTestId('home-pool-payments-prod')).toBeNull();
    const lab = screen.getByTestId('home-pool-research-lab');
    expect(
      within(lab).getByRole('img', { name: 'Pending' }),
    ).toBeInTheDocument();
    expect(lab).toHaveTextContent('No operator has connected yet');
    expect(lab).toHaveTextContent('Next step: Install the operator');
    expect(
      within(lab).getByRole('link', { name: 'research-lab' }),
    ).toHaveAttribute('href', '/catalog/default/resource/research-lab');

    const arxiv = screen.getByTestId('home-mcpServer-arxiv');
    expect(arxiv).toHaveTextContent('Not served');
    expect(arxiv).toHaveTextContent(
      'MCP server arxiv is registered; it is served once pool research-lab is applied. Now Pending',
    );
    expect(within(arxiv).getByRole('link', { name: 'arxiv' })).toHaveAttribute(
      'href',
      '/catalog/default/api/arxiv',
    );
    expect(screen.queryByTestId('home-mcpServer-github')).toBeNull();
    expect(screen.getByTestId('home-aiBackend-research-llm')).toHaveTextContent(
      'Not served',
    );
    expect(screen.queryByTestId('home-aiBackend-payments-llm')).toBeNull();
  });

  it('says so when the user owns nothing and shows everything they can see', async () => {
    await render(['user:default/guest', 'group:default/platform-admins']);
    const scope = await screen.findByTestId('home-scope');
    expect(scope).toHaveAttribute('data-scope', 'all');
    expect(scope).toHaveTextContent(
      'You do not own any AI Gateway project (you are user:default/guest, group:default/platform-admins). Showing everything you can see instead.',
    );
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'All pools you can see (2)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('All MCP servers you can see (2)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('All AI backends you can see (2)'),
    ).toBeInTheDocument();
    const github = screen.getByTestId('home-mcpServer-github');
    expect(github).toHaveTextContent('Served');
    expect(github).toHaveTextContent(
      'MCP server github is served by pool payments-prod.',
    );
    // Active pools need no next step.
    expect(screen.getByTestId('home-pool-payments-prod')).not.toHaveTextContent(
      'Next step',
    );
  });

  it('offers the quick actions as named links to the templates and the fleet', async () => {
    await render([]);
    await screen.findByTestId('home-scope');
    const links: Array<[string, string]> = [
      [
        'Create a gateway pool',
        '/create/templates/default/ai-gateway-create-pool',
      ],
      [
        'Deploy an MCP server',
        '/create/templates/default/ai-gateway-deploy-mcp-server',
      ],
      [
        'Register an AI backend',
        '/create/templates/default/ai-gateway-register-ai-backend',
      ],
      ['Open fleet', '/ai-gateway'],
      ['Usage and cost', '/ai-gateway/usage'],
    ];
    for (const [name, href] of links) {
      expect(screen.getByRole('link', { name })).toHaveAttribute('href', href);
    }
  });
});
