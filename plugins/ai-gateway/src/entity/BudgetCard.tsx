import {
  InfoCard,
  LinearGauge,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  type GaugePropsGetColor,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  BudgetObject,
  BudgetScope,
  BudgetState,
  BudgetWindow,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import { Fragment, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { absoluteTime } from '../components/Age';
import { BudgetFormDialog, percentOf } from '../components/BudgetForm';
import { failureOf } from '../components/failureOf';
import { formatCompact, formatUsd } from '../components/UsageChart';
import {
  useBudgetPermissions,
  type BudgetPermissions,
} from '../hooks/useBudgetPermissions';
import {
  budgetScopeOfEntity,
  describeBudgetScope,
  isSameBudgetScope,
} from './budgetScope';

const useStyles = makeStyles((theme: Theme) => ({
  budget: { padding: theme.spacing(1.5, 0) },
  heading: {
    display: 'flex',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  secondary: { color: theme.palette.text.secondary },
  gauge: { margin: theme.spacing(0.5, 0) },
}));

const WINDOW_WORDS: Record<BudgetWindow, string> = {
  daily: 'today (UTC)',
  weekly: 'this week',
  monthly: 'this month',
};

const PER_WINDOW: Record<BudgetWindow, string> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
};

type BudgetRow = { budget: BudgetObject; state: BudgetState | Error };

const amountIn = (unit: 'usd' | 'tokens', n: number) =>
  unit === 'usd' ? formatUsd(n) : `${formatCompact(n)} tokens`;

const formatPercents = (fractions: number[]) =>
  fractions.map(f => `${percentOf(f)} %`).join(', ');

/** "in 3 d", "in 5 h", "in 12 min": how long until `iso`. */
export function timeUntil(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
  if (s < 5400) return `in ${Math.max(1, Math.round(s / 60))} min`;
  if (s < 172800) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86400)} d`;
}

/** The status a budget's current window is in, in words. */
export function budgetStatusOf(
  budget: BudgetObject,
  state: BudgetState,
): { level: 'ok' | 'warning' | 'error'; text: string } {
  if (state.exceededSince) {
    const action =
      budget.spec.onExceeded.kind === 'downRoute'
        ? `down-routing to ${budget.spec.onExceeded.model}`
        : 'refusing with 429';
    return { level: 'error', text: `Exceeded: ${action}` };
  }
  const crossed = budget.spec.softThresholds.filter(t => state.fraction >= t);
  if (crossed.length > 0) {
    return {
      level: 'warning',
      text: `Over the ${percentOf(Math.max(...crossed))} % soft threshold`,
    };
  }
  return { level: 'ok', text: 'OK' };
}

function Status(props: { level: 'ok' | 'warning' | 'error'; text: string }) {
  const Icon = { ok: StatusOK, warning: StatusWarning, error: StatusError }[
    props.level
  ];
  return <Icon>{props.text}</Icon>;
}

function BudgetItem(props: {
  row: BudgetRow;
  permissions: BudgetPermissions;
  onEdit: () => void;
}) {
  const classes = useStyles();
  const { budget, state } = props.row;
  const { spec } = budget;
  const headingId = `budget-${budget.name}-heading`;
  // Spend is colored by the budget's own thresholds: warning from the first, error at the limit.
  const gaugeColor: GaugePropsGetColor = ({ palette, value }) => {
    if (value >= 100) return palette.status.error;
    const first = Math.min(...spec.softThresholds.map(percentOf), 100);
    return value >= first ? palette.status.warning : palette.status.ok;
  };

  let details;
  if (state instanceof Error) {
    details = (
      <>
        <Typography variant="body2">
          Limit{' '}
          {spec.limit.tokens !== undefined
            ? amountIn('tokens', spec.limit.tokens)
            : amountIn('usd', spec.limit.usd ?? 0)}{' '}
          per {PER_WINDOW[spec.window]}
        </Typography>
        <Typography variant="body2" color="error">
          The current window could not be read: {failureOf(state).message}
        </Typography>
      </>
    );
  } else {
    const status = budgetStatusOf(budget, state);
    details = (
      <>
        <Status {...status} />
        <Typography variant="body2">
          {amountIn(state.unit, state.spent)} of{' '}
          {amountIn(state.unit, state.limit)} spent {WINDOW_WORDS[spec.window]}{' '}
          ({percentOf(state.fraction)} %)
        </Typography>
        <div
          className={classes.gauge}
          role="meter"
          aria-label={`Spend of budget ${budget.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.min(100, percentOf(state.fraction))}
          aria-valuetext={`${percentOf(state.fraction)} % of the limit`}
        >
          <LinearGauge
            value={Math.min(1, state.fraction)}
            getColor={gaugeColor}
          />
        </div>
        <Typography variant="body2" className={classes.secondary}>
          {spec.softThresholds.length > 0
            ? `Notify at ${formatPercents(spec.softThresholds)}`
            : 'No soft thresholds'}
          {state.notifiedThresholds.length > 0 &&
            ` (notified at ${formatPercents(state.notifiedThresholds)})`}
          {state.exceededSince &&
            `; exceeded since ${absoluteTime(state.exceededSince)}`}
        </Typography>
        <Typography variant="body2" className={classes.secondary}>
          Window resets {timeUntil(state.windowEnd)} (
          {absoluteTime(state.windowEnd)})
          {!state.evaluatedAt && '; not evaluated in this window yet'}
        </Typography>
        {state.error && (
          <Typography variant="body2" color="error">
            Usage could not be read at the last evaluation: {state.error}
          </Typography>
        )}
        {state.unpricedModels?.length ? (
          <Typography variant="body2" className={classes.secondary}>
            Not counted (no cost reported and no price configured):{' '}
            {state.unpricedModels.join(', ')}
          </Typography>
        ) : null}
      </>
    );
  }

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      className={classes.budget}
    >
      <div className={classes.heading}>
        <Typography variant="h6" component="h3" id={headingId}>
          {budget.name}
        </Typography>
        {(props.permissions.update || props.permissions.delete) && (
          <Button
            size="small"
            aria-label={`Edit budget ${budget.name}`}
            onClick={props.onEdit}
          >
            Edit
          </Button>
        )}
      </div>
      {spec.description && (
        <Typography variant="body2" className={classes.secondary}>
          {spec.description}
        </Typography>
      )}
      {details}
    </Box>
  );
}

