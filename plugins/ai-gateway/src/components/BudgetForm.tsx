import { useApi } from '@backstage/core-plugin-api';
import {
  budgetSchema,
  budgetWindows,
  formatZodIssues,
  type BudgetInput,
  type BudgetObject,
  type BudgetScope,
  type BudgetWindow,
  type FieldIssue,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState, type ReactNode } from 'react';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { failureOf } from './failureOf';

/** The form's fields, as typed (numbers stay text until they are checked). */
export type BudgetFormValues = {
  name: string;
  description: string;
  window: BudgetWindow;
  limitIn: 'usd' | 'tokens';
  amount: string;
  /** Percentages of the limit, e.g. "80, 90". */
  notifyAt: string;
  whenExceeded: 'refuse' | 'downRoute';
  downRouteModel: string;
};

export type BudgetFormField = keyof BudgetFormValues;
export type BudgetFormErrors = Partial<Record<BudgetFormField, string>>;

export const WINDOW_LABELS: Record<BudgetWindow, string> = {
  daily: 'Daily (UTC day)',
  weekly: 'Weekly (ISO week, from Monday 00:00 UTC)',
  monthly: 'Monthly (calendar month, UTC)',
};

/** 0.8 -> 80, without float noise (0.29 * 100 is 28.999999999999996). */
export const percentOf = (fraction: number) =>
  Number((fraction * 100).toFixed(4));

/** The form's values for a budget, or a new budget's defaults. */
export function budgetFormValues(budget?: BudgetObject): BudgetFormValues {
  if (!budget) {
    return {
      name: '',
      description: '',
      window: 'monthly',
      limitIn: 'usd',
      amount: '',
      notifyAt: '80',
      whenExceeded: 'refuse',
      downRouteModel: '',
    };
  }
  const { spec } = budget;
  return {
    name: spec.name,
    description: spec.description ?? '',
    window: spec.window,
    limitIn: spec.limit.tokens !== undefined ? 'tokens' : 'usd',
    amount: String(spec.limit.tokens ?? spec.limit.usd ?? ''),
    notifyAt: spec.softThresholds.map(percentOf).join(', '),
    whenExceeded: spec.onExceeded.kind,
    downRouteModel:
      spec.onExceeded.kind === 'downRoute' ? spec.onExceeded.model : '',
  };
}

/**
 * The form field an API or schema issue is about (`limit.usd` is the
 * amount, `softThresholds[1]` the percentages); undefined for what the form
 * does not show (the scope, the version).
 */
export function formFieldOfIssue(field: string): BudgetFormField | undefined {
  if (field === 'name') return 'name';
  if (field === 'description') return 'description';
  if (field === 'window') return 'window';
  if (field === 'limit' || field.startsWith('limit.')) return 'amount';
  if (field.startsWith('softThresholds')) return 'notifyAt';
  if (field === 'onExceeded.model') return 'downRouteModel';
  if (field.startsWith('onExceeded')) return 'whenExceeded';
  return undefined;
}

/** The issues by form field (the first of each), and the rest. */
function placeIssues(issues: FieldIssue[]): {
  errors: BudgetFormErrors;
  unplaced: FieldIssue[];
} {
  const errors: BudgetFormErrors = {};
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const field = formFieldOfIssue(issue.field);
    if (field) errors[field] ??= issue.message;
    else unplaced.push(issue);
  }
  return { errors, unplaced };
}

/**
 * The budget the form describes, checked with the control plane's own
 * schema; or the errors by field. Percentages are checked here, as the
 * schema's messages speak of fractions.
 */
