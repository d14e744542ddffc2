import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayObject,
} from '../api/AiGatewayApi';
import {
  secretKeyProblem,
  secretNameProblem,
  type FieldValidation,
} from './checks';

/** @public */
export type SecretRefOptions = {
  /** The form field holding the pool name (default `pool`). */
  poolField?: string;
};

/**
 * A reference to one key of a Kubernetes Secret.
 *
 * @public
 */
export type SecretRefValue = { name?: string; key?: string };

/** A Secret reference already used by an object of the pool. */
export type UsedSecretRef = { name: string; key: string; usedBy: string[] };

/** Every `{ name, key }` under a field named `...SecretRef` / `secretRef`. */
function collectRefs(
  value: unknown,
  found: (ref: { name: string; key: string }) => void,
  underRef = false,
) {
  if (Array.isArray(value)) {
    value.forEach(v => collectRefs(v, found));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (
    underRef &&
    typeof record.name === 'string' &&
    typeof record.key === 'string'
  ) {
    found({ name: record.name, key: record.key });
    return;
  }
  for (const [field, v] of Object.entries(record)) {
    collectRefs(v, found, /secretRef$/i.test(field));
  }
}

/**
 * The Secret references the pool and its MCP servers and AI backends use
 * (the suite names every such field `...SecretRef`), with who uses them.
 */
export async function usedSecretRefs(
  api: AiGatewayApi,
  pool: string,
): Promise<UsedSecretRef[]> {
  const [poolObject, mcpServers, aiBackends] = await Promise.all([
    api.getObject('pools', pool),
    api.listInPool('mcp-servers', pool),
    api.listInPool('ai-backends', pool),
  ]);
  const refs = new Map<string, UsedSecretRef>();
  const add = (object: AiGatewayObject, what: string) =>
    collectRefs(object.spec, ({ name, key }) => {
      const id = `${name}/${key}`;
      const ref = refs.get(id) ?? { name, key, usedBy: [] };
      if (!ref.usedBy.includes(what)) ref.usedBy.push(what);
      refs.set(id, ref);
    });
  add(poolObject, `pool ${pool}`);
  mcpServers.forEach(s => add(s, `MCP server ${s.name}`));
  aiBackends.forEach(b => add(b, `AI backend ${b.name}`));
  return [...refs.values()].sort((a, b) =>
    `${a.name}/${a.key}`.localeCompare(`${b.name}/${b.key}`),
  );
}

/** Why a reference cannot be used, by part; empty parts are left to `required`. */
export function secretRefProblems(value: SecretRefValue | undefined) {
  return {
    name: secretNameProblem(value?.name),
    key: secretKeyProblem(value?.key),
  };
}

/** Validation on Next and Review: a Kubernetes Secret name and key. */
export function validateSecretRef(
  value: SecretRefValue | undefined,
  validation: FieldValidation,
) {
  const problems = secretRefProblems(value);
  if (problems.name) validation.addError(`Secret name ${problems.name}`);
  if (problems.key) validation.addError(`Key ${problems.key}`);
  if (value?.name && !value.key) validation.addError('Key is required');
  if (value?.key && !value.name) validation.addError('Secret name is required');
}

/**
 * A reference to one key of a Kubernetes Secret in the pool's namespace:
 * pick one the pool's objects already use, or type a name and key. The
 * secret's value never enters the portal.
 *
 * @public
 */
export function SecretRefField(
  props: FieldExtensionComponentProps<SecretRefValue, SecretRefOptions>,
) {
  const {
    onChange,
    formData,
    required,
    errorSchema,
    schema,
    uiSchema,
    formContext,
    idSchema,
  } = props;
  const api = useApi(aiGatewayApiRef);
  const poolField = uiSchema?.['ui:options']?.poolField ?? 'pool';
  const pool: string | undefined = (formContext as any)?.formData?.[poolField];
  const used = useAsync(
    async () => (pool ? usedSecretRefs(api, pool) : []),
    [api, pool],
  );
  const refs = used.value ?? [];
  const id = idSchema?.$id ?? 'ai-gateway-secret-ref';
  const name = formData?.name ?? '';
  const key = formData?.key ?? '';
  const problems = secretRefProblems(formData);
  const chosen = refs.find(r => r.name === name && r.key === key);
  // Both parts empty: no reference at all (optional for some providers).
  const set = (next: SecretRefValue) =>
    onChange(
      next.name || next.key
        ? { name: next.name || undefined, key: next.key || undefined }
        : (undefined as unknown as SecretRefValue),
    );
  // Errors of the form's own checks on the parts (schema patterns), if any.
  const partErrors = (part: 'name' | 'key') =>
    ((errorSchema as any)?.[part]?.__errors as string[] | undefined)?.join(
      '; ',
    );

  let pickerHelper: string;
  if (!pool) pickerHelper = 'Pick a pool first to see the Secrets it uses';
  else if (used.error) {
    pickerHelper = `Could not load the Secrets pool ${pool} uses: ${used.error.message}`;
  } else if (used.loading)
    pickerHelper = `Loading the Secrets pool ${pool} uses…`;
  else if (refs.length === 0) {
    pickerHelper = `Pool ${pool} uses no Secret yet: type the name and key below`;
  } else pickerHelper = 'Or type another Secret name and key below';

  return (
    <Box mt={2} role="group" aria-labelledby={`${id}-title`}>
      <Typography variant="subtitle1" component="p" id={`${id}-title`}>
        {schema.title ?? 'Secret'}
        {required ? ' *' : ''}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      <FormControl margin="dense" fullWidth>
        <InputLabel id={`${id}-used-label`}>
          A Secret the pool already uses
        </InputLabel>
        <Select
          labelId={`${id}-used-label`}
          id={`${id}-used`}
          data-testid="ai-gateway-secret-used"
          value={chosen ? `${chosen.name}/${chosen.key}` : ''}
          onChange={e => {
            const ref = refs.find(
              r => `${r.name}/${r.key}` === (e.target.value as string),
            );
            if (ref) set(ref);
          }}
          disabled={refs.length === 0}
          aria-describedby={`${id}-used-helper`}
        >
          {refs.map(r => (
            <MenuItem
              key={`${r.name}/${r.key}`}
              value={`${r.name}/${r.key}`}
              data-testid={`ai-gateway-secret-option-${r.name}-${r.key}`}
            >
              {r.name} / {r.key} (used by {r.usedBy.join(', ')})
            </MenuItem>
          ))}
        </Select>
        <FormHelperText id={`${id}-used-helper`}>{pickerHelper}</FormHelperText>
      </FormControl>
      <Box display="flex" style={{ gap: 16 }}>
        <TextField
          id={`${id}-name`}
          label="Secret name"
          margin="dense"
          fullWidth
          required={required}
          value={name}
          onChange={e => set({ name: e.target.value, key })}
          error={!!problems.name || !!partErrors('name')}
          helperText={
            problems.name
              ? `Secret name ${problems.name}`
              : partErrors('name') ?? "A Secret in the pool's namespace"
          }
        />
        <TextField
          id={`${id}-key`}
          label="Key in the Secret"
          margin="dense"
          fullWidth
          required={required}
          value={key}
          onChange={e => set({ name, key: e.target.value })}
          error={!!problems.key || !!partErrors('key')}
          helperText={
            problems.key
              ? `Key ${problems.key}`
              : partErrors('key') ?? 'Such as api-key'
          }
        />
      </Box>
    </Box>
  );
}
