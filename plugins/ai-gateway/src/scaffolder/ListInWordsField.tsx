import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useValueInWords } from './inWords';

/** @public */
export type ListInWordsOptions = {
  /**
   * The form field (a list) to read. Not `field`: RJSF reads `ui:options`
   * as `ui:` keys, so that would replace the field itself.
   */
  listField: string;
  /** The words when that list is empty (default: no line). */
  empty?: string;
};

/**
 * A list's values in words: a choice of the list's `items.oneOf`
 * (`[{ const, title }]`) by its title, any other value as it is, and
 * `empty` (when given) for an empty list.
 */
export function listInWords(
  listSchema: unknown,
  values: unknown,
  empty?: string,
): string[] {
  const list = Array.isArray(values) ? values : [];
  if (list.length === 0) return empty ? [empty] : [];
  const options: Array<{ const?: unknown; title?: string }> =
    (listSchema as any)?.items?.oneOf ?? [];
  return list.map(
    value => options.find(o => o.const === value)?.title ?? String(value),
  );
}

/**
 * Another list field of the page in words, for the review: the review shows
 * a list's values as they are (`credit-card`), and an empty list as
 * nothing, so a template hides that field from the review and shows this
 * one instead. Shows nothing in the form (the field it reads is there); the
 * template does not send it to the action.
 *
 * @public
 */
export function ListInWordsField(
  props: FieldExtensionComponentProps<string[], ListInWordsOptions>,
) {
  const { onChange, formData, uiSchema, formContext, registry } = props;
  const { listField: field, empty } = uiSchema?.['ui:options'] ?? {};
  const form = (formContext as any)?.formData ?? {};
  // The page's schema as it stands for the data (dependencies resolved).
  const lines = field
    ? listInWords(
        registry.schemaUtils.retrieveSchema(registry.rootSchema, form)
          ?.properties?.[field],
        form[field],
        empty,
      )
    : [];
  useValueInWords(lines, formData, onChange);
  return null;
}
