import {
  providerGroupsInWords,
  type ProviderGroupDraft,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { useValueInWords } from './inWords';

/** @public */
export type ProviderSummaryOptions = {
  /** The form field holding the provider groups (default `groups`). */
  groupsField?: string;
};

/**
 * How the AI backend being registered routes, in words, one line per
 * provider group, read from the groups in the form. Read-only: its value is
 * those lines, so that the review shows them (the review lists an array of
 * strings, but shows nested objects as raw lists); the template does not
 * send it to the action.
 *
 * @public
 */
export function ProviderSummaryField(
  props: FieldExtensionComponentProps<string[], ProviderSummaryOptions>,
) {
  const { onChange, formData, schema, uiSchema, formContext, idSchema } = props;
  const groupsField = uiSchema?.['ui:options']?.groupsField ?? 'groups';
  const groups: ProviderGroupDraft[] | undefined = (formContext as any)
    ?.formData?.[groupsField];
  const lines = useMemo(() => providerGroupsInWords(groups), [groups]);
  useValueInWords(lines, formData, onChange);

  const id = idSchema?.$id ?? 'ai-gateway-provider-summary';
  return (
    <Box mt={2} mb={1} data-testid="ai-gateway-provider-summary">
      <Typography variant="subtitle1" component="p" id={`${id}-title`}>
        {schema.title ?? 'How the gateway routes'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      {lines.length ? (
        <ul aria-labelledby={`${id}-title`} style={{ marginTop: 4 }}>
          {lines.map(line => (
            <li key={line}>
              <Typography variant="body2">{line}</Typography>
            </li>
          ))}
        </ul>
      ) : (
        <Typography variant="body2">No provider group yet.</Typography>
      )}
    </Box>
  );
}
