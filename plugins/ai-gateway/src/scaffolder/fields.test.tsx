import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  act,
  cleanup,
  fireEvent,
  screen,
  within,
} from '@testing-library/react';
import { useState } from 'react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { ListInWordsField, listInWords } from './ListInWordsField';
import { McpPrefixField, validateMcpPrefix } from './McpPrefixField';
import { PolicyTargetField, validatePolicyTarget } from './PolicyTargetField';
import { PoolPickerField } from './PoolPickerField';
import { shownFieldsOnly } from './ProvidersField';
import { ProviderSummaryField } from './ProviderSummaryField';
import { QuantityField, validateQuantity } from './QuantityField';
import { SecretRefField, validateSecretRef } from './SecretRefField';

const pool = (name: string, project: string) => ({
  kind: 'pool',
  name,
  project,
  version: 1,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  spec: {
    cluster: { name: 'prod-eu-eks' },
    namespace: `aigw-${name}`,
    delivery: { mode: 'agent' },
  },
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

describe('PoolPickerField on a pool that is not Active', () => {
  const renderPicker = (formData?: string, what?: string) => {
    const props = fieldProps({
      formData,
      uiSchema: { 'ui:options': { ...(what ? { what } : {}) } },
    });
    return renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, fakeApi()]]}>
        <PoolPickerField {...props} />
      </TestApiProvider>,
    );
  };

  it("shows each pool's phase and, for one not Active, why", async () => {
    await renderPicker();
    fireEvent.mouseDown(
      within(await screen.findByTestId('ai-gateway-pool-picker')).getByRole(
        'button',
      ),
    );
    const pending = await screen.findByTestId(
      'ai-gateway-pool-option-research-lab',
    );
    expect(pending).toHaveTextContent('Pending');
    expect(pending).toHaveTextContent(
      'No operator has connected yet: nothing has been installed in the cluster.',
    );
    const active = screen.getByTestId('ai-gateway-pool-option-payments-prod');
    expect(active).toHaveTextContent('Active');
    expect(active).not.toHaveTextContent('operator');
  });

  it('warns under the field when the chosen pool is not Active, with the cause and the next step', async () => {
    await renderPicker('research-lab');
    const warning = await screen.findByTestId('ai-gateway-pool-warning');
    expect(warning).toHaveTextContent(
      'MCP servers deployed here are not served until the pool is applied: No operator has connected yet: nothing has been installed in the cluster.',
    );
    expect(warning).toHaveTextContent(
      "Next: Install the operator: apply the bootstrap manifests from the pool's Install tab",
    );
  });

  it('names what the template puts in the pool, and says nothing for an Active pool', async () => {
    await renderPicker('research-lab', 'AI backends registered here');
    expect(
      await screen.findByTestId('ai-gateway-pool-warning'),
    ).toHaveTextContent(
      /^AI backends registered here are not served until the pool is applied/,
    );
    cleanup();
    await renderPicker('payments-prod');
    expect(
      await screen.findByRole('button', { name: /payments-prod \(Active\)/ }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('ai-gateway-pool-warning')).toBeNull();
  });
});

