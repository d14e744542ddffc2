import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  BudgetObject,
  BudgetScope,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import {
  BudgetFormDialog,
  budgetFormValues,
  budgetInputOf,
  formFieldOfIssue,
} from './BudgetForm';

const team: BudgetScope = { kind: 'team', name: 'group:default/team-a' };

const budget = (version: number, usd: number): BudgetObject => ({
  kind: 'budget',
  name: 'team-a-monthly',
  version,
  createdAt: '2026-12-01T00:00:00Z',
  createdBy: 'user:default/admin',
  updatedAt: '2026-12-01T00:00:00Z',
  updatedBy: 'user:default/admin',
  spec: {
    name: 'team-a-monthly',
    scope: team,
    window: 'monthly',
    limit: { usd },
    softThresholds: [0.8, 0.9],
    onExceeded: { kind: 'refuse' },
  },
});

/** A failed request as the generated client reports it: the control plane's error body with its issues. */
const apiError = (
  status: number,
  name: string,
  message: string,
  issues: Array<{ field: string; message: string }>,
) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message, issues },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: name,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

const renderForm = (
  api: AiGatewayApi,
  props: Partial<Parameters<typeof BudgetFormDialog>[0]> = {},
) => {
  const onChanged = jest.fn();
  const onClose = jest.fn();
  return {
    onChanged,
    onClose,
    rendered: renderInTestApp(
      <TestApiProvider apis={[[aiGatewayApiRef, api]]}>
        <BudgetFormDialog
          scope={team}
          canSave
          canDelete
          onClose={onClose}
          onChanged={onChanged}
          {...props}
        />
      </TestApiProvider>,
    ),
  };
};

describe('budgetInputOf', () => {
  it('turns percentages into fractions and the amount into the limit', () => {
    const result = budgetInputOf(
      {
        ...budgetFormValues(),
        name: 'team-a-monthly',
        amount: '1,500.5',
        notifyAt: '90, 80%',
      },
      team,
    );
    expect(result.errors).toBeUndefined();
    expect(result).toEqual({
      input: {
        name: 'team-a-monthly',
        scope: team,
        window: 'monthly',
        limit: { usd: 1500.5 },
        softThresholds: [0.9, 0.8],
        onExceeded: { kind: 'refuse' },
      },
    });
  });

  it('names each field at fault, in percent where the form speaks percent', () => {
    const result = budgetInputOf(
      {
        ...budgetFormValues(),
        name: 'Not A Name',
        limitIn: 'tokens',
        amount: '2.5',
        notifyAt: '80, 120',
        whenExceeded: 'downRoute',
      },
      team,
    );
    expect(result.errors).toEqual({
      name: expect.any(String),
      amount: 'must be a whole number of tokens',
      notifyAt: expect.stringMatching(/between 0 and 100/),
      downRouteModel: 'must not be empty',
    });
  });

  it('reads a budget back into the form', () => {
    const values = budgetFormValues(budget(1, 250));
    expect(values).toMatchObject({
      limitIn: 'usd',
      amount: '250',
      notifyAt: '80, 90',
      whenExceeded: 'refuse',
    });
  });

  it('places API issues on the field they name', () => {
    expect(formFieldOfIssue('limit.tokens')).toBe('amount');
    expect(formFieldOfIssue('softThresholds[1]')).toBe('notifyAt');
    expect(formFieldOfIssue('onExceeded.model')).toBe('downRouteModel');
    expect(formFieldOfIssue('scope.name')).toBeUndefined();
  });
});

