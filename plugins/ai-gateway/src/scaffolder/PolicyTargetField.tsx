import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import type { FieldValidation, ValidationContext } from './checks';

/** @public */
export type PolicyTargetOptions = {
  /** The form field holding the pool name (default `pool`). */
  poolField?: string;
  /** The form field holding the target kind: gateway, route or backend (default `targetKind`). */
  kindField?: string;
};

/** Something a policy can be attached to. */
export type PolicyTargetChoice = { name: string; label: string };

/**
 * What a policy of `kind` can target in `pool`: the pool's gateway (named
 * after the pool), or the route or backend of one of its MCP servers or AI
 * backends.
 */
export async function policyTargets(
  api: AiGatewayApi,
  pool: string,
  kind: string | undefined,
): Promise<PolicyTargetChoice[]> {
  if (kind === 'gateway') {
    return [{ name: pool, label: `${pool} (the gateway of the pool)` }];
  }
  const [mcpServers, aiBackends] = await Promise.all([
    api.listInPool('mcp-servers', pool),
    api.listInPool('ai-backends', pool),
  ]);
  return [
    ...mcpServers.map(s => ({ name: s.name, label: `${s.name} (MCP server)` })),
    ...aiBackends.map(b => ({ name: b.name, label: `${b.name} (AI backend)` })),
  ];
}

const optionsOf = (uiSchema: Record<string, any> | undefined) => ({
  poolField: uiSchema?.['ui:options']?.poolField ?? 'pool',
  kindField: uiSchema?.['ui:options']?.kindField ?? 'targetKind',
});

/** Validation on Next and Review: the target must exist in the chosen pool. */
export async function validatePolicyTarget(
  value: string | undefined,
  validation: FieldValidation,
  context: ValidationContext,
) {
  const api = context.apiHolder.get(aiGatewayApiRef);
  const { poolField, kindField } = optionsOf(context.uiSchema);
  const pool: string | undefined = context.formData?.[poolField];
  if (!api || !pool || !value) return;
  const targets = await policyTargets(api, pool, context.formData?.[kindField]);
  if (!targets.some(t => t.name === value)) {
    validation.addError(
      `must be an MCP server or AI backend of pool ${pool}; '${value}' is not one`,
    );
  }
}

/**
 * The target of a policy, from what the chosen pool has: its gateway, or its
 * MCP servers and AI backends.
 *
 * @public
 */
export function PolicyTargetField(
  props: FieldExtensionComponentProps<string, PolicyTargetOptions>,
) {
  const {
    onChange,
    formData,
    required,
    rawErrors,
    schema,
    uiSchema,
    formContext,
    idSchema,
  } = props;
  const api = useApi(aiGatewayApiRef);
  const { poolField, kindField } = optionsOf(uiSchema);
  const form = (formContext as any)?.formData ?? {};
  const pool: string | undefined = form[poolField];
  const kind: string | undefined = form[kindField];
  const targets = useAsync(
    async () => (pool ? policyTargets(api, pool, kind) : []),
    [api, pool, kind],
  );
  const choices = targets.value ?? [];
  // A value from another pool or kind is not offered: show it as missing.
  const value = choices.some(c => c.name === formData) ? formData : '';

  const id = idSchema?.$id ?? 'ai-gateway-policy-target';
  // The form shows the schema's description under the field itself.
  let helper: string | undefined;
  if (!pool) {
    helper = 'Pick a pool first: its MCP servers and AI backends are offered';
  } else if (targets.error) {
    helper = `Could not load what pool ${pool} serves: ${targets.error.message}`;
  } else if (targets.loading) {
    helper = `Loading what pool ${pool} serves…`;
  } else if (choices.length === 0) {
    helper = `Pool ${pool} has no MCP server or AI backend yet: deploy one first, or attach the policy to the whole gateway`;
  }

  return (
    <FormControl
      margin="normal"
      required={required}
      error={!!rawErrors?.length || !!targets.error}
      fullWidth
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Target'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        data-testid="ai-gateway-policy-target"
        value={value ?? ''}
        onChange={e => onChange(e.target.value as string)}
        disabled={!pool || targets.loading || !!targets.error}
        aria-describedby={helper ? `${id}-helper` : undefined}
      >
        {choices.map(c => (
          <MenuItem
            key={c.label}
            value={c.name}
            data-testid={`ai-gateway-policy-target-option-${c.name}`}
          >
            {c.label}
          </MenuItem>
        ))}
      </Select>
      {helper && <FormHelperText id={`${id}-helper`}>{helper}</FormHelperText>}
    </FormControl>
  );
}
