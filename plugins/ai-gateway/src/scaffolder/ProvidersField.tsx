import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useCallback } from 'react';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** The part of RJSF's schema utilities used here. */
type SchemaUtils = { retrieveSchema(schema: any, formData?: any): any };

/** An object field nobody filled in (RJSF starts object fields as `{}`). */
const isUnfilled = (value: unknown) =>
  isObject(value) && Object.values(value).every(v => v === undefined);

/**
 * `item` with only the values of the fields its schema shows for it: with
 * `dependencies`, those of the branch its data selects; an object field left
 * empty (an optional Secret reference, say) is no value at all rather than
 * an object missing its parts. Unchanged when it holds nothing else.
 */
export function shownFieldsOnly<T>(
  schemaUtils: SchemaUtils,
  itemSchema: unknown,
  item: T,
): T {
  if (!isObject(item) || !isObject(itemSchema)) return item;
  const shown = schemaUtils.retrieveSchema(itemSchema, item)?.properties;
  if (!isObject(shown)) return item;
  const kept = Object.entries(item).filter(
    ([field, value]) => field in shown && !isUnfilled(value),
  );
  return kept.length === Object.keys(item).length
    ? item
    : (Object.fromEntries(kept) as T);
}

/**
 * The providers of a provider group: the form's own list, except that a
 * provider keeps values only for the fields its type shows. Without it a
 * provider switched from Azure OpenAI to OpenAI would still hold, hidden,
 * the base URL and deployment typed before, and send them.
 *
 * @public
 */
export function ProvidersField(props: FieldExtensionComponentProps<unknown[]>) {
  const { registry, schema, onChange } = props;
  const ArrayField = registry.fields.ArrayField;
  const { schemaUtils } = registry;
  const itemSchema = schema.items;
  const keepShownFields = useCallback(
    (value: unknown[] | undefined, errorSchema?: any, id?: string) =>
      onChange(
        Array.isArray(value)
          ? value.map(item => shownFieldsOnly(schemaUtils, itemSchema, item))
          : value,
        errorSchema,
        id,
      ),
    [onChange, schemaUtils, itemSchema],
  );
  return <ArrayField {...(props as any)} onChange={keepShownFields} />;
}