/**
 * The budgets of the entity's scope (a catalog Group's team, an AI Gateway
 * project, an AI backend) with their current window: spend against the
 * limit, soft thresholds, whether the limit is exceeded and what happens
 * then, and when the window resets. Adds, edits and deletes budgets for
 * users the control plane allows to.
 *
 * @public
 */
export function BudgetCard() {
  const { entity } = useEntity();
  const scope = budgetScopeOfEntity(entity);
  if (!scope) {
    return (
      <InfoCard title="Budgets">
        <Typography variant="body2">
          Budgets are shown for catalog groups (teams), AI Gateway projects and
          AI backends.
        </Typography>
      </InfoCard>
    );
  }
  return <BudgetCardFor scope={scope} />;
}

function BudgetCardFor(props: { scope: BudgetScope }) {
  const { scope } = props;
  const api = useApi(aiGatewayApiRef);
  const permissions = useBudgetPermissions(scope);
  const [dialog, setDialog] = useState<{ budget?: BudgetObject }>();
  const budgets = useAsyncRetry(async (): Promise<BudgetRow[]> => {
    const items = (await api.listBudgets())
      .filter(b => isSameBudgetScope(b.spec.scope, scope))
      .sort((a, b) => a.name.localeCompare(b.name));
    // One budget's state failing does not hide the others.
    const states = await Promise.all(
      items.map(b => api.getBudgetState(b.name).catch((e: Error) => e)),
    );
    return items.map((budget, i) => ({ budget, state: states[i] }));
  }, [api, scope.kind, scope.name]);
  const what = describeBudgetScope(scope);

  let body;
  if (budgets.loading && !budgets.value) body = <Progress />;
  else if (budgets.error) {
    body = (
      <ResponseErrorPanel
        title="Budgets could not be read"
        error={budgets.error}
      />
    );
  } else if (!budgets.value?.length) {
    body = (
      <Typography variant="body2">
        No budget limits the spend of {what}. A budget caps the spend (US
        dollars or tokens) per day, week or month: the owners are notified at
        soft thresholds such as 80 %, and at the limit the gateways refuse its
        requests (429) or down-route them to a cheaper model until the window
        ends.
        {!permissions.create &&
          !permissions.loading &&
          (scope.kind === 'team'
            ? ' Only platform admins may add budgets of teams.'
            : " Only the project's owners may add budgets.")}
      </Typography>
    );
  } else {
    body = budgets.value.map((row, i) => (
      <Fragment key={row.budget.name}>
        {i > 0 && <Divider />}
        <BudgetItem
          row={row}
          permissions={permissions}
          onEdit={() => setDialog({ budget: row.budget })}
        />
      </Fragment>
    ));
  }

  return (
    <InfoCard
      title="Budgets"
      subheader={`Spend limits of ${what}`}
      action={
        permissions.create ? (
          <Button
            color="primary"
            variant="outlined"
            onClick={() => setDialog({})}
          >
            Add budget
          </Button>
        ) : undefined
      }
    >
      {body}
      {dialog && (
        <BudgetFormDialog
          scope={scope}
          budget={dialog.budget}
          canSave={dialog.budget ? permissions.update : permissions.create}
          canDelete={permissions.delete}
          onClose={() => setDialog(undefined)}
          onChanged={budgets.retry}
        />
      )}
    </InfoCard>
  );
}
