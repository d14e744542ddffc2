import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  aiGatewayApiRef,
  type McpServerContract,
} from '../../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../../testUtils/fakeAiGatewayApi';
import { McpContractContent } from './McpContractContent';

jest.setTimeout(20_000);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'docs',
    annotations: { 'ai-gateway.backstage.io/kind': 'mcpServer' },
  },
  spec: { type: 'mcp-server', lifecycle: 'production', owner: 'team-a' },
};

const readOnly: McpServerContract = {
  server: 'docs',
  lastCheckedAt: '2026-12-03T10:00:00.000Z',
  snapshot: {
    hash: `sha256:${'a'.repeat(64)}`,
    riskClass: 'read-only',
    observedAt: '2026-12-03T09:00:00.000Z',
    destructiveTools: [],
    contract: {
      tools: [
        {
          name: 'search',
          description: 'Searches the docs',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true, openWorldHint: false },
        },
      ],
      resources: [{ uri: 'test://readme', name: 'readme' }],
      prompts: [{ name: 'summarize' }],
    },
  },
  previous: [],
  changes: [],
};

const drifted: McpServerContract = {
  ...readOnly,
  changed: true,
  snapshot: {
    ...readOnly.snapshot!,
    hash: `sha256:${'b'.repeat(64)}`,
    riskClass: 'destructive',
    destructiveTools: ['delete-page'],
    contract: {
      ...readOnly.snapshot!.contract,
      tools: [
        ...readOnly.snapshot!.contract.tools,
        {
          name: 'delete-page',
          description: 'Deletes a page',
          inputSchema: { type: 'object' },
        },
      ],
    },
  },
  previous: [
    {
      hash: readOnly.snapshot!.hash,
      riskClass: 'read-only',
      observedAt: readOnly.snapshot!.observedAt,
    },
  ],
  changes: [{ type: 'tool-added', tool: 'delete-page' }],
};

async function renderWith(api: ReturnType<typeof fakeAiGatewayApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, api]]}>
      <EntityProvider entity={entity}>
        <McpContractContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('McpContractContent', () => {
  it('shows the contract with the risk class and the annotations with their defaults', async () => {
    await renderWith(
      fakeAiGatewayApi({ getMcpServerContract: async () => readOnly }),
    );
    expect(await screen.findByTestId('contract-risk')).toHaveTextContent(
      'Read-only: Every tool only reads, in a closed world.',
    );
    expect(screen.getByText('Searches the docs')).toBeInTheDocument();
    // idempotentHint is not set: the MCP default (false) shows with it.
    expect(screen.getAllByText('unset (no)').length).toBeGreaterThan(0);
    expect(screen.getByText('test://readme')).toBeInTheDocument();
    expect(screen.getByText('summarize')).toBeInTheDocument();
    expect(screen.queryByTestId('contract-changes')).not.toBeInTheDocument();
  });

  it('checks now with the credentials given, and shows the drift', async () => {
    const checkMcpServerContract = jest.fn(async () => drifted);
    await renderWith(
      fakeAiGatewayApi({
        getMcpServerContract: async () => readOnly,
        checkMcpServerContract,
      }),
    );
    fireEvent.change(await screen.findByTestId('contract-authorization'), {
      target: { value: 'Bearer gateway-token' },
    });
    fireEvent.click(screen.getByTestId('contract-check'));
    await waitFor(() =>
      // The tool without annotations is destructive by the MCP default.
      expect(screen.getByTestId('contract-risk')).toHaveTextContent(
        'Destructive: tool delete-page may delete or overwrite (destructiveHint; unset destructiveHint takes the MCP default)',
      ),
    );
    expect(checkMcpServerContract).toHaveBeenCalledWith(
      'docs',
      'Bearer gateway-token',
    );
    expect(screen.getByTestId('contract-changes')).toHaveTextContent(
      'Tool delete-page added',
    );
    expect(screen.getByTestId('contract-previous')).toHaveTextContent(
      'read-only',
    );
  });

  it('says why when no contract could be read yet', async () => {
    await renderWith(
      fakeAiGatewayApi({
        getMcpServerContract: async () => ({
          server: 'docs',
          lastCheckedAt: '2026-12-03T10:00:00.000Z',
          error: 'Could not connect to the MCP server: HTTP 401',
          previous: [],
          changes: [],
        }),
      }),
    );
    expect(await screen.findByTestId('contract-error')).toHaveTextContent(
      'HTTP 401',
    );
    expect(screen.getByTestId('contract-none')).toHaveTextContent(
      'the checks so far failed',
    );
  });
});
