import {
  dnsLabelSchema,
  providerGroupsInWords,
  providerSchema,
  providerTypeLabels,
  providerTypes,
  secretNameSchema,
  secretRefSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  extractSchemaFromStep,
  ReviewState,
  Stepper,
} from '@backstage/plugin-scaffolder-react/alpha';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { aiGatewayFormFields } from './fields';
import { listInWords } from './ListInWordsField';

/**
 * The software templates' forms, read as the scaffolder reads them: every
 * rule a person can break says so in words, choices read as words (also in
 * the review), and each AI provider shows only its own fields.
 */
const templatesDir = path.resolve(__dirname, '../../../../templates');
const templates = fs
  .readdirSync(templatesDir)
  .filter(f => f.endsWith('.yaml'))
  .map(file => ({
    file,
    doc: parse(fs.readFileSync(path.join(templatesDir, file), 'utf8')),
  }))
  .filter(t => t.doc.kind === 'Template');

type Node = Record<string, any>;

/** Every schema node under `node`, with where it is. */
function* nodes(node: unknown, at: string): Generator<[string, Node]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* nodes(item, `${at}[${i}]`);
    return;
  }
  if (!node || typeof node !== 'object') return;
  yield [at, node as Node];
  for (const [key, value] of Object.entries(node)) {
    // Options of fields and the review are not schema.
    if (key.startsWith('ui:') || key === 'errorMessage') continue;
    yield* nodes(value, `${at}.${key}`);
  }
}

const pageOf = (file: string, title: string) => {
  const t = templates.find(x => x.file === file)!;
  return t.doc.spec.parameters.find((p: Node) => p.title === title);
};

/** Constraints a person filling the form can break, and so must read about. */
const CONSTRAINTS = [
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
];

