import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { FleetEntry } from '../api/AiGatewayApi';

type Budgets = NonNullable<FleetEntry['budgets']>;
type Exceeded = Budgets['exceeded'][number];

/** One exceeded budget in words: what it limits and what the pool does about it. */
export function describeExceeded(e: Exceeded): string {
  const scope =
    e.scope.kind === 'team'
      ? `team ${e.scope.name}`
      : `${e.scope.kind === 'project' ? 'project' : 'AI backend'} ${
          e.scope.name
        }`;
  const action =
    e.action === 'downRoute'
      ? `down-routing to ${e.model ?? 'a cheaper model'}`
      : 'refusing';
  return `${e.budget} (${scope}): ${action} until ${e.until}`;
}

/** The budget trouble in a few words, for the fleet search ("1 exceeded: …", "2 past a soft threshold"; none: empty). */
export function budgetWords(budgets: FleetEntry['budgets']): string {
  if (!budgets || budgets.total === 0) return '';
  const parts = [
    ...(budgets.exceeded.length
      ? [
          `${budgets.exceeded.length} exceeded: ${budgets.exceeded
            .map(e => e.budget)
            .join(', ')}`,
        ]
      : []),
    ...(budgets.pastSoftThreshold
      ? [`${budgets.pastSoftThreshold} past a soft threshold`]
      : []),
  ];
  return parts.join('; ');
}

/** Orders pools by budget trouble: exceeded first, then past a threshold, then OK, then none. */
export function budgetSeverity(budgets: FleetEntry['budgets']): number {
  if (!budgets || budgets.total === 0) return 0;
  return 1 + budgets.pastSoftThreshold + 1000 * budgets.exceeded.length;
}

/**
 * The Budgets cell: "1 exceeded" (a tooltip lists them), "2 near limit"
 * (past a soft threshold), "OK", or "—" when no budget covers the pool.
 */
export function BudgetCell(props: {
  pool: string;
  budgets: Budgets | undefined;
}) {
  const { pool, budgets } = props;
  if (!budgets || budgets.total === 0) {
    return (
      <Tooltip title="No budget covers what this pool serves">
        <span data-testid={`fleet-budgets-${pool}`}>—</span>
      </Tooltip>
    );
  }
  const near = budgets.pastSoftThreshold;
  return (
    <div data-testid={`fleet-budgets-${pool}`}>
      {budgets.exceeded.length > 0 && (
        // A string title: MUI also puts it in the title attribute, which screen readers read.
        <Tooltip title={budgets.exceeded.map(describeExceeded).join('; ')}>
          <span>
            <StatusError>{`${budgets.exceeded.length} exceeded`}</StatusError>
          </span>
        </Tooltip>
      )}
      {near > 0 && (
        <Tooltip
          title={`${near} budget${
            near === 1 ? '' : 's'
          } past a soft threshold: the owners were notified`}
        >
          <span>
            <StatusWarning>{`${near} near limit`}</StatusWarning>
          </span>
        </Tooltip>
      )}
      {budgets.exceeded.length === 0 && near === 0 && <StatusOK>OK</StatusOK>}
      <Typography variant="body2" color="textSecondary">
        {`${budgets.total} budget${budgets.total === 1 ? '' : 's'}`}
      </Typography>
    </div>
  );
}
