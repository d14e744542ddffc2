import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  BudgetObject,
  BudgetScope,
  BudgetState,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { BudgetCard } from './BudgetCard';
import { budgetScopeOfEntity, isBudgetCardAvailable } from './budgetScope';

const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const suiteEntity = (kind: string, aiGatewayKind: string, name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, annotations: { 'ai-gateway.io/kind': aiGatewayKind } },
  spec: {},
});

const budget = (
  name: string,
  scope: BudgetScope,
  spec: Partial<BudgetObject['spec']> = {},
): BudgetObject => ({
  kind: 'budget',
  name,
  version: 1,
  createdAt: '2026-12-01T00:00:00Z',
  createdBy: 'user:default/admin',
  updatedAt: '2026-12-01T00:00:00Z',
  updatedBy: 'user:default/admin',
  spec: {
    name,
    scope,
    window: 'monthly',
    limit: { usd: 100 },
    softThresholds: [0.8],
    onExceeded: { kind: 'refuse' },
    ...spec,
  },
});
const windowEnd = new Date(Date.now() + 3 * 86400_000).toISOString();
const state = (
  name: string,
  spent: number,
  limit: number,
  more: Partial<BudgetState> = {},
): BudgetState => ({
  budget: name,
  windowStart: '2026-12-01T00:00:00.000Z',
  windowEnd,
  spent,
  limit,
  unit: 'usd',
  fraction: spent / limit,
  notifiedThresholds: [],
  evaluatedAt: new Date().toISOString(),
  ...more,
});

/** Allows every budget permission except on the resources in `denied`. */
const permissions = (denied: string[] = []) => ({
  authorize: jest.fn(async (request: { resourceRef?: string }) => ({
    result:
      request.resourceRef && denied.includes(request.resourceRef)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })),
});

const render = (
  api: AiGatewayApi,
  entity: object,
  permissionApi = permissions(),
) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [aiGatewayApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={entity as any}>
        <BudgetCard />
      </EntityProvider>
    </TestApiProvider>,
  );

const teamA: BudgetScope = { kind: 'team', name: 'group:default/team-a' };

describe('budgetScopeOfEntity', () => {
  it('makes a team of a Group, and projects and AI backends of their entities', () => {
    expect(budgetScopeOfEntity(group('Team-A'))).toEqual(teamA);
    expect(
      budgetScopeOfEntity(suiteEntity('System', 'project', 'payments')),
    ).toEqual({ kind: 'project', name: 'payments' });
    expect(
      budgetScopeOfEntity(suiteEntity('Resource', 'aiBackend', 'llm')),
    ).toEqual({ kind: 'aiBackend', name: 'llm' });
    expect(isBudgetCardAvailable(suiteEntity('Resource', 'pool', 'p'))).toBe(
      false,
    );
    expect(isBudgetCardAvailable(suiteEntity('User', 'project', 'x'))).toBe(
      false,
    );
  });
});

