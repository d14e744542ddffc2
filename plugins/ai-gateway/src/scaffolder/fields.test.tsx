import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { McpPrefixField, validateMcpPrefix } from './McpPrefixField';
import { PoolPickerField } from './PoolPickerField';

const pool = (name: string, project: string) => ({
  kind: 'pool',
  name,
  project,
  version: 1,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  spec: { cluster: { name: 'prod-eu-eks' }, namespace: `aigw-${name}` },
});

const fakeApi = (overrides: Partial<AiGatewayApi> = {}): AiGatewayApi =>
  fakeAiGatewayApi({
    listPools: async ({ project } = {}) =>
      [
        pool('payments-prod', 'payments'),
        pool('research-lab', 'research'),
      ].filter(p => !project || p.project === project),
    getPoolStatus: async name => ({
      pool: name,
      phase: name === 'payments-prod' ? 'Active' : 'Pending',
      phaseSince: '',
      conditions: [],
    }),
    findMcpServerByPrefix: async (_pool, prefix) =>
      prefix === 'github'
        ? { ...pool('x', 'payments'), kind: 'mcpServer', name: 'github-mcp' }
        : undefined,
    ...overrides,
  });

const fieldProps = (extra: Record<string, any>) =>
  ({
    onChange: jest.fn(),
    required: true,
    rawErrors: [],
    schema: { title: 'Pool', description: 'The pool' },
    uiSchema: {},
    idSchema: { $id: 'root_pool' },
    formContext: { formData: {} },
    ...extra,
  } as any);

describe('PoolPickerField', () => {
  it("offers the project's pools with their phase, and sets the chosen one", async () => {
    const props = fieldProps({
      uiSchema: { 'ui:options': { projectField: 'project' } },
      formContext: { formData: { project: 'system:default/payments' } },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, fakeApi()]]}>
        <PoolPickerField {...props} />
      </TestApiProvider>,
    );
    fireEvent.mouseDown(
      within(await screen.findByTestId('ai-gateway-pool-picker')).getByRole(
        'button',
      ),
    );
    const option = await screen.findByTestId(
      'ai-gateway-pool-option-payments-prod',
    );
    expect(option).toHaveTextContent(
      'payments-prod (prod-eu-eks/aigw-payments-prod) Active',
    );
    expect(
      screen.queryByTestId('ai-gateway-pool-option-research-lab'),
    ).toBeNull();
    fireEvent.click(option);
    expect(props.onChange).toHaveBeenCalledWith('payments-prod');
  });

  it('says so when the project has no pool the user may use', async () => {
    const props = fieldProps({
      uiSchema: { 'ui:options': { projectField: 'project' } },
      formContext: { formData: { project: 'system:default/empty' } },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, fakeApi()]]}>
        <PoolPickerField {...props} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/Project empty has no pool you may use/),
    ).toBeInTheDocument();
  });

  it('shows a clear message when the control plane is down', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            aiGatewayApiRef,
            fakeApi({
              listPools: async () => {
                throw new Error('503 Service Unavailable');
              },
            }),
          ],
        ]}
      >
        <PoolPickerField {...fieldProps({})} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Could not load the pools: 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
  });
});

describe('McpPrefixField', () => {
  const render = (formData: string) =>
    renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, fakeApi()]]}>
        <McpPrefixField
          {...fieldProps({
            formData,
            schema: { title: 'Path prefix' },
            uiSchema: { 'ui:options': { poolField: 'pool' } },
            formContext: { formData: { pool: 'payments-prod' } },
          })}
        />
      </TestApiProvider>,
    );

  it('says live when a prefix is taken in the pool', async () => {
    await render('github');
    expect(
      await screen.findByText(
        "The prefix is already used by MCP server 'github-mcp' in pool payments-prod",
      ),
    ).toBeInTheDocument();
  });

  it('says live when a prefix is not a DNS label, and when it is free', async () => {
    await render('Not_A_Label');
    expect(
      await screen.findByText(/The prefix must be a DNS label/),
    ).toBeInTheDocument();
    await render('jira');
    expect(
      await screen.findByText(
        "Available in pool payments-prod: clients will use /jira/mcp on the pool's MCP host",
      ),
    ).toBeInTheDocument();
  });

  it('validates on Next through the API', async () => {
    const errors: string[] = [];
    const apiHolder = { get: () => fakeApi() } as any;
    await validateMcpPrefix(
      'github',
      { addError: m => errors.push(m) },
      { apiHolder, formData: { pool: 'payments-prod' } },
    );
    await validateMcpPrefix(
      'jira',
      { addError: m => errors.push(m) },
      { apiHolder, formData: { pool: 'payments-prod' } },
    );
    expect(errors).toEqual([
      "is already used by MCP server 'github-mcp' in pool payments-prod",
    ]);
  });
});
