import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { PhaseStatus } from '../components/PhaseStatus';
import { usePoolChoices } from '../hooks/usePoolChoices';

/** @public */
export type PoolPickerOptions = {
  /** The form field holding the project (an entity ref such as system:default/payments, or a name). */
  projectField?: string;
};

/** `system:default/payments` or `payments` → `payments`. */
export function projectName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return value.includes('/') ? value.split('/').pop() : value.split(':').pop();
}

/**
 * Offers the pools the user may use (the control plane answers only those),
 * of the project chosen in the form, each with its health.
 *
 * @public
 */
export function PoolPickerField(
  props: FieldExtensionComponentProps<string, PoolPickerOptions>,
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
  const projectField = uiSchema?.['ui:options']?.projectField;
  const project = projectField
    ? projectName((formContext as any)?.formData?.[projectField])
    : undefined;
  const choices = usePoolChoices(project);
  const pools = choices.value ?? [];

  const id = idSchema?.$id ?? 'ai-gateway-pool';
  let helper = schema.description;
  if (choices.error) {
    helper = `Could not load the pools: ${choices.error.message}`;
  } else if (choices.loading) {
    helper = 'Loading the pools you may use…';
  } else if (pools.length === 0) {
    helper = project
      ? `Project ${project} has no pool you may use; create one with "Create a gateway pool" first`
      : 'No pool you may use; pick a project first';
  }

  return (
    <FormControl
      margin="normal"
      required={required}
      error={!!rawErrors?.length || !!choices.error}
      fullWidth
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Pool'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        data-testid="ai-gateway-pool-picker"
        value={formData ?? ''}
        onChange={e => onChange(e.target.value as string)}
        disabled={choices.loading || !!choices.error}
      >
        {pools.map(p => (
          <MenuItem
            key={p.name}
            value={p.name}
            data-testid={`ai-gateway-pool-option-${p.name}`}
          >
            <Box display="flex" alignItems="baseline">
              {p.name}&nbsp;
              <Typography
                component="span"
                variant="inherit"
                color="textSecondary"
              >
                ({p.cluster})
              </Typography>
              &nbsp;
              {p.phase ? (
                <PhaseStatus phase={p.phase} />
              ) : (
                <Typography
                  component="span"
                  variant="inherit"
                  color="textSecondary"
                >
                  status unknown
                </Typography>
              )}
            </Box>
          </MenuItem>
        ))}
      </Select>
      {helper && <FormHelperText>{helper}</FormHelperText>}
    </FormControl>
  );
}