describe('BudgetCard', () => {
  it("lists the team's budgets with their current window", async () => {
    const getBudgetState = jest.fn(async (name: string) =>
      name === 'team-a-tokens'
        ? state(name, 2_500_000, 10_000_000, { unit: 'tokens' })
        : state(name, 45.5, 100, { notifiedThresholds: [] }),
    );
    await render(
      fakeAiGatewayApi({
        listBudgets: async () => [
          budget('team-a-monthly', teamA, {
            description: 'Cap for the whole team',
            softThresholds: [0.8, 0.9],
          }),
          budget('other-team', { kind: 'team', name: 'group:default/b' }),
          budget('payments', { kind: 'project', name: 'payments' }),
          budget(
            'team-a-tokens',
            // Stored in another spelling of the same group.
            { kind: 'team', name: 'group:default/Team-A' },
            { window: 'weekly', limit: { tokens: 10_000_000 } },
          ),
        ],
        getBudgetState,
      }),
      group('team-a'),
    );
    expect(
      await screen.findByRole('region', { name: 'team-a-monthly' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Budgets')).toBeInTheDocument();
    expect(
      screen.getByText('Spend limits of team group:default/team-a'),
    ).toBeInTheDocument();
    const monthly = within(
      screen.getByRole('region', { name: 'team-a-monthly' }),
    );
    expect(monthly.getByText('Cap for the whole team')).toBeInTheDocument();
    expect(monthly.getByText('OK')).toBeInTheDocument();
    expect(
      monthly.getByText('$45.50 of $100.00 spent this month (45.5 %)'),
    ).toBeInTheDocument();
    expect(
      monthly.getByRole('meter', { name: 'Spend of budget team-a-monthly' }),
    ).toHaveAttribute('aria-valuenow', '45.5');
    expect(monthly.getByText('Notify at 80 %, 90 %')).toBeInTheDocument();
    expect(monthly.getByText(/^Window resets in 3 d \(/)).toBeInTheDocument();
    const tokens = within(
      screen.getByRole('region', { name: 'team-a-tokens' }),
    );
    expect(
      tokens.getByText('2.5M tokens of 10M tokens spent this week (25 %)'),
    ).toBeInTheDocument();
    // Only the team's own budgets, and only theirs' state is read.
    expect(screen.queryByText('other-team')).not.toBeInTheDocument();
    expect(screen.queryByText('payments')).not.toBeInTheDocument();
    expect(getBudgetState).toHaveBeenCalledTimes(2);
  });

  it('says when a budget is exceeded and what the gateways do about it', async () => {
    const payments: BudgetScope = { kind: 'project', name: 'payments' };
    const exceededSince = '2026-12-02T09:00:00.000Z';
    await render(
      fakeAiGatewayApi({
        listBudgets: async () => [
          budget('down-routed', payments, {
            onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
          }),
          budget('refused', payments),
          budget('warned', payments, { softThresholds: [0.5, 0.8, 0.95] }),
        ],
        getBudgetState: async (name: string) => {
          if (name === 'warned') {
            return state(name, 85, 100, { notifiedThresholds: [0.5, 0.8] });
          }
          return state(name, 120, 100, { exceededSince });
        },
      }),
      suiteEntity('System', 'project', 'payments'),
    );
    const downRouted = within(
      await screen.findByRole('region', { name: 'down-routed' }),
    );
    expect(
      downRouted.getByText('Exceeded: down-routing to gpt-4o-mini'),
    ).toBeInTheDocument();
    // The gauge stops at the limit; the text says how far over it is.
    expect(downRouted.getByRole('meter')).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(
      downRouted.getByText('$120.00 of $100.00 spent this month (120 %)'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'refused' })).getByText(
        'Exceeded: refusing with 429',
      ),
    ).toBeInTheDocument();
    const warned = within(screen.getByRole('region', { name: 'warned' }));
    expect(
      warned.getByText('Over the 80 % soft threshold'),
    ).toBeInTheDocument();
    expect(
      warned.getByText('Notify at 50 %, 80 %, 95 % (notified at 50 %, 80 %)'),
    ).toBeInTheDocument();
  });

  it('explains budgets when there is none and offers to add one', async () => {
    const createBudget = jest.fn(async (input: any) =>
      budget(input.name, input.scope),
    );
    let budgets: BudgetObject[] = [];
    await render(
      fakeAiGatewayApi({
        listBudgets: async () => budgets,
        getBudgetState: async (name: string) => state(name, 0, 100),
        createBudget: async input => {
          const created = await createBudget(input);
          budgets = [created];
          return created;
        },
      }),
      suiteEntity('Resource', 'aiBackend', 'llm'),
    );
    expect(
      await screen.findByText(/No budget limits the spend of AI backend llm/),
    ).toBeInTheDocument();
    fireEvent.click(await screen.findByRole('button', { name: 'Add budget' }));
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'llm-daily' },
    });
    fireEvent.change(screen.getByLabelText('Amount'), {
      target: { value: '20' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByRole('region', { name: 'llm-daily' }),
    ).toBeInTheDocument();
    expect(createBudget).toHaveBeenCalledWith(
      expect.objectContaining({
        scope: { kind: 'aiBackend', name: 'llm' },
        limit: { usd: 20 },
        softThresholds: [0.8],
      }),
    );
  });

  it('shows no Add budget and no Edit without permission', async () => {
    const permissionApi = permissions(['project:locked']);
    const locked: BudgetScope = { kind: 'project', name: 'locked' };
    await render(
      fakeAiGatewayApi({
        listBudgets: async () => [budget('locked-monthly', locked)],
        getBudgetState: async (name: string) => state(name, 10, 100),
      }),
      suiteEntity('System', 'project', 'locked'),
      permissionApi,
    );
    expect(
      await screen.findByRole('region', { name: 'locked-monthly' }),
    ).toBeInTheDocument();
    expect(permissionApi.authorize).toHaveBeenCalledWith(
      expect.objectContaining({ resourceRef: 'project:locked' }),
    );
    // Let the decisions arrive.
    await act(async () => {});
    expect(
      screen.queryByRole('button', { name: 'Add budget' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Edit budget/ }),
    ).not.toBeInTheDocument();
  });

  it('opens a budget for editing with its values', async () => {
    const payments: BudgetScope = { kind: 'project', name: 'editable' };
    await render(
      fakeAiGatewayApi({
        listBudgets: async () => [
          budget('editable-monthly', payments, { limit: { usd: 250 } }),
        ],
        getBudgetState: async (name: string) => state(name, 10, 250),
      }),
      suiteEntity('System', 'project', 'editable'),
    );
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Edit budget editable-monthly',
      }),
    );
    const dialog = within(
      await screen.findByRole('dialog', {
        name: 'Edit budget editable-monthly',
      }),
    );
    expect(dialog.getByLabelText('Amount')).toHaveValue('250');
    expect(dialog.getByLabelText('Notify at (%)')).toHaveValue('80');
    expect(dialog.getByRole('button', { name: 'Delete' })).toBeEnabled();
  });
});
