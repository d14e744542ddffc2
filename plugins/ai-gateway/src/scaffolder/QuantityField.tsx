import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { quantityProblem, type FieldValidation } from './checks';

/** Validation on Next and Review: the control plane's quantity rule. */
export function validateQuantity(
  value: string | undefined,
  validation: FieldValidation,
) {
  const problem = quantityProblem(value);
  if (problem) validation.addError(problem);
}

/**
 * A Kubernetes quantity (CPU or memory) such as 500m, 2 or 512Mi, checked as
 * it is typed with the rule the control plane applies.
 *
 * @public
 */
export function QuantityField(props: FieldExtensionComponentProps<string>) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  const problem = quantityProblem(formData);
  const id = idSchema?.$id ?? 'ai-gateway-quantity';
  const label = schema.title ?? 'Quantity';
  // The form lists errors of Next under the field already; say it once.
  const live = problem && !rawErrors?.includes(problem) ? problem : undefined;
  // The form shows the schema's description under the field itself.
  let helper: string | undefined;
  if (live) helper = `${label} ${live}`;
  else if (!schema.description) {
    helper = 'Such as 500m or 2 (CPU), 512Mi or 1Gi (memory)';
  }
  return (
    <TextField
      id={id}
      label={label}
      margin="normal"
      fullWidth
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      error={!!problem || !!rawErrors?.length}
      helperText={helper}
      inputProps={{ 'data-testid': `ai-gateway-quantity-${id}` }}
    />
  );
}