describe('QuantityField', () => {
  it('says what a Kubernetes quantity is as it is typed, and sends what is typed', async () => {
    const props = fieldProps({
      formData: 'lots',
      schema: { title: 'CPU request' },
      idSchema: { $id: 'root_cpuRequest' },
    });
    await renderInTestApp(<QuantityField {...props} />);
    const input = screen.getByRole('textbox', { name: /CPU request/ });
    expect(input).toHaveValue('lots');
    expect(
      screen.getByText(
        'CPU request must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      ),
    ).toBeInTheDocument();
    fireEvent.change(input, { target: { value: '500m' } });
    expect(props.onChange).toHaveBeenCalledWith('500m');
  });

  it('blocks Next on what the control plane would refuse, in its words', () => {
    const errors: string[] = [];
    const validation = { addError: (m: string) => errors.push(m) };
    for (const ok of ['500m', '2', '0.5', '512Mi', '1Gi', '1e3', undefined]) {
      validateQuantity(ok, validation);
    }
    expect(errors).toEqual([]);
    validateQuantity('lots', validation);
    validateQuantity('1 Gi', validation);
    validateQuantity('9Ei', validation);
    expect(errors).toEqual([
      'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      'must be at most 8Ei',
    ]);
  });
});

/** Pool A serves an MCP server and an AI backend; pool B only an MCP server. */
const poolContents = (overrides: Partial<AiGatewayApi> = {}) =>
  fakeApi({
    listInPool: async (plural, poolName) => {
      const of = (name: string, kind: string, spec: object = {}) => ({
        ...pool(name, 'payments'),
        kind,
        spec,
      });
      const contents: Record<string, Record<string, any[]>> = {
        'payments-prod': {
          'mcp-servers': [of('github', 'mcpServer')],
          'ai-backends': [
            of('llm', 'aiBackend', {
              kind: 'ai',
              groups: [
                {
                  providers: [
                    {
                      name: 'openai',
                      type: 'openai',
                      credentialsSecretRef: { name: 'openai', key: 'api-key' },
                    },
                  ],
                },
              ],
            }),
          ],
        },
        'research-lab': {
          'mcp-servers': [of('jira', 'mcpServer')],
          'ai-backends': [],
        },
      };
      return contents[poolName]?.[plural] ?? [];
    },
    getObject: async (_plural, name) => ({
      ...pool(name, 'payments'),
      spec: {
        redis: {
          mode: 'manual',
          passwordSecretRef: { name: 'redis', key: 'password' },
        },
        siem: { secretRef: { name: 'openai', key: 'api-key' } },
      },
    }),
    ...overrides,
  });

describe('PolicyTargetField', () => {
  const renderTarget = (form: Record<string, string>) => {
    const props = fieldProps({
      schema: { title: 'MCP server or AI backend' },
      idSchema: { $id: 'root_targetName' },
      formContext: { formData: form },
    });
    return renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, poolContents()]]}>
        <PolicyTargetField {...props} />
      </TestApiProvider>,
    ).then(() => props);
  };
  const openOptions = async () => {
    fireEvent.mouseDown(
      within(await screen.findByTestId('ai-gateway-policy-target')).getByRole(
        'button',
      ),
    );
    return (await screen.findAllByRole('option')).map(o => o.textContent);
  };

  it("offers the chosen pool's MCP servers and AI backends, and sets the one picked", async () => {
    const props = await renderTarget({
      pool: 'payments-prod',
      targetKind: 'route',
    });
    expect(await openOptions()).toEqual([
      'github (MCP server)',
      'llm (AI backend)',
    ]);
    fireEvent.click(screen.getByTestId('ai-gateway-policy-target-option-llm'));
    expect(props.onChange).toHaveBeenCalledWith('llm');
  });

  it('offers what another pool serves when the pool changes', async () => {
    await renderTarget({ pool: 'research-lab', targetKind: 'backend' });
    expect(await openOptions()).toEqual(['jira (MCP server)']);
  });

  it('offers the pool itself for a gateway policy, and asks for a pool first', async () => {
    await renderTarget({ pool: 'payments-prod', targetKind: 'gateway' });
    expect(await openOptions()).toEqual([
      'payments-prod (the gateway of the pool)',
    ]);
    await renderTarget({});
    expect(
      screen.getByText(
        'Pick a pool first: its MCP servers and AI backends are offered',
      ),
    ).toBeInTheDocument();
  });

  it('blocks Next on a target the pool does not have', async () => {
    const errors: string[] = [];
    const context = {
      apiHolder: { get: () => poolContents() } as any,
      formData: { pool: 'research-lab', targetKind: 'route' },
    };
    await validatePolicyTarget(
      'jira',
      { addError: m => errors.push(m) },
      context,
    );
    await validatePolicyTarget(
      'llm',
      { addError: m => errors.push(m) },
      context,
    );
    expect(errors).toEqual([
      "must be an MCP server or AI backend of pool research-lab; 'llm' is not one",
    ]);
  });
});

