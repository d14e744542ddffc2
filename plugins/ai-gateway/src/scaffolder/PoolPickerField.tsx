import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { PhaseStatus } from '../components/PhaseStatus';
import { usePoolChoices } from '../hooks/usePoolChoices';

/** @public */
export type PoolPickerOptions = {
  /** The form field holding the project (an entity ref such as system:default/payments, or a name). */
  projectField?: string;
  /**
   * What the form puts in the pool, for the warning about a pool that is not
   * Active (default "MCP servers deployed here").
   */
  what?: string;
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
  const what = uiSchema?.['ui:options']?.what ?? 'MCP servers deployed here';
  const choices = usePoolChoices(project);
  const pools = choices.value ?? [];
  const chosen = pools.find(p => p.name === formData);

  const id = idSchema?.$id ?? 'ai-gateway-pool';
  // The form shows the schema's description under the field itself.
  let helper: string | undefined;
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
        // A pool of another project is not offered: show it as missing.
        value={chosen ? chosen.name : ''}
        onChange={e => onChange(e.target.value as string)}
        disabled={choices.loading || !!choices.error}
        aria-describedby={helper ? `${id}-helper` : undefined}
        renderValue={() =>
          chosen ? `${chosen.name} (${chosen.phase ?? 'status unknown'})` : ''
        }
      >
        {pools.map(p => (
          <MenuItem
            key={p.name}
            value={p.name}
            data-testid={`ai-gateway-pool-option-${p.name}`}
          >
            <Box>
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
              {!p.served && (
                <Typography
                  component="span"
                  variant="body2"
                  color="textSecondary"
                  style={{ display: 'block', whiteSpace: 'normal' }}
                >
                  {p.cause}
                </Typography>
              )}
            </Box>
          </MenuItem>
        ))}
      </Select>
      {helper && <FormHelperText id={`${id}-helper`}>{helper}</FormHelperText>}
      {chosen && !chosen.served && (
        <Alert
          severity="warning"
          data-testid="ai-gateway-pool-warning"
          style={{ marginTop: 8 }}
        >
          {what} are not served until the pool is applied: {chosen.cause}
          {chosen.nextStep ? ` Next: ${chosen.nextStep}` : ''}
        </Alert>
      )}
    </FormControl>
  );
}
