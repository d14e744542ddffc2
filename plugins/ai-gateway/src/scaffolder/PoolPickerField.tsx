import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { PoolPhase } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { useEffect, useState } from 'react';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

export type PoolPickerOptions = {
  /** The form field holding the project (an entity ref such as system:default/payments, or a name). */
  projectField?: string;
};

type PoolChoice = { name: string; project: string; cluster: string; phase?: PoolPhase };

const PHASE_COLOURS: Record<PoolPhase, string> = {
  Active: '#2e7d32',
  OutOfSync: '#ed6c02',
  Degraded: '#d32f2f',
  Stale: '#757575',
  Pending: '#0288d1',
};

/** `system:default/payments` or `payments` -> `payments`. */
export function projectName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return value.includes('/') ? value.split('/').pop() : value.split(':').pop();
}

/**
 * Offers the pools the user may use (the control plane answers only those),
 * of the project chosen in the form, each with its health.
 */
export function PoolPickerField(props: FieldExtensionComponentProps<string, PoolPickerOptions>) {
  const { onChange, formData, required, rawErrors, schema, uiSchema, formContext, idSchema } = props;
  const api = useApi(aiGatewayApiRef);
  const projectField = uiSchema?.['ui:options']?.projectField;
  const project = projectField ? projectName((formContext as any)?.formData?.[projectField]) : undefined;
  const [state, setState] = useState<{ loading: boolean; pools: PoolChoice[]; error?: Error }>({ loading: true, pools: [] });

  useEffect(() => {
    let cancelled = false;
    setState(s => ({ ...s, loading: true, error: undefined }));
    api
      .listPools(project ? { project } : {})
      .then(async pools => {
        const withStatus = await Promise.all(
          pools.map(async p => ({
            name: p.name,
            project: p.project,
            cluster: `${p.spec.cluster?.name}/${p.spec.namespace}`,
            phase: await api
              .getPoolStatus(p.name)
              .then(s => s.phase)
              .catch(() => undefined),
          })),
        );
        if (!cancelled) setState({ loading: false, pools: withStatus });
      })
      .catch(error => {
        if (!cancelled) setState({ loading: false, pools: [], error });
      });
    return () => {
      cancelled = true;
    };
  }, [api, project]);

  const id = idSchema?.$id ?? 'ai-gateway-pool';
  let helper = schema.description;
  if (state.error) {
    helper = `Could not load the pools: ${state.error.message}`;
  } else if (state.loading) {
    helper = 'Loading the pools you may use…';
  } else if (state.pools.length === 0) {
    helper = project
      ? `Project ${project} has no pool you may use; create one with "Create a gateway pool" first`
      : 'No pool you may use; pick a project first';
  }

  return (
    <FormControl margin="normal" required={required} error={!!rawErrors?.length || !!state.error} fullWidth>
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Pool'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        data-testid="ai-gateway-pool-picker"
        value={formData ?? ''}
        onChange={e => onChange(e.target.value as string)}
        disabled={state.loading || !!state.error}
      >
        {state.pools.map(p => (
          <MenuItem key={p.name} value={p.name} data-testid={`ai-gateway-pool-option-${p.name}`}>
            <span>
              {p.name}{' '}
              <span style={{ color: '#757575' }}>({p.cluster})</span>{' '}
              <span style={{ color: p.phase ? PHASE_COLOURS[p.phase] : '#757575', fontWeight: 600 }}>
                {p.phase ?? 'status unknown'}
              </span>
            </span>
          </MenuItem>
        ))}
      </Select>
      {helper && <FormHelperText>{helper}</FormHelperText>}
    </FormControl>
  );
}
