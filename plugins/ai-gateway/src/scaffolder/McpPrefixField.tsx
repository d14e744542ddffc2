import { useApi, type ApiHolder } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
/** What RJSF hands a custom validator. */
type FieldValidation = { addError(message: string): void };
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';

/** @public */
export type McpPrefixOptions = {
  /** The form field holding the pool name. */
  poolField?: string;
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a prefix cannot be used, or undefined when it can. */
export async function prefixProblem(
  api: AiGatewayApi,
  pool: string | undefined,
  prefix: string | undefined,
): Promise<string | undefined> {
  if (!prefix) return undefined;
  if (prefix.length > 63) return 'must be at most 63 characters';
  if (!DNS_LABEL.test(prefix)) {
    return 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  if (!pool) return undefined;
  const clash = await api.findMcpServerByPrefix(pool, prefix);
  return clash
    ? `is already used by MCP server '${clash.name}' in pool ${pool}`
    : undefined;
}

/** Form validation (on Next and Review): the same checks, through the API. */
export async function validateMcpPrefix(
  value: string,
  validation: FieldValidation,
  context: {
    apiHolder: ApiHolder;
    formData: Record<string, any>;
    uiSchema?: Record<string, any>;
  },
) {
  const api = context.apiHolder.get(aiGatewayApiRef);
  if (!api) return;
  const poolField = context.uiSchema?.['ui:options']?.poolField ?? 'pool';
  const problem = await prefixProblem(
    api,
    context.formData?.[poolField],
    value,
  );
  if (problem) validation.addError(problem);
}

/**
 * The path prefix of an MCP server, checked as it is typed: a DNS label, and
 * free in the chosen pool. Shows the URL clients will use.
 *
 * @public
 */
export function McpPrefixField(
  props: FieldExtensionComponentProps<string, McpPrefixOptions>,
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
  const poolField = uiSchema?.['ui:options']?.poolField ?? 'pool';
  const pool: string | undefined = (formContext as any)?.formData?.[poolField];
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      prefixProblem(api, pool, formData)
        .then(p => !cancelled && setProblem(p))
        .catch(
          e => !cancelled && setProblem(`could not be checked: ${e.message}`),
        );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, pool, formData]);

  let helper = schema.description;
  if (problem) {
    helper = `The prefix ${problem}`;
  } else if (formData && pool) {
    helper = `Available in pool ${pool}: clients will use /${formData}/mcp on the pool's MCP host`;
  }
  return (
    <TextField
      id={idSchema?.$id ?? 'ai-gateway-mcp-prefix'}
      label={schema.title ?? 'Path prefix'}
      margin="normal"
      fullWidth
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      error={!!problem || !!rawErrors?.length}
      helperText={helper}
      inputProps={{ 'data-testid': 'ai-gateway-mcp-prefix' }}
    />
  );
}
