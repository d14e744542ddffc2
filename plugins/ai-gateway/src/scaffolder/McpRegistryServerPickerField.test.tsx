import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type McpRegistryEntry,
} from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import {
  McpRegistryServerPickerField,
  type McpRegistryServerPickerValue,
} from './McpRegistryServerPickerField';

const weather: McpRegistryEntry = {
  server: {
    name: 'io.github.example/weather',
    title: 'Weather',
    description: 'Forecasts for any city.',
    version: '1.4.0',
  },
  importable: true,
  kind: 'remote',
  secrets: [
    {
      name: 'Authorization',
      in: 'header',
      description: 'Bearer token',
      required: true,
    },
  ],
  values: [],
};

const tickets: McpRegistryEntry = {
  server: {
    name: 'io.github.example/tickets',
    description: 'Files tickets.',
    version: '0.9.1',
  },
  importable: true,
  kind: 'package',
  secrets: [
    { name: 'TRACKER_TOKEN', in: 'environmentVariable', required: true },
  ],
  values: [{ name: 'LOG_LEVEL', in: 'environmentVariable', required: false }],
};

const localFiles: McpRegistryEntry = {
  server: {
    name: 'io.github.example/local-files',
    description: 'Reads files on the local disk.',
    version: '1.0.0',
  },
  importable: false,
  reason:
    'serverJson.packages[0].registryType is npm: the gateway runs container images',
  secrets: [],
  values: [],
};

/** The field with its value kept, as the form keeps it. */
function Form(props: {
  onChange: (value: McpRegistryServerPickerValue) => void;
}) {
  const [value, setValue] = useState<McpRegistryServerPickerValue>();
  return (
    <McpRegistryServerPickerField
      {...({
        formData: value,
        onChange: (v: McpRegistryServerPickerValue) => {
          setValue(v);
          props.onChange(v);
        },
        required: true,
        rawErrors: [],
        schema: { title: 'MCP registry entry' },
        uiSchema: {},
        idSchema: { $id: 'root_entry' },
        formContext: { formData: {} },
      } as any)}
    />
  );
}

const render = async (api: Partial<AiGatewayApi>) => {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, fakeAiGatewayApi(api)]]}>
      <Form onChange={onChange} />
    </TestApiProvider>,
  );
  return onChange;
};

describe('McpRegistryServerPickerField', () => {
  it('lists the entries, keeps those it cannot deploy disabled with the reason, and shows the secrets of the chosen one', async () => {
    const listMcpRegistryEntries = jest.fn(async () => ({
      servers: [localFiles, tickets, weather],
      invalid: 2,
    }));
    const onChange = await render({
      listMcpRegistrySources: async () => [
        { name: 'company', url: 'https://registry.example.com' },
      ],
      listMcpRegistryEntries,
    });
    const entry = await screen.findByTestId(
      'ai-gateway-registry-entry-io.github.example/weather',
    );
    expect(entry).toHaveTextContent(
      'Weather io.github.example/weather 1.4.0 remote serverForecasts for any city.',
    );
    expect(
      screen.getByTestId('ai-gateway-registry-entry-io.github.example/tickets'),
    ).toHaveTextContent('container image');
    // One source: no source picker.
    expect(screen.queryByTestId('ai-gateway-registry-source')).toBeNull();
    expect(listMcpRegistryEntries).toHaveBeenCalledWith('company', {
      limit: 30,
    });
    expect(
      screen.getByText(/2 entries of this page are no valid server.json/),
    ).toBeInTheDocument();

    const blocked = screen.getByTestId(
      'ai-gateway-registry-entry-io.github.example/local-files',
    );
    expect(blocked).toHaveTextContent(
      'Cannot be deployed: serverJson.packages[0].registryType is npm',
    );
    expect(blocked).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(blocked);
    expect(onChange).not.toHaveBeenCalled();

    fireEvent.click(entry);
    expect(onChange).toHaveBeenCalledWith({
      source: 'company',
      serverName: 'io.github.example/weather',
    });
    expect(
      await screen.findByTestId('ai-gateway-registry-needs'),
    ).toHaveTextContent('Authorization (header, required): Bearer token');

    fireEvent.click(
      screen.getByTestId('ai-gateway-registry-entry-io.github.example/tickets'),
    );
    const needs = screen.getByTestId('ai-gateway-registry-needs');
    expect(needs).toHaveTextContent(
      'TRACKER_TOKEN (environment variable, required)',
    );
    expect(needs).toHaveTextContent(
      'Values without a default:LOG_LEVEL (environment variable, optional)',
    );
  });

  it('offers the sources when there are several, searches, and loads more pages', async () => {
    const listMcpRegistryEntries = jest.fn(
      async (
        source: string,
        query: { search?: string; cursor?: string } = {},
      ) => {
        if (source === 'public') return { servers: [tickets], invalid: 0 };
        if (query.cursor === 'page-2') {
          return { servers: [weather], invalid: 0 };
        }
        return {
          servers: [localFiles].filter(
            e => !query.search || e.server.name.includes(query.search),
          ),
          nextCursor: query.search ? undefined : 'page-2',
          invalid: 0,
        };
      },
    );
    const onChange = await render({
      listMcpRegistrySources: async () => [
        { name: 'company', url: 'https://registry.example.com' },
        { name: 'public', url: 'https://registry.modelcontextprotocol.io' },
      ],
      listMcpRegistryEntries,
    });
    await screen.findByTestId(
      'ai-gateway-registry-entry-io.github.example/local-files',
    );
    fireEvent.click(await screen.findByTestId('ai-gateway-registry-more'));
    await screen.findByTestId(
      'ai-gateway-registry-entry-io.github.example/weather',
    );
    // Appended, not replaced.
    expect(
      screen.getByTestId(
        'ai-gateway-registry-entry-io.github.example/local-files',
      ),
    ).toBeInTheDocument();
    expect(listMcpRegistryEntries).toHaveBeenLastCalledWith('company', {
      cursor: 'page-2',
      limit: 30,
    });

    fireEvent.change(screen.getByTestId('ai-gateway-registry-search'), {
      target: { value: 'nothing-like-it' },
    });
    expect(
      await screen.findByText('No entry matches "nothing-like-it"'),
    ).toBeInTheDocument();
    expect(listMcpRegistryEntries).toHaveBeenLastCalledWith('company', {
      search: 'nothing-like-it',
      limit: 30,
    });

    fireEvent.mouseDown(
      within(screen.getByTestId('ai-gateway-registry-source')).getByRole(
        'button',
      ),
    );
    fireEvent.click(
      await screen.findByTestId('ai-gateway-registry-source-public'),
    );
    fireEvent.click(
      await screen.findByTestId(
        'ai-gateway-registry-entry-io.github.example/tickets',
      ),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      source: 'public',
      serverName: 'io.github.example/tickets',
    });
  });

  it('says that no MCP registry is configured', async () => {
    await render({
      listMcpRegistrySources: async () => [],
    });
    expect(
      await screen.findByText(/No MCP registry is configured/),
    ).toBeInTheDocument();
  });

  it('shows the reason the registry cannot be read', async () => {
    await render({
      listMcpRegistrySources: async () => [
        { name: 'company', url: 'https://registry.example.com' },
      ],
      listMcpRegistryEntries: async () => {
        throw new Error(
          "The MCP registry 'company' at https://registry.example.com did not answer within 10 s",
        );
      },
    });
    await waitFor(() =>
      expect(
        screen.getByText(/Could not read the registry: .*did not answer/),
      ).toBeInTheDocument(),
    );
  });
});