describe('template forms', () => {
  it('finds the six templates', () => {
    expect(templates.map(t => t.file).sort()).toEqual([
      'attach-policy.yaml',
      'create-pool.yaml',
      'deploy-from-mcp-registry.yaml',
      'deploy-mcp-server.yaml',
      'register-ai-backend.yaml',
      'set-budget.yaml',
    ]);
  });

  it.each(templates.map(t => [t.file, t.doc]))(
    '%s: no deprecated enumNames, and every rule has a message in words',
    (_file, doc) => {
      const problems: string[] = [];
      for (const [at, node] of nodes(doc.spec.parameters, 'parameters')) {
        if ('enumNames' in node) problems.push(`${at}: enumNames`);
        for (const rule of CONSTRAINTS.filter(c => c in node)) {
          const message = node.errorMessage?.[rule];
          if (typeof message !== 'string') {
            problems.push(`${at}: ${rule} without errorMessage.${rule}`);
          } else if (!/^(must|needs|a group|can) /.test(message)) {
            problems.push(`${at}: errorMessage.${rule} does not read "must …"`);
          } else if (/[\^$\\]|\(\?|\[[^\]]*\]/.test(message)) {
            problems.push(`${at}: errorMessage.${rule} shows a regex`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it.each(templates.map(t => [t.file, t.doc]))(
    '%s: choices read as words in the form and in the review',
    (_file, doc) => {
      const problems: string[] = [];
      for (const page of doc.spec.parameters) {
        const branches: Node[] = Object.values(page.dependencies ?? {}).flatMap(
          (d: any) => d.oneOf ?? [],
        );
        const properties: Array<[string, Node]> = [
          ...Object.entries<Node>(page.properties ?? {}),
          ...branches.flatMap(b => Object.entries<Node>(b.properties ?? {})),
        ];
        for (const [name, property] of properties) {
          if (property.enum && property.enum.length > 1 && property.title) {
            problems.push(`${name}: enum without titles (use oneOf)`);
          }
          if (!property.oneOf) continue;
          if (property.default === undefined) {
            // The scaffolder cannot place a oneOf value it does not have.
            problems.push(`${name}: a choice without a default`);
          }
          for (const option of property.oneOf) {
            const review = option['ui:backstage']?.review;
            if (
              !option.title ||
              review?.name !== property.title ||
              review?.mask !== option.title
            ) {
              problems.push(
                `${name}=${option.const}: review does not show '${property.title}: ${option.title}'`,
              );
            }
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('rules written as patterns agree with the control plane on names and Secrets', () => {
    const rules: Array<
      [RegExp, { safeParse(v: string): { success: boolean } }]
    > = [
      [/^must be lower-case letters, digits and '-'/, dnsLabelSchema],
      [/^must be a Kubernetes Secret name/, secretNameSchema],
      [/^must be a key of the Secret/, secretRefSchema.shape.key],
    ];
    const samples = [
      'a',
      'team-a',
      'a.b',
      'ab.cd-ef',
      'api-key',
      'api_key',
      'API.Key',
      'A',
      '-a',
      'a-',
      'a_b',
      'a b',
      'a..b',
      '.x',
      '1',
    ];
    let checked = 0;
    for (const { doc } of templates) {
      for (const [at, node] of nodes(doc.spec.parameters, doc.metadata.name)) {
        const rule = rules.find(([m]) => m.test(node.errorMessage?.pattern));
        if (!rule) continue;
        checked++;
        for (const sample of samples) {
          expect({
            at,
            sample,
            form: new RegExp(node.pattern).test(sample),
          }).toEqual({
            at,
            sample,
            form: rule[1].safeParse(sample).success,
          });
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  describe('Register an AI backend: each provider type shows only its own fields', () => {
    const provider = pageOf('register-ai-backend.yaml', 'Providers').properties
      .groups.items.properties.providers.items;
    const branches: Node[] = provider.dependencies.type.oneOf;
    const sample: Record<string, unknown> = {
      model: 'gpt-4o',
      baseUrl: 'https://llm.example.com/v1',
      region: 'eu-central-1',
      deployment: 'gpt-4o-prod',
      apiVersion: '2024-10-21',
      gcpProject: 'research',
      location: 'europe-west4',
      credentialsSecretRef: { name: 'llm', key: 'api-key' },
    };
    const branchOf = (type: string) =>
      branches.find(b => b.properties.type.const === type)!;

    it('shows only name and type to every provider, and no weight', () => {
      expect(Object.keys(provider.properties)).toEqual(['name', 'type']);
      expect(
        JSON.stringify(pageOf('register-ai-backend.yaml', 'Providers')),
      ).not.toContain('weight');
      expect(provider.properties.type.oneOf.map((o: Node) => o.const)).toEqual(
        providerTypes,
      );
      // The choices read as the routing in words does.
      expect(
        provider.properties.type.oneOf.map((o: Node) => [o.const, o.title]),
      ).toEqual(Object.entries(providerTypeLabels));
      expect(branches.map(b => b.properties.type.const)).toEqual(providerTypes);
    });

    it.each(providerTypes.map(t => [t]))(
      '%s: its fields are those the API accepts for it, and those it needs are required',
      type => {
        const branch = branchOf(type);
        const fields = Object.keys(branch.properties).filter(f => f !== 'type');
        expect(fields.filter(f => !(f in sample))).toEqual([]);
        const filled = providerSchema.safeParse({
          name: 'p',
          type,
          ...Object.fromEntries(fields.map(f => [f, sample[f]])),
        });
        expect(filled.success ? [] : filled.error.issues).toEqual([]);
        const bare = providerSchema.safeParse({ name: 'p', type });
        const needed = bare.success
          ? []
          : bare.error.issues.map(i => String(i.path[0]));
        expect([...(branch.required ?? [])].sort()).toEqual(needed.sort());
      },
    );
  });
});

/**
 * The scaffolder's own form (ajv with ajv-errors, our fields, the review) on
 * one page; `onCreate` gets what Create would send.
 */
async function renderPage(file: string, title: string, onCreate = jest.fn()) {
  const page = pageOf(file, title);
  const api = fakeAiGatewayApi({
    findMcpServerByPrefix: async () => undefined,
    listMcpRegistrySources: async () => [
      { name: 'company', url: 'https://registry.example.com' },
    ],
    listMcpRegistryEntries: async () => ({
      servers: [
        {
          server: {
            name: 'io.github.example/weather',
            description: 'Forecasts for any city.',
            version: '1.4.0',
          },
          importable: true,
          kind: 'remote',
          secrets: [{ name: 'Authorization', in: 'header', required: true }],
          values: [],
        },
      ],
      invalid: 0,
    }),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, api]]}>
      <Stepper
        manifest={{ title, steps: [{ title, schema: page }] }}
        extensions={Object.values(aiGatewayFormFields) as any}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
}

/** The review's rows as [title, value]; a list value as its items. */
function reviewRows(): Array<[string, string | string[]]> {
  return screen.getAllByRole('row').map(r => {
    const [title, value] = Array.from((r as HTMLTableRowElement).cells);
    const items = within(value).queryAllByRole('listitem');
    return [
      title.textContent ?? '',
      items.length
        ? items.map(i => i.textContent ?? '')
        : value.textContent ?? '',
    ];
  });
}

/**
 * Rows that show an object as the review does when it has no words for it:
 * list items of its fields, `name: …`.
 */
const rawObjectRows = (rows: Array<[string, string | string[]]>) =>
  rows.filter(
    ([, value]) => Array.isArray(value) && value.some(v => /^\w+: /.test(v)),
  );

const review = () =>
  fireEvent.click(screen.getByRole('button', { name: 'Review' }));

/** The review's row of a field, once the review shows. */
async function reviewRow(title: string) {
  const table = await screen.findByRole('table');
  return within(table).getByText(title).closest('tr')!;
}

describe('template forms in the scaffolder', () => {
  // The whole scaffolder form renders in each test.
  jest.setTimeout(60_000);

  it('Create a gateway pool: a CPU of "lots" is refused on the page, in words; the review shows a good one', async () => {
    await renderPage('create-pool.yaml', 'Resources');
    const cpu = screen.getByRole('textbox', { name: 'CPU request' });
    fireEvent.change(cpu, { target: { value: 'lots' } });
    expect(
      screen.getByText(
        'CPU request must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      ),
    ).toBeInTheDocument();
    review();
    expect(
      await screen.findAllByText(
        /must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi/,
      ),
    ).not.toHaveLength(0);
    expect(
      screen.getByRole('textbox', { name: 'CPU request' }),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox', { name: 'CPU request' }), {
      target: { value: '2' },
    });
    review();
    const row = await reviewRow('CPU request');
    expect(row).toHaveTextContent('2');
  });

  it('Create a gateway pool: the review reads the chosen delivery in words', async () => {
    await renderPage('create-pool.yaml', 'Delivery');
    review();
    const row = await reviewRow('How the pool is driven');
    expect(row).toHaveTextContent(
      'An operator in the cluster pulls from the portal (private clusters)',
    );
  });

  it('Deploy an MCP server: a bad name is refused on Next with the rule in words', async () => {
    await renderPage('deploy-mcp-server.yaml', 'MCP server');
    fireEvent.change(screen.getByRole('textbox', { name: /^Name/ }), {
      target: { value: 'Bad_Name' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /^Path prefix/ }), {
      target: { value: 'github' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /^Image/ }), {
      target: { value: 'ghcr.io/github/github-mcp-server:0.9.0' },
    });
    review();
    expect(
      await screen.findAllByText(
        /must be lower-case letters, digits and '-', starting and ending with a letter or digit/,
      ),
    ).not.toHaveLength(0);
    expect(screen.queryByText(/must match pattern/)).toBeNull();
  });

  it('Deploy from an MCP registry entry: the picked entry is what Create sends, and the page needs one', async () => {
    const onCreate = jest.fn();
    await renderPage(
      'deploy-from-mcp-registry.yaml',
      'MCP registry entry',
      onCreate,
    );
    review();
    expect(await screen.findAllByText(/required/i)).not.toHaveLength(0);
    expect(onCreate).not.toHaveBeenCalled();
    fireEvent.click(
      await screen.findByTestId(
        'ai-gateway-registry-entry-io.github.example/weather',
      ),
    );
    expect(screen.getByTestId('ai-gateway-registry-needs')).toHaveTextContent(
      'Authorization (header, required)',
    );
    review();
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate.mock.calls[0][0].entry).toEqual({
      source: 'company',
      serverName: 'io.github.example/weather',
    });
  });

  it('Register an AI backend: items read as words, and a provider shows only its own fields', async () => {
    await renderPage('register-ai-backend.yaml', 'Providers');
    // One group with one provider to start with (minItems), titled in words.
    await screen.findByText('Provider group');
    const headings = screen.getAllByRole('heading').map(h => h.textContent);
    expect(headings).toEqual(
      expect.arrayContaining(['Provider group', 'Provider']),
    );
    expect(headings.filter(h => /-\d+$/.test(h ?? ''))).toEqual([]);
    // OpenAI (the default): its model and key, nothing of the others.
    await waitFor(() =>
      expect(screen.getByText(/^API key Secret/)).toBeInTheDocument(),
    );
    const labels = () =>
      screen.getAllByRole('textbox').map(i => i.getAttribute('id'));
    expect(labels().some(id => /model$/.test(id!))).toBe(true);
    expect(
      labels().some(id => /(region|deployment|gcpProject|baseUrl)$/.test(id!)),
    ).toBe(false);
    // Amazon Bedrock: its region appears.
    fireEvent.mouseDown(
      within(
        screen.getByText('Provider', { selector: 'label' }).parentElement!,
      ).getByRole('button'),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'Amazon Bedrock' }),
    );
    await waitFor(() =>
      expect(labels().some(id => /region$/.test(id!))).toBe(true),
    );
    expect(
      labels().some(id => /(deployment|gcpProject|baseUrl)$/.test(id!)),
    ).toBe(false);
  });

  it('Register an AI backend: a provider switched to another type keeps and sends nothing of the type before', async () => {
    const onCreate = jest.fn();
    await renderPage('register-ai-backend.yaml', 'Providers', onCreate);
    await screen.findByText('Provider group');
    const choose = async (type: string) => {
      fireEvent.mouseDown(
        within(
          screen.getByText('Provider', { selector: 'label' }).parentElement!,
        ).getByRole('button'),
      );
      fireEvent.click(await screen.findByRole('option', { name: type }));
    };
    const box = (name: RegExp) => screen.getByRole('textbox', { name });
    await choose('Azure OpenAI');
    fireEvent.change(
      await screen.findByRole('textbox', { name: /^Base URL/ }),
      {
        target: { value: 'https://my.openai.azure.com' },
      },
    );
    fireEvent.change(box(/^Deployment/), { target: { value: 'gpt-4o-prod' } });
    await choose('Amazon Bedrock');
    fireEvent.change(
      await screen.findByRole('textbox', { name: /^AWS region/ }),
      {
        target: { value: 'eu-central-1' },
      },
    );
    await choose('OpenAI');
    fireEvent.change(box(/^Name/), { target: { value: 'openai-main' } });
    fireEvent.change(box(/^Model/), { target: { value: 'gpt-4o' } });
    fireEvent.change(box(/^Secret name/), { target: { value: 'openai-key' } });
    fireEvent.change(box(/^Key in the Secret/), {
      target: { value: 'api-key' },
    });
    const line =
      'Group 1 takes the traffic: openai-main (OpenAI, model gpt-4o, API key from Secret openai-key/api-key)';
    // Under the groups, the routing in words.
    expect(
      within(screen.getByTestId('ai-gateway-provider-summary')).getByText(line),
    ).toBeInTheDocument();
    review();
    await screen.findByRole('table');
    expect(reviewRows()).toEqual([
      ['Provider groups', [line]],
      [
        'Model names it serves',
        ['None: clients reach it at its own path only (no model-name routing)'],
      ],
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate.mock.calls[0][0].groups).toEqual([
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
    ]);
  });

  it('Register an AI backend: the review reads every row in words, no object shown raw', async () => {
    const doc = templates.find(t => t.file === 'register-ai-backend.yaml')!.doc;
    const steps = doc.spec.parameters.map((page: Node) => ({
      title: page.title,
      mergedSchema: page,
      ...extractSchemaFromStep(structuredClone(page)),
    }));
    const groups = [
      {
        providers: [
          {
            name: 'openai-main',
            type: 'openai',
            model: 'gpt-4o',
            credentialsSecretRef: { name: 'openai-key', key: 'api-key' },
          },
          {
            name: 'azure',
            type: 'azure-openai',
            baseUrl: 'https://my.openai.azure.com',
            deployment: 'gpt-4o-prod',
            credentialsSecretRef: { name: 'azure-key', key: 'api-key' },
          },
        ],
      },
      {
        providers: [{ name: 'bedrock', type: 'bedrock', region: 'eu-west-1' }],
      },
    ];
    const models = ['gpt-4o', 'anthropic/*'];
    const providers = steps.find((s: Node) => s.title === 'Providers');
    // The form state as the read-only fields leave it.
    await renderInTestApp(
      <ReviewState
        schemas={steps}
        formState={{
          project: 'system:default/payments',
          pool: 'prod',
          name: 'llm',
          description: 'The LLMs of the payments team',
          groups,
          providersInWords: providerGroupsInWords(groups),
          models,
          modelsInWords: listInWords(
            providers.schema.properties.models,
            models,
          ),
        }}
      />,
    );
    const rows = reviewRows();
    expect(rawObjectRows(rows)).toEqual([]);
    expect(rows).toEqual([
      ['Project', 'system:default/payments'],
      ['Pool', 'prod'],
      ['Name', 'llm'],
      ['Description', 'The LLMs of the payments team'],
      [
        'Provider groups',
        [
          'Group 1 takes the traffic, shared by health and latency: openai-main (OpenAI, model gpt-4o, API key from Secret openai-key/api-key); azure (Azure OpenAI at https://my.openai.azure.com, deployment gpt-4o-prod, API key from Secret azure-key/api-key)',
          "Group 2 takes over when group 1 fails: bedrock (Amazon Bedrock, region eu-west-1, the client's model, the cloud's workload identity, no API key)",
        ],
      ],
      ['Model names it serves', ['gpt-4o', 'anthropic/*']],
    ]);
  });

  it('Attach a policy: the review reads the chosen prompt guards by their titles', async () => {
    await renderPage('attach-policy.yaml', 'Rules');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Email addresses' }));
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Credit card numbers' }),
    );
    review();
    await screen.findByRole('table');
    const rows = reviewRows();
    expect(rows).toContainEqual([
      'Reject prompts containing',
      ['Email addresses', 'Credit card numbers'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/credit-card|"email"/);
    expect(rawObjectRows(rows)).toEqual([]);
  });

  it('Set a budget: thresholds are chosen, not typed, and the review reads them by their titles', async () => {
    const onCreate = jest.fn();
    await renderPage('set-budget.yaml', 'Limit', onCreate);
    expect(
      screen.getByRole('checkbox', { name: '80 % of the limit' }),
    ).toBeChecked();
    fireEvent.click(
      screen.getByRole('checkbox', { name: '50 % of the limit' }),
    );
    fireEvent.change(
      screen.getByRole('spinbutton', { name: /^Limit \(US dollars\)/ }),
      { target: { value: '500' } },
    );
    review();
    await screen.findByRole('table');
    const rows = reviewRows();
    expect(rows).toEqual([
      ['Window', 'Per calendar month (UTC)'],
      ['Limit in', 'US dollars'],
      ['Notify the owners at', ['50 % of the limit', '80 % of the limit']],
      ['Limit (US dollars)', '500'],
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate.mock.calls[0][0]).toMatchObject({
      limitUsd: 500,
      softThresholdsPercent: [50, 80],
    });
  });

  it('Set a budget: the review reads every choice in words', async () => {
    const doc = templates.find(t => t.file === 'set-budget.yaml')!.doc;
    const steps = doc.spec.parameters.map((page: Node) => ({
      title: page.title,
      mergedSchema: page,
      ...extractSchemaFromStep(structuredClone(page)),
    }));
    await renderInTestApp(
      <ReviewState
        schemas={steps}
        formState={{
          scopeKind: 'team',
          team: 'group:default/team-payments',
          name: 'payments-weekly',
          window: 'weekly',
          limitKind: 'tokens',
          limitTokens: 1000000,
          softThresholdsPercent: [50, 80],
          softThresholdsInWords: ['50 % of the limit', '80 % of the limit'],
          onExceededKind: 'downRoute',
          downRouteModel: 'gpt-4o-mini',
        }}
      />,
    );
    const rows = reviewRows();
    expect(rawObjectRows(rows)).toEqual([]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['What the budget limits', 'A team (every project it owns)'],
        ['Team', 'group:default/team-payments'],
        ['Budget name', 'payments-weekly'],
        ['Window', 'Per week (from Monday 00:00 UTC)'],
        ['Limit in', 'Tokens (LLM input and output)'],
        ['Limit (tokens)', '1000000'],
        ['Notify the owners at', ['50 % of the limit', '80 % of the limit']],
        [
          'When the limit is reached',
          'Send its LLM requests to a cheaper model (MCP calls are refused)',
        ],
        ['Cheaper model', 'gpt-4o-mini'],
      ]),
    );
  });

  it('Create a gateway pool: every choice of every page reads as words in the review', async () => {
    const doc = templates.find(t => t.file === 'create-pool.yaml')!.doc;
    const steps = doc.spec.parameters.map((page: Node) => ({
      title: page.title,
      mergedSchema: page,
      ...extractSchemaFromStep(structuredClone(page)),
    }));
    await renderInTestApp(
      <ReviewState
        schemas={steps}
        formState={{
          name: 'prod',
          clusterType: 'native',
          namespace: 'aigw-prod',
          cpuRequest: '100m',
          redisMode: 'auto',
          ingressKind: 'kubernetes-ingress',
          baseDomain: 'ai.example.com',
          separator: '-',
          tlsMode: 'letsencrypt',
          issuer: 'production',
          dnsProvider: 'route53',
          deliveryMode: 'gitops',
        }}
      />,
    );
    const rows = screen
      .getAllByRole('row')
      .map(r =>
        Array.from((r as HTMLTableRowElement).cells).map(c => c.textContent),
      );
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Cluster type', 'Other Kubernetes'],
        ['Redis', 'Run a 3-node Redis with Sentinel in the namespace'],
        ['How traffic reaches the gateway', 'Kubernetes Ingress'],
        ['Separator', 'api-ai.example.com (fits under *.example.com)'],
        ['Certificate', "Let's Encrypt (DNS-01)"],
        ['Issuer', "Let's Encrypt production"],
        ['DNS provider', 'Amazon Route 53'],
        ['How the pool is driven', 'Write the manifests for Argo CD / Flux'],
        ['CPU request', '100m'],
      ]),
    );
  });
});