export function budgetInputOf(
  values: BudgetFormValues,
  scope: BudgetScope,
): { input: BudgetInput; errors?: undefined } | { errors: BudgetFormErrors } {
  const errors: BudgetFormErrors = {};
  const amountText = values.amount.replace(/[,_\s]/g, '');
  const amount = Number(amountText);
  if (!amountText) errors.amount = 'is required';
  else if (!Number.isFinite(amount)) errors.amount = 'must be a number';

  const thresholds: number[] = [];
  for (const part of values.notifyAt.split(/[,;\s]+/).filter(Boolean)) {
    const percent = Number(part.replace(/%$/, ''));
    if (!Number.isFinite(percent)) {
      errors.notifyAt = `"${part}" is not a number; give percentages such as 80, 90`;
      break;
    }
    if (percent <= 0 || percent >= 100) {
      errors.notifyAt =
        'each must be between 0 and 100 (the limit itself, 100 %, is where the budget is exceeded)';
      break;
    }
    thresholds.push(Number((percent / 100).toFixed(6)));
  }

  const input: BudgetInput = {
    name: values.name.trim(),
    ...(values.description.trim()
      ? { description: values.description.trim() }
      : {}),
    scope,
    window: values.window,
    limit: values.limitIn === 'usd' ? { usd: amount } : { tokens: amount },
    softThresholds: thresholds,
    onExceeded:
      values.whenExceeded === 'downRoute'
        ? { kind: 'downRoute', model: values.downRouteModel.trim() }
        : { kind: 'refuse' },
  };
  const parsed = budgetSchema.safeParse(input);
  if (!parsed.success) {
    const placed = placeIssues(formatZodIssues(parsed.error)).errors;
    for (const [field, message] of Object.entries(placed)) {
      errors[field as BudgetFormField] ??= message;
    }
  }
  return Object.keys(errors).length ? { errors } : { input };
}

