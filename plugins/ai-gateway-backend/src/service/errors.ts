import { CustomErrorBase } from '@backstage/errors';

/** A field-level problem with a request body. */
export type FieldIssue = { field: string; message: string };

/** 400: the body does not match the schema; `issues` names each field. */
export class ValidationError extends CustomErrorBase {
  name = 'ValidationError' as const;
  constructor(message: string, readonly issues: FieldIssue[]) {
    super(message);
  }
}

/** 422: the body is well-formed but refers to something that does not exist. */
export class UnprocessableError extends CustomErrorBase {
  name = 'UnprocessableError' as const;
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super(message);
  }
}