describe('SecretRefField', () => {
  const renderSecret = (formData?: object) => {
    const props = fieldProps({
      formData,
      required: false,
      schema: { title: 'API key Secret', type: 'object' },
      idSchema: { $id: 'root_credentialsSecretRef' },
      formContext: { formData: { pool: 'payments-prod' } },
    });
    return renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, poolContents()]]}>
        <SecretRefField {...props} />
      </TestApiProvider>,
    ).then(() => props);
  };

  it('lists the Secrets the pool and its objects use, with who uses them, and picks one', async () => {
    const props = await renderSecret();
    fireEvent.mouseDown(
      within(await screen.findByTestId('ai-gateway-secret-used')).getByRole(
        'button',
      ),
    );
    const options = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(options).toEqual([
      'openai / api-key (used by pool payments-prod, AI backend llm)',
      'redis / password (used by pool payments-prod)',
    ]);
    fireEvent.click(
      screen.getByTestId('ai-gateway-secret-option-redis-password'),
    );
    expect(props.onChange).toHaveBeenCalledWith({
      name: 'redis',
      key: 'password',
    });
  });

  it('takes a typed name and key, says what is wrong with them, and sends nothing when both are cleared', async () => {
    const props = await renderSecret({ name: 'My_Secret', key: 'api key' });
    expect(
      screen.getByText(
        'Secret name must be a DNS name: lower-case labels of letters, digits and "-", separated by dots',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Key must be a Secret key: letters, digits, "-", "_" and "."',
      ),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox', { name: 'Secret name' }), {
      target: { value: 'anthropic' },
    });
    expect(props.onChange).toHaveBeenLastCalledWith({
      name: 'anthropic',
      key: 'api key',
    });
    cleanup();
    const cleared = await renderSecret({ name: 'a' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Secret name' }), {
      target: { value: '' },
    });
    expect(cleared.onChange).toHaveBeenCalledWith(undefined);
  });

  it('blocks Next on a name or key Kubernetes refuses, and on half a reference', () => {
    const errors: string[] = [];
    const validation = { addError: (m: string) => errors.push(m) };
    validateSecretRef({ name: 'openai', key: 'api-key' }, validation);
    validateSecretRef(undefined, validation);
    expect(errors).toEqual([]);
    validateSecretRef({ name: 'Open AI', key: 'api-key' }, validation);
    validateSecretRef({ name: 'openai' }, validation);
    expect(errors).toEqual([
      'Secret name must be a DNS name: lower-case labels of letters, digits and "-", separated by dots',
      'Key is required',
    ]);
  });
});

/**
 * A read-only field in a form that keeps what it is given, as the
 * scaffolder does: a field that set its value on every render would never
 * settle. `setForm` changes the rest of the form.
 */
function ReadOnlyHarness(props: {
  field: (props: any) => JSX.Element | null;
  form: Record<string, unknown>;
  extra?: Record<string, unknown>;
  onChange: jest.Mock;
  expose: (setForm: (form: Record<string, unknown>) => void) => void;
}) {
  const Field = props.field;
  const [value, setValue] = useState<string[] | undefined>(undefined);
  const [form, setForm] = useState(props.form);
  props.expose(setForm);
  return (
    <Field
      {...fieldProps({
        schema: { title: 'How the gateway routes', type: 'array' },
        idSchema: { $id: 'root_summary' },
        formContext: { formData: form },
        formData: value,
        onChange: (lines: string[]) => {
          props.onChange(lines);
          setValue(lines);
        },
        ...props.extra,
      })}
    />
  );
}

