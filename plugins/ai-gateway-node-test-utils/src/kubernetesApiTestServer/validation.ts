import { isObject, JsonObject } from './json';
import { ResourceType } from './resources';
import { StatusCause } from './status';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const invalidValue = (
  field: string,
  value: unknown,
  why: string,
): StatusCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

/** Object name rules differ per kind, as on the real server. */
function nameCauses(type: ResourceType, name: string): StatusCause[] {
  if (type.group === 'rbac.authorization.k8s.io') {
    // RBAC names are path segments: `system:aggregate-to-edit` is fine.
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return [
        invalidValue('metadata.name', name, "may not contain '/' or '%'"),
      ];
    }
    return [];
  }
  const label =
    type.kind === 'Namespace' || (type.group === '' && type.kind === 'Service');
  if (label) {
    if (name.length > 63) {
      return [
        invalidValue(
          'metadata.name',
          name,
          'must be no more than 63 characters',
        ),
      ];
    }
    return DNS1123_LABEL.test(name)
      ? []
      : [invalidValue('metadata.name', name, LABEL_MESSAGE)];
  }
  if (name.length > 253) {
    return [
      invalidValue(
        'metadata.name',
        name,
        'must be no more than 253 characters',
      ),
    ];
  }
  return DNS1123_SUBDOMAIN.test(name)
    ? []
    : [invalidValue('metadata.name', name, SUBDOMAIN_MESSAGE)];
}

/** `prefix/name` keys of labels and annotations. */
function keyCauses(field: string, key: string): StatusCause[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const causes: StatusCause[] = [];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    causes.push(invalidValue(field, key, `prefix part ${SUBDOMAIN_MESSAGE}`));
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
    causes.push(
      invalidValue(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, and be no more than 63 characters",
      ),
    );
  }
  return causes;
}

/** The metadata checks every object gets; kind-specific schemas are not validated. */
export function validateObject(
  type: ResourceType,
  object: JsonObject,
): StatusCause[] {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const causes: StatusCause[] = [];
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else {
    causes.push(...nameCauses(type, name));
  }
  const labels = metadata.labels;
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) {
      causes.push(
        invalidValue('metadata.labels', labels, 'must be a map of strings'),
      );
    } else {
      for (const [key, value] of Object.entries(labels)) {
        causes.push(...keyCauses('metadata.labels', key));
        if (typeof value !== 'string') {
          causes.push(
            invalidValue('metadata.labels', value, 'must be a string'),
          );
        } else if (value.length > 63) {
          causes.push(
            invalidValue(
              'metadata.labels',
              value,
              'must be no more than 63 characters',
            ),
          );
        } else if (!LABEL_VALUE.test(value)) {
          causes.push(
            invalidValue(
              'metadata.labels',
              value,
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            ),
          );
        }
      }
    }
  }
  const annotations = metadata.annotations;
  if (isObject(annotations)) {
    for (const [key, value] of Object.entries(annotations)) {
      causes.push(...keyCauses('metadata.annotations', key));
      if (typeof value !== 'string') {
        causes.push(
          invalidValue('metadata.annotations', value, 'must be a string'),
        );
      }
    }
  }
  return causes;
}
