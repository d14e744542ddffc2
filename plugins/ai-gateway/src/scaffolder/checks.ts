import {
  k8sQuantitySchema,
  secretRefSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ApiHolder } from '@backstage/core-plugin-api';

/** The part of a zod schema used here (the common package owns zod). */
type Checker = {
  safeParse(
    value: unknown,
  ):
    | { success: true }
    | { success: false; error: { issues: Array<{ message: string }> } };
};

/** The first message of a failed parse, or undefined when the value passes. */
function problemOf(schema: Checker, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/**
 * Why a value is not a Kubernetes quantity, in the control plane's words
 * (the same schema the API checks with); undefined when it is one or empty.
 */
export function quantityProblem(value: string | undefined) {
  if (value === undefined || value === '') return undefined;
  return problemOf(k8sQuantitySchema, value);
}

/** Why a Secret name cannot be used; undefined when it can or is empty. */
export function secretNameProblem(value: string | undefined) {
  if (!value) return undefined;
  return problemOf(secretRefSchema.shape.name, value);
}

/** Why a key of a Secret cannot be used; undefined when it can or is empty. */
export function secretKeyProblem(value: string | undefined) {
  if (!value) return undefined;
  return problemOf(secretRefSchema.shape.key, value);
}

/** What RJSF hands a custom validator. */
export type FieldValidation = { addError(message: string): void };

/** What the scaffolder hands a field's validation besides the value. */
export type ValidationContext = {
  apiHolder: ApiHolder;
  formData: Record<string, any>;
  uiSchema?: Record<string, any>;
};
