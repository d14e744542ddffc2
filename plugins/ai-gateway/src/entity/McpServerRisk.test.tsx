import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type McpServerContract,
} from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { McpServerRisk } from './McpServerRisk';

const checkedAt = new Date(Date.now() - 3 * 3600_000).toISOString();

const destructive: McpServerContract = {
  server: 'github',
  lastCheckedAt: checkedAt,
  snapshot: {
    hash: `sha256:${'a'.repeat(64)}`,
    riskClass: 'destructive',
    observedAt: '2026-11-01T00:00:00.000Z',
    destructiveTools: ['delete_repo'],
    contract: {
      tools: [
        {
          name: 'delete_repo',
          inputSchema: { type: 'object' },
          annotations: { destructiveHint: true },
        },
        {
          name: 'get_issue',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true },
        },
      ],
      resources: [],
      prompts: [],
    },
  },
  previous: [],
  changes: [],
};

const render = (getMcpServerContract: AiGatewayApi['getMcpServerContract']) =>
  renderInTestApp(
    <TestApiProvider
      apis={[[aiGatewayApiRef, fakeAiGatewayApi({ getMcpServerContract })]]}
    >
      <McpServerRisk server="github" />
    </TestApiProvider>,
  );

describe('McpServerRisk', () => {
  it('shows the risk class, why (naming the tool), when checked, and links to the Contract tab', async () => {
    const get = jest.fn(async () => destructive);
    await render(get);
    const chip = await screen.findByTestId('mcp-risk');
    expect(chip).toHaveTextContent('Destructive');
    expect(chip).toHaveAttribute('data-risk', 'destructive');
    expect(get).toHaveBeenCalledWith('github');
    fireEvent.mouseOver(chip);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Destructive: tool delete_repo may delete or overwrite (destructiveHint)',
    );
    expect(screen.getByTestId('mcp-risk-checked')).toHaveTextContent(
      'checked 3 h ago',
    );
    expect(screen.getByTestId('mcp-risk-contract-link')).toHaveAttribute(
      'href',
      '/catalog/default/api/github/mcp-contract',
    );
  });

  it('says when the last check failed and the class is that of the contract before', async () => {
    await render(async () => ({ ...destructive, error: 'connection refused' }));
    expect(await screen.findByTestId('mcp-risk-checked')).toHaveTextContent(
      'that check failed',
    );
  });

  it('says "not observed yet" before a check succeeded', async () => {
    await render(async () => ({
      server: 'github',
      lastCheckedAt: checkedAt,
      error: 'connection refused',
      previous: [],
      changes: [],
    }));
    expect(await screen.findByTestId('mcp-risk-unobserved')).toHaveTextContent(
      'not observed yet (the last check failed)',
    );
    expect(screen.queryByTestId('mcp-risk')).not.toBeInTheDocument();
    expect(screen.getByTestId('mcp-risk-contract-link')).toBeInTheDocument();
  });

  it('says the class could not be read when the contract does not load', async () => {
    await render(async () => {
      throw new Error('403 Forbidden');
    });
    expect(await screen.findByText('could not be read')).toBeInTheDocument();
  });
});