describe('BudgetFormDialog', () => {
  it('shows validation errors by field and sends nothing', async () => {
    const createBudget = jest.fn();
    await renderForm(fakeAiGatewayApi({ createBudget })).rendered;
    expect(
      screen.getByRole('dialog', { name: 'Add budget' }),
    ).toBeInTheDocument();
    type('Name', 'Bad Name');
    type('Notify at (%)', '80, lots');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByLabelText('Amount')).toHaveAccessibleDescription(
      'is required',
    );
    expect(screen.getByLabelText('Amount')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByLabelText('Notify at (%)')).toHaveAccessibleDescription(
      '"lots" is not a number; give percentages such as 80, 90',
    );
    expect(screen.getByLabelText('Name')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByLabelText('Window')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(createBudget).not.toHaveBeenCalled();
  });

  it("puts the API's 400 against the field it names", async () => {
    const createBudget = jest.fn(async () => {
      throw await apiError(
        400,
        'InputError',
        'Invalid budget: onExceeded.model: no AI backend of the team serves it',
        [
          {
            field: 'onExceeded.model',
            message: 'no AI backend of the team serves it',
          },
        ],
      );
    });
    const { onChanged, onClose, rendered } = renderForm(
      fakeAiGatewayApi({ createBudget }),
    );
    await rendered;
    type('Name', 'team-a-daily');
    fireEvent.change(screen.getByLabelText('Window'), {
      target: { value: 'daily' },
    });
    fireEvent.change(screen.getByLabelText('Limit in'), {
      target: { value: 'tokens' },
    });
    type('Amount', '1000000');
    type('Notify at (%)', '50, 90');
    fireEvent.change(screen.getByLabelText('When exceeded'), {
      target: { value: 'downRoute' },
    });
    type('Down-route to model', 'tiny-model');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(
        screen.getByLabelText('Down-route to model'),
      ).toHaveAccessibleDescription('no AI backend of the team serves it'),
    );
    expect(createBudget).toHaveBeenCalledWith({
      name: 'team-a-daily',
      scope: team,
      window: 'daily',
      limit: { tokens: 1000000 },
      softThresholds: [0.5, 0.9],
      onExceeded: { kind: 'downRoute', model: 'tiny-model' },
    });
    // Placed on its field, not repeated above the form.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('sends the version read, and on 409 says so and reloads the budget', async () => {
    const updateBudget = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await apiError(409, 'ConflictError', 'changed', [
          { field: 'version', message: 'is not the current version (3)' },
        ]);
      })
      .mockImplementationOnce(async () => budget(4, 175));
    const getBudget = jest.fn(async () => budget(3, 150));
    const { onChanged, onClose, rendered } = renderForm(
      fakeAiGatewayApi({ updateBudget, getBudget }),
      { budget: budget(2, 100) },
    );
    await rendered;
    expect(
      screen.getByRole('dialog', { name: 'Edit budget team-a-monthly' }),
    ).toBeInTheDocument();
    // The name cannot change: it is not a field when editing.
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument();
    type('Amount', '125');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone else changed this budget since you opened it. The form now shows the current version (3)',
    );
    expect(updateBudget).toHaveBeenLastCalledWith(
      'team-a-monthly',
      expect.objectContaining({ limit: { usd: 125 } }),
      2,
    );
    expect(screen.getByLabelText('Amount')).toHaveValue('150');
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();

    type('Amount', '175');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(updateBudget).toHaveBeenLastCalledWith(
      'team-a-monthly',
      expect.objectContaining({ limit: { usd: 175 } }),
      3,
    );
  });

  it('deletes only after a confirmation', async () => {
    const deleteBudget = jest.fn(async () => {});
    const { onChanged, rendered } = renderForm(
      fakeAiGatewayApi({ deleteBudget }),
      { budget: budget(2, 100) },
    );
    await rendered;
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(
      await screen.findByRole('dialog', {
        name: 'Delete budget team-a-monthly?',
      }),
    ).toBeInTheDocument();
    expect(deleteBudget).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete budget' }));
    await waitFor(() =>
      expect(deleteBudget).toHaveBeenCalledWith('team-a-monthly'),
    );
    expect(onChanged).toHaveBeenCalled();
  });

  it('offers no Delete and no Save without permission', async () => {
    await renderForm(fakeAiGatewayApi(), {
      budget: budget(2, 100),
      canSave: false,
      canDelete: false,
    }).rendered;
    expect(
      screen.queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });
});
