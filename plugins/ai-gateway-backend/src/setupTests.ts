import { Test } from 'supertest';
import { OpenApiContract } from './schema/__testUtils__/OpenApiContract';

/**
 * Every response of the REST API in this package's tests must be one the
 * OpenAPI document allows (src/schema/openapi.yaml): a documented status,
 * content type and body. A response that is not fails the request's test.
 */
const contract = OpenApiContract.load();
const BASE_PATH = '/api/ai-gateway';

type Assert = (
  this: any,
  resError: unknown,
  res: any,
  fn?: (err: unknown, res: unknown) => void,
) => void;
const prototype = Test.prototype as unknown as { assert: Assert };
const assert = prototype.assert;

prototype.assert = function checkContract(resError, res, fn) {
  const url = new URL(this.url);
  if (!res || !url.pathname.startsWith(`${BASE_PATH}/`)) {
    assert.call(this, resError, res, fn);
    return;
  }
  const contentType: string | undefined = res.headers?.['content-type'];
  const problems = contract.check({
    method: this.method,
    path: `${url.pathname.slice(BASE_PATH.length)}${url.search}`,
    status: res.status,
    contentType,
    body: contentType?.includes('json') ? res.body : res.text,
  });
  if (problems.length === 0) {
    assert.call(this, resError, res, fn);
    return;
  }
  fn?.call(
    this,
    new Error(
      `The response does not match the OpenAPI document:\n${problems.join(
        '\n',
      )}`,
    ),
    res,
  );
};
