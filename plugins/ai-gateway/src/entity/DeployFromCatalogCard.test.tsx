import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { parseAllDocuments } from 'yaml';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type McpRegistryEntry,
} from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { DeployFromCatalogCard } from './DeployFromCatalogCard';
import { isMcpRegistryEntryEntity } from './mcpRegistryEntry';

// The portal's own examples: what the demo catalog holds.
const [docsSearch, localFiles] = parseAllDocuments(
  readFileSync(
    path.resolve(__dirname, '../../../../examples/mcp-registry-entries.yaml'),
    'utf8',
  ),
).map(d => d.toJS());

const docsEntry: McpRegistryEntry = {
  server: {
    name: 'io.example.docs/search',
    title: 'Docs search',
    description: 'Searches the engineering handbook.',
    version: '2.1.0',
  },
  importable: true,
  kind: 'remote',
  secrets: [{ name: 'Authorization', in: 'header', required: true }],
  values: [],
};

const render = (
  entity: object,
  listMcpRegistryEntries: AiGatewayApi['listMcpRegistryEntries'],
) =>
  renderInTestApp(
    <TestApiProvider
      apis={[[aiGatewayApiRef, fakeAiGatewayApi({ listMcpRegistryEntries })]]}
    >
      <EntityProvider entity={entity as any}>
        <DeployFromCatalogCard />
      </EntityProvider>
    </TestApiProvider>,
  );

describe('DeployFromCatalogCard', () => {
  it('is offered on API entities defined by a server.json, in JSON or YAML, and not on the suite’s own', () => {
    expect(isMcpRegistryEntryEntity(docsSearch)).toBe(true);
    expect(isMcpRegistryEntryEntity(localFiles)).toBe(true);
    expect(
      isMcpRegistryEntryEntity({
        ...docsSearch,
        metadata: {
          ...docsSearch.metadata,
          annotations: { 'ai-gateway.io/kind': 'mcpServer' },
        },
      }),
    ).toBe(false);
    expect(
      isMcpRegistryEntryEntity({
        ...docsSearch,
        spec: { ...docsSearch.spec, definition: 'openapi: 3.0.0' },
      }),
    ).toBe(false);
    expect(
      isMcpRegistryEntryEntity({
        ...docsSearch,
        spec: { ...docsSearch.spec, type: 'openapi' },
      }),
    ).toBe(false);
  });

  it('says what the gateway runs and the secrets, and opens the template with the entry chosen', async () => {
    const list = jest.fn(async () => ({ servers: [docsEntry], invalid: 0 }));
    await render(docsSearch, list);
    const card = await screen.findByTestId('deploy-from-catalog');
    expect(card).toHaveTextContent('Docs search 2.1.0');
    expect(card).toHaveTextContent('The gateway calls its remote server.');
    expect(card).toHaveTextContent(
      'Secrets to give (as Kubernetes Secret references): Authorization',
    );
    expect(list).toHaveBeenCalledWith('catalog', {
      search: 'io.example.docs/search',
      limit: 100,
    });
    const link = screen.getByText('Deploy to a pool').closest('a');
    const url = new URL(link!.getAttribute('href')!, 'http://portal');
    expect(url.pathname).toBe(
      '/create/templates/default/ai-gateway-deploy-from-mcp-registry',
    );
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      entry: { source: 'catalog', serverName: 'io.example.docs/search' },
    });
  });

  it('says why the gateway cannot serve an entry, without a button', async () => {
    await render(localFiles, async () => ({
      servers: [
        {
          server: {
            name: 'io.example.tools/local-files',
            description: 'Reads files on the local disk.',
            version: '1.0.0',
          },
          importable: false,
          reason:
            'serverJson.packages[0].registryType is npm: only oci packages run in a pool',
          secrets: [],
          values: [],
        },
      ],
      invalid: 0,
    }));
    expect(
      await screen.findByTestId('deploy-from-catalog-refused'),
    ).toHaveTextContent(
      'The gateway cannot serve this entry: serverJson.packages[0].registryType is npm',
    );
    expect(screen.queryByText('Deploy to a pool')).toBeNull();
  });
});
