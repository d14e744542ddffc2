import { usePermission } from '@backstage/plugin-permission-react';
import {
  aiGatewayBudgetPermissions,
  aiGatewayTeamBudgetPermission,
  type BudgetScope,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

export type BudgetPermissions = {
  create: boolean;
  update: boolean;
  delete: boolean;
  loading: boolean;
};

/**
 * What the signed-in user may do with budgets of `scope`, as the control
 * plane decides it: the budget permission on the scope's project (an AI
 * backend's resolves to its project), and for a team's budgets the
 * team-budget permission. A team is no object the permission framework can
 * resolve, so for teams the team-budget permission alone decides here; the
 * control plane still checks both.
 */
export function useBudgetPermissions(scope: BudgetScope): BudgetPermissions {
  const resourceRef =
    scope.kind === 'team' ? undefined : `${scope.kind}:${scope.name}`;
  // Hooks in a fixed order; a resource permission without a ref is simply denied.
  const create = usePermission({
    permission: aiGatewayBudgetPermissions.create,
    resourceRef,
  });
  const update = usePermission({
    permission: aiGatewayBudgetPermissions.update,
    resourceRef,
  });
  const remove = usePermission({
    permission: aiGatewayBudgetPermissions.delete,
    resourceRef,
  });
  const team = usePermission({ permission: aiGatewayTeamBudgetPermission });
  if (scope.kind === 'team') {
    return {
      create: team.allowed,
      update: team.allowed,
      delete: team.allowed,
      loading: team.loading,
    };
  }
  return {
    create: create.allowed,
    update: update.allowed,
    delete: remove.allowed,
    loading: create.loading || update.loading || remove.loading,
  };
}