function Field(props: {
  field: BudgetFormField;
  label: string;
  values: BudgetFormValues;
  errors: BudgetFormErrors;
  onChange: (field: BudgetFormField, value: string) => void;
  helperText?: ReactNode;
  select?: boolean;
  children?: ReactNode;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const { field, errors } = props;
  return (
    <TextField
      id={`budget-${field}`}
      label={props.label}
      value={props.values[field]}
      onChange={e => props.onChange(field, e.target.value)}
      error={Boolean(errors[field])}
      helperText={errors[field] ?? props.helperText}
      select={props.select}
      SelectProps={props.select ? { native: true } : undefined}
      inputProps={props.inputMode ? { inputMode: props.inputMode } : undefined}
      fullWidth
      margin="dense"
      variant="outlined"
    >
      {props.children}
    </TextField>
  );
}

/**
 * Adds a budget to `scope` or edits one, in a dialog: checked with the
 * control plane's schema before it is sent, and the control plane's refusals
 * are shown against the field they name. An edit sends the version it read;
 * when someone changed the budget since, the form reloads it and says so.
 */
export function BudgetFormDialog(props: {
  scope: BudgetScope;
  /** The budget to edit; without it, a new budget is added. */
  budget?: BudgetObject;
  canSave: boolean;
  canDelete: boolean;
  onClose: () => void;
  /** After a budget was saved or deleted (or found changed), so the list reloads. */
  onChanged: () => void;
}) {
  const { scope, canSave, canDelete, onClose, onChanged } = props;
  const api = useApi(aiGatewayApiRef);
  const [budget, setBudget] = useState(props.budget);
  const [values, setValues] = useState(() => budgetFormValues(props.budget));
  const [errors, setErrors] = useState<BudgetFormErrors>({});
  const [general, setGeneral] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const editing = Boolean(budget);

  const change = (field: BudgetFormField, value: string) => {
    setValues(v => ({ ...v, [field]: value }));
    setErrors(e => ({ ...e, [field]: undefined }));
  };

  const reloadAfterConflict = async (name: string) => {
    try {
      const current = await api.getBudget(name);
      setBudget(current);
      setValues(budgetFormValues(current));
      setErrors({});
      setGeneral(
        `Someone else changed this budget since you opened it. The form now shows the current version (${current.version}); reapply your change and save again.`,
      );
    } catch (e) {
      setGeneral(
        `Someone else changed this budget since you opened it, and it could not be read again: ${
          failureOf(e as Error).message
        }`,
      );
    }
    onChanged();
  };

  const save = async () => {
    const checked = budgetInputOf(
      budget ? { ...values, name: budget.name } : values,
      scope,
    );
    setGeneral(undefined);
    if (checked.errors) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (budget) {
        await api.updateBudget(budget.name, checked.input, budget.version);
      } else {
        await api.createBudget(checked.input);
      }
      onChanged();
      onClose();
    } catch (e) {
      const failure = failureOf(e as Error);
      const issues = failure.issues ?? [];
      if (
        budget &&
        failure.status === 409 &&
        (issues.length === 0 || issues.some(i => i.field === 'version'))
      ) {
        await reloadAfterConflict(budget.name);
        return;
      }
      const { errors: placed, unplaced } = placeIssues(issues);
      // The name is not a field when editing: its issues go above the form.
      if (editing && placed.name) {
        unplaced.push({ field: 'name', message: placed.name });
        delete placed.name;
      }
      setErrors(placed);
      if (unplaced.length > 0 || Object.keys(placed).length === 0) {
        setGeneral(failure.message);
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!budget) return;
    setConfirmDelete(false);
    setBusy(true);
    try {
      await api.deleteBudget(budget.name);
      onChanged();
      onClose();
    } catch (e) {
      setGeneral(`Not deleted: ${failureOf(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = { values, errors, onChange: change };
  const title = budget ? `Edit budget ${budget.name}` : 'Add budget';
  return (
    <>
      <Dialog
        open
        onClose={busy ? undefined : onClose}
        aria-labelledby="budget-form-title"
        fullWidth
        maxWidth="sm"
      >
        <DialogTitle id="budget-form-title">{title}</DialogTitle>
        <DialogContent>
          <form
            id="budget-form"
            noValidate
            onSubmit={e => {
              e.preventDefault();
              if (canSave && !busy) save();
            }}
          >
            {general && (
              <Alert severity="error" role="alert">
                {general}
              </Alert>
            )}
            {!editing && (
              <Field
                {...fieldProps}
                field="name"
                label="Name"
                helperText="Lower case letters, digits and dashes, e.g. team-a-monthly; cannot be changed later"
              />
            )}
            <Field
              {...fieldProps}
              field="description"
              label="Description"
              helperText="Optional: what the budget is for"
            />
            <Field {...fieldProps} field="window" label="Window" select>
              {budgetWindows.map(w => (
                <option key={w} value={w}>
                  {WINDOW_LABELS[w]}
                </option>
              ))}
            </Field>
            <Field {...fieldProps} field="limitIn" label="Limit in" select>
              <option value="usd">US dollars</option>
              <option value="tokens">Tokens (input + output)</option>
            </Field>
            <Field
              {...fieldProps}
              field="amount"
              label="Amount"
              inputMode={values.limitIn === 'usd' ? 'decimal' : 'numeric'}
              helperText={
                values.limitIn === 'usd'
                  ? 'US dollars per window, e.g. 500'
                  : 'Tokens per window, e.g. 10000000'
              }
            />
            <Field
              {...fieldProps}
              field="notifyAt"
              label="Notify at (%)"
              helperText="Percentages of the limit, e.g. 80, 90: the owners are notified once per window at each; empty for none"
            />
            <Field
              {...fieldProps}
              field="whenExceeded"
              label="When exceeded"
              select
            >
              <option value="refuse">Refuse requests (429)</option>
              <option value="downRoute">Down-route to a cheaper model</option>
            </Field>
            {values.whenExceeded === 'downRoute' && (
              <Field
                {...fieldProps}
                field="downRouteModel"
                label="Down-route to model"
                helperText="The model the traffic is sent to instead until the window ends, e.g. gpt-4o-mini"
              />
            )}
          </form>
        </DialogContent>
        <DialogActions>
          {editing && canDelete && (
            <Button
              color="secondary"
              disabled={busy}
              onClick={() => setConfirmDelete(true)}
            >
              Delete
            </Button>
          )}
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            form="budget-form"
            color="primary"
            variant="contained"
            disabled={!canSave || busy}
          >
            Save
          </Button>
        </DialogActions>
      </Dialog>
      {budget && (
        <Dialog
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          aria-labelledby="budget-delete-title"
        >
          <DialogTitle id="budget-delete-title">
            Delete budget {budget.name}?
          </DialogTitle>
          <DialogContent>
            <DialogContentText>
              Its spend is no longer limited; if it is exceeded, the refusing or
              down-routing stops at once.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button color="secondary" variant="contained" onClick={remove}>
              Delete budget
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}