describe('ProviderSummaryField', () => {
  const groups = [
    {
      providers: [
        {
          name: 'openai-main',
          type: 'openai',
          model: 'gpt-4o',
          credentialsSecretRef: { name: 'openai-key', key: 'api-key' },
        },
      ],
    },
    { providers: [{ name: 'bedrock', type: 'bedrock', region: 'eu-west-1' }] },
  ];
  const lines = [
    'Group 1 takes the traffic: openai-main (OpenAI, model gpt-4o, API key from Secret openai-key/api-key)',
    "Group 2 takes over when group 1 fails: bedrock (Amazon Bedrock, region eu-west-1, the client's model, the cloud's workload identity, no API key)",
  ];

  it('shows the groups of the form in words and keeps its value equal to those lines, once', async () => {
    const onChange = jest.fn();
    let setForm: (form: Record<string, unknown>) => void = () => {};
    await renderInTestApp(
      <ReadOnlyHarness
        field={ProviderSummaryField}
        form={{ groups }}
        onChange={onChange}
        expose={f => {
          setForm = f;
        }}
      />,
    );
    const list = screen.getByRole('list', { name: 'How the gateway routes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(lines);
    expect(onChange.mock.calls).toEqual([[lines]]);
    // Another change of the groups: one more call, with the new lines.
    act(() => setForm({ groups: groups.slice(0, 1) }));
    expect(onChange.mock.calls).toEqual([[lines], [lines.slice(0, 1)]]);
    // A change elsewhere in the form changes nothing.
    act(() => setForm({ groups: groups.slice(0, 1), name: 'llm' }));
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('does not set a value it already has', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <ProviderSummaryField
        {...fieldProps({
          schema: { title: 'How the gateway routes' },
          formContext: { formData: { groups } },
          formData: lines,
          onChange,
        })}
      />,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('says so while there is no group', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <ProviderSummaryField
        {...fieldProps({
          schema: { title: 'How the gateway routes' },
          formContext: { formData: {} },
          onChange,
        })}
      />,
    );
    expect(screen.getByText('No provider group yet.')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('ListInWordsField', () => {
  const promptGuard = {
    type: 'array',
    items: {
      type: 'string',
      oneOf: [
        { const: 'email', title: 'Email addresses' },
        { const: 'credit-card', title: 'Credit card numbers' },
      ],
    },
  };
  // RJSF's schema utilities, as far as this page needs them (no dependencies).
  const registry = {
    rootSchema: { type: 'object', properties: { promptGuard } },
    schemaUtils: { retrieveSchema: (schema: unknown) => schema },
  };
  const extra = {
    uiSchema: {
      'ui:options': { listField: 'promptGuard', empty: 'Nothing' },
    },
    registry,
  };

  it('reads choices by their titles, other values as they are', () => {
    expect(listInWords(promptGuard, ['credit-card', 'email'])).toEqual([
      'Credit card numbers',
      'Email addresses',
    ]);
    expect(listInWords({ items: { type: 'string' } }, ['gpt-4o'])).toEqual([
      'gpt-4o',
    ]);
    expect(listInWords(promptGuard, [], 'Nothing')).toEqual(['Nothing']);
    expect(listInWords(promptGuard, undefined)).toEqual([]);
  });

  it('keeps its value equal to the titles of the chosen list, once per change, and shows nothing', async () => {
    const onChange = jest.fn();
    let setForm: (form: Record<string, unknown>) => void = () => {};
    const { container } = await renderInTestApp(
      <ReadOnlyHarness
        field={ListInWordsField}
        form={{ promptGuard: ['email', 'credit-card'] }}
        extra={extra}
        onChange={onChange}
        expose={f => {
          setForm = f;
        }}
      />,
    );
    expect(container.textContent).toBe('');
    expect(onChange.mock.calls).toEqual([
      [['Email addresses', 'Credit card numbers']],
    ]);
    act(() => setForm({ promptGuard: [] }));
    expect(onChange.mock.calls).toEqual([
      [['Email addresses', 'Credit card numbers']],
      [['Nothing']],
    ]);
    act(() => setForm({ promptGuard: [], retries: 2 }));
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});

describe('ProvidersField', () => {
  // What RJSF resolves a provider's schema to: the fields of its type.
  const shownFor: Record<string, string[]> = {
    openai: ['name', 'type', 'model', 'credentialsSecretRef'],
    bedrock: ['name', 'type', 'region', 'model', 'credentialsSecretRef'],
  };
  const schemaUtils = {
    retrieveSchema: (_schema: unknown, item: { type: string }) => ({
      type: 'object',
      properties: Object.fromEntries(
        (shownFor[item.type] ?? ['name', 'type']).map(f => [f, {}]),
      ),
    }),
  };

  it('keeps only the values of the fields a provider shows', () => {
    const bedrock = { name: 'b', type: 'bedrock', region: 'eu-west-1' };
    expect(shownFieldsOnly(schemaUtils, {}, bedrock)).toBe(bedrock);
    expect(
      shownFieldsOnly(
        schemaUtils,
        {},
        { ...bedrock, type: 'openai', model: 'gpt-4o' },
      ),
    ).toEqual({ name: 'b', type: 'openai', model: 'gpt-4o' });
    expect(shownFieldsOnly(schemaUtils, {}, null)).toBeNull();
  });

  it('drops an object field nobody filled in (an optional Secret left empty)', () => {
    // RJSF starts the Secret reference of an Azure provider as {}; switched
    // to Bedrock, where it is optional, it must not be sent without its parts.
    expect(
      shownFieldsOnly(
        schemaUtils,
        {},
        {
          name: 'b',
          type: 'bedrock',
          region: 'eu-west-1',
          credentialsSecretRef: {},
        },
      ),
    ).toEqual({ name: 'b', type: 'bedrock', region: 'eu-west-1' });
    const filled = {
      name: 'b',
      type: 'bedrock',
      credentialsSecretRef: { name: 'aws', key: undefined },
    };
    // Half filled stays, for the form to say which part is missing.
    expect(shownFieldsOnly(schemaUtils, {}, filled)).toBe(filled);
  });
});
