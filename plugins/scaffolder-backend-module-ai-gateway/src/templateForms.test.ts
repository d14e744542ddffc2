import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  aiBackendSchema,
  budgetExceededActions,
  budgetSchema,
  budgetScopeKinds,
  budgetWindows,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * The templates' forms offer only what the control plane accepts and the
 * gateway honours: a form field the API would refuse is a dead end for the
 * person filling it in.
 */
const template = (file: string) =>
  parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../templates', file),
      'utf8',
    ),
  );

const registerAiBackend = template('register-ai-backend.yaml');
const formProperties = (t: any) =>
  Object.assign(
    {},
    ...t.spec.parameters.map((page: any) => page.properties ?? {}),
  );

/** The provider fields of the AI backend model, from its JSON Schema. */
function modelProviderFields(): string[] {
  const schema: any = aiBackendSchema.toJSONSchema({
    io: 'input',
    unrepresentable: 'any',
  });
  const ai = schema.properties.spec.oneOf.find(
    (b: any) => b.properties.kind.const === 'ai',
  );
  return Object.keys(
    ai.properties.groups.items.properties.providers.items.properties,
  );
}

describe('template forms offer what the gateway honours', () => {
  const providerFields = Object.keys(
    formProperties(registerAiBackend).groups.items.properties.providers.items
      .properties,
  );

  it('Register an AI backend offers provider fields of the model, but no weight', () => {
    expect(
      providerFields.filter(f => !modelProviderFields().includes(f)),
    ).toEqual([]);
    // agentgateway shares a group by health and latency: the API refuses weights.
    expect(providerFields).not.toContain('weight');
  });

  it('Register an AI backend checks served models as the API does', () => {
    const { pattern } = formProperties(registerAiBackend).models.items;
    const accepts = (model: string) =>
      aiBackendSchema.safeParse({
        name: 'llm',
        project: 'payments',
        pool: 'prod',
        spec: {
          kind: 'ai',
          groups: [
            {
              providers: [
                { name: 'local', type: 'custom', baseUrl: 'http://vllm:8000' },
              ],
            },
          ],
          models: [model],
        },
      }).success;
    for (const model of [
      'gpt-4o',
      'anthropic/*',
      '*-latest',
      '*',
      'a*b',
      '**',
      '*a*',
      'two words',
    ]) {
      expect({ model, form: new RegExp(pattern).test(model) }).toEqual({
        model,
        form: accepts(model),
      });
    }
  });

  it('Create a gateway pool offers no subdomain, SIEM format or operator setting the API refuses', () => {
    const createPool = template('create-pool.yaml');
    const text = JSON.stringify(createPool);
    // Nothing serves console, grafana or auth hosts; only OTLP is exported.
    for (const refused of ['console', 'grafana', 'auth', 'cef', 'leef']) {
      expect(text).not.toMatch(new RegExp(`\\b${refused}\\b`));
    }
    // The operator's settings show only for the modes that run it.
    const pages = createPool.spec.parameters;
    expect(Object.keys(formProperties(createPool))).not.toContain(
      'serviceAccount',
    );
    const delivery = pages.find((p: any) => p.properties?.deliveryMode);
    const branches = delivery.dependencies.deliveryMode.oneOf;
    const direct = branches.find(
      (b: any) => b.properties.deliveryMode.const === 'direct',
    );
    expect(Object.keys(direct.properties)).toEqual(['deliveryMode']);
    const operated = branches.find((b: any) => b.properties.deliveryMode.enum);
    expect(operated.properties.deliveryMode.enum).toEqual(['agent', 'gitops']);
    expect(Object.keys(operated.properties)).toEqual(
      expect.arrayContaining(['serviceAccount', 'operatorImage']),
    );
    const pool = JSON.stringify(createPool.spec.steps[0].input.pool);
    expect(pool).toContain(
      "parameters.serviceAccount if parameters.deliveryMode !== 'direct' else undefined",
    );
    expect(pool).toContain(
      "parameters.operatorImage if parameters.deliveryMode !== 'direct' else undefined",
    );
  });

  it.each([
    'register-ai-backend.yaml',
    'attach-policy.yaml',
    'set-budget.yaml',
  ])(
    '%s: the read-only "in words" parameters (for the review) are not sent to the action',
    file => {
      const t = template(file);
      const inWords = Object.entries<any>(formProperties(t)).filter(([name]) =>
        name.endsWith('InWords'),
      );
      expect(inWords.length).toBeGreaterThan(0);
      for (const [name, property] of inWords) {
        expect({ name, field: property['ui:field'] }).toEqual({
          name,
          field: expect.stringMatching(
            /^AiGateway(ProviderSummary|ListInWords)$/,
          ),
        });
        expect(JSON.stringify(t.spec.steps)).not.toContain(name);
      }
    },
  );

  it('Attach a policy sends no section the API refuses', () => {
    const attach = template('attach-policy.yaml');
    const input = JSON.stringify(attach.spec.steps[0].input.policy);
    for (const refused of ['responseCache', 'perModel', 'weight']) {
      expect(input).not.toContain(refused);
    }
  });

  describe('Set a budget', () => {
    const setBudget = template('set-budget.yaml');
    const pages = setBudget.spec.parameters;
    const choices = (property: any) =>
      property.oneOf.map((o: { const: unknown }) => o.const);
    const branchFields = (page: any, key: string) =>
      page.dependencies[key].oneOf.map((b: any) => [
        b.properties[key].const,
        Object.keys(b.properties).filter(f => f !== key),
      ]);

    it('offers the scopes, windows and actions at the limit the API accepts, each with its own fields', () => {
      expect(choices(pages[0].properties.scopeKind)).toEqual([
        ...budgetScopeKinds,
      ]);
      expect(branchFields(pages[0], 'scopeKind')).toEqual([
        ['team', ['team']],
        ['project', ['project']],
        ['aiBackend', ['aiBackend']],
      ]);
      expect(choices(pages[1].properties.window)).toEqual([...budgetWindows]);
      expect(branchFields(pages[1], 'limitKind')).toEqual([
        ['usd', ['limitUsd']],
        ['tokens', ['limitTokens']],
      ]);
      expect(choices(pages[2].properties.onExceededKind)).toEqual([
        ...budgetExceededActions,
      ]);
      expect(branchFields(pages[2], 'onExceededKind')).toEqual([
        ['refuse', []],
        ['downRoute', ['downRouteModel']],
      ]);
    });

    it('offers thresholds the API accepts, and checks the model as the API does', () => {
      const base = {
        name: 'b',
        scope: { kind: 'project', name: 'payments' },
        window: 'daily',
        limit: { usd: 1 },
      };
      for (const percent of choices(
        pages[1].properties.softThresholdsPercent.items,
      )) {
        expect(
          budgetSchema.safeParse({ ...base, softThresholds: [percent / 100] })
            .success,
        ).toBe(true);
      }
      const model =
        pages[2].dependencies.onExceededKind.oneOf[1].properties.downRouteModel;
      for (const sample of ['gpt-4o-mini', 'anthropic/claude', 'a*', 'a b']) {
        expect({
          sample,
          form: new RegExp(model.pattern).test(sample),
        }).toEqual({
          sample,
          form: budgetSchema.safeParse({
            ...base,
            onExceeded: { kind: 'downRoute', model: sample },
          }).success,
        });
      }
    });
  });
});
