import { projectSchema } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { domainIssues, validatorIssues } from './validationIssues';

describe('validatorIssues', () => {
  it("names the field of each part of the validator's message", () => {
    expect(
      validatorIssues(
        'request/query/limit must be <= 500, request/body/groups/0/providers/1 must have required property \'weight\', request/headers/if-match must match pattern "^(W/)?"?[1-9][0-9]*"?$"',
      ),
    ).toEqual([
      { field: 'limit', message: 'must be at most 500' },
      { field: 'groups[0].providers[1].weight', message: 'is required' },
      {
        field: 'If-Match',
        message: 'must match pattern "^(W/)?"?[1-9][0-9]*"?$"',
      },
    ]);
  });

  it('keeps a message with a comma in one piece, and names the body as a whole', () => {
    expect(
      validatorIssues(
        'request/body must be object, request/query/format must be equal to one of the allowed values: json, yaml',
      ),
    ).toEqual([
      { field: 'body', message: 'must be an object' },
      { field: 'format', message: 'must be one of: json, yaml' },
    ]);
  });

  it('reads unknown query parameters and keys with slashes', () => {
    expect(validatorIssues("Unknown query parameter 'projet'")).toEqual([
      { field: 'projet', message: "unknown query parameter 'projet'" },
    ]);
    expect(
      validatorIssues(
        'request/body/annotations/example.com~1team must be string',
      ),
    ).toEqual([
      { field: 'annotations["example.com/team"]', message: 'must be a string' },
    ]);
  });

  it('names parameters and the content type when the message has no path, and passes on the rest', () => {
    expect(
      validatorIssues("Empty value found for query parameter 'cursor'"),
    ).toEqual([{ field: 'cursor', message: 'must not be empty' }]);
    expect(validatorIssues('unsupported media type text/plain')).toEqual([
      { field: 'Content-Type', message: 'must be application/json' },
    ]);
    expect(validatorIssues("malformed uri'")).toEqual([
      {
        field: 'path',
        message: 'is not a valid URI path (bad percent-encoding)',
      },
    ]);
    expect(validatorIssues('something else')).toEqual([
      { field: 'request', message: 'something else' },
    ]);
  });

  it("describes the body's part in the domain schema's words, keeping the other parts", () => {
    const message =
      'request/headers/if-match must match pattern "x", request/body must NOT have additional properties';
    const domain = [
      { field: 'redis.password', message: 'is not a known field' },
    ];
    expect(validatorIssues(message, () => domain)).toEqual([
      { field: 'If-Match', message: 'must match pattern "x"' },
      { field: 'redis.password', message: 'is not a known field' },
    ]);
    // When the domain schema finds nothing, the validator's words stay.
    expect(validatorIssues(message, () => undefined)).toEqual([
      { field: 'If-Match', message: 'must match pattern "x"' },
      { field: 'body', message: 'must NOT have additional properties' },
    ]);
  });
});

describe('domainIssues', () => {
  it("gives the domain schema's issues, or none", () => {
    expect(
      domainIssues(projectSchema, {
        name: 'pay',
        title: 'Payments',
        owner: 'group:default/pay',
        budget: 1,
      }),
    ).toEqual([{ field: 'budget', message: 'is not a known field' }]);
    expect(
      domainIssues(projectSchema, {
        name: 'pay',
        title: 'Payments',
        owner: 'team-pay',
      }),
    ).toBeUndefined();
    expect(domainIssues(projectSchema, [])).toEqual([
      { field: 'body', message: 'must be an object' },
    ]);
  });
});
