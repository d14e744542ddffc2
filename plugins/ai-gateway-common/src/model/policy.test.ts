import { policySchema } from './policy';
import { issuesOf, validPolicy } from './testFixtures';

const { rateLimit: _, ...bare } = validPolicy;
const issues = (patch: object) => issuesOf(policySchema, { ...bare, ...patch });

describe('policySchema', () => {
  it('applies defaults and round-trips', () => {
    const policy = policySchema.parse({
      ...bare,
      jwtAuth: {
        issuer: 'https://login.example.com',
        jwks: { url: 'https://login.example.com/jwks' },
      },
      retries: { attempts: 2 },
      promptGuard: { request: { builtins: ['email'], action: 'mask' } },
    });
    expect(policy).toMatchObject({
      jwtAuth: { audiences: [], mode: 'strict' },
      retries: { attempts: 2, backoffMs: 250, retryOn: [502, 503, 504] },
      promptGuard: {
        request: { builtins: ['email'], regex: [], action: 'mask' },
      },
    });
    expect(policySchema.parse(JSON.parse(JSON.stringify(policy)))).toEqual(
      policy,
    );
  });

  it('needs at least one section', () => {
    expect(issues({})).toEqual([
      {
        field: '',
        message:
          'a policy needs at least one of: jwtAuth, apiKeyAuth, authorization, rateLimit, promptGuard, retries, timeouts, headers',
      },
    ]);
  });

  it("targets the pool's own gateway", () => {
    expect(
      issues({
        target: { kind: 'gateway', name: 'prod-eu' },
        retries: { attempts: 1 },
      }),
    ).toEqual([]);
    expect(
      issues({
        target: { kind: 'gateway', name: 'other' },
        retries: { attempts: 1 },
      }),
    ).toEqual([
      {
        field: 'target.name',
        message:
          "the gateway of pool 'prod-eu' is named 'prod-eu'; a gateway policy must target it (got 'other')",
      },
    ]);
    expect(
      issues({
        target: { kind: 'listener', name: 'x' },
        retries: { attempts: 1 },
      }),
    ).toEqual([
      {
        field: 'target.kind',
        message: 'must be one of: gateway, route, backend',
      },
    ]);
  });

  describe('rateLimit', () => {
    it('needs exactly one of requests or tokens', () => {
      expect(issues({ rateLimit: { unit: 'minute' } })).toEqual([
        {
          field: 'rateLimit.requests',
          message:
            'a rate limit needs exactly one of: requests or tokens per unit',
        },
      ]);
      expect(
        issues({ rateLimit: { unit: 'minute', requests: 10, tokens: 10 } }),
      ).toEqual([
        {
          field: 'rateLimit.tokens',
          message:
            'a rate limit needs exactly one of: requests or tokens per unit',
        },
      ]);
    });

    it('accepts per-model limits and checks the unit', () => {
      expect(
        issues({
          rateLimit: {
            unit: 'hour',
            tokens: 1000,
            perModel: true,
            models: { 'gpt-4o': 500 },
          },
        }),
      ).toEqual([]);
      expect(issues({ rateLimit: { unit: 'week', requests: 1 } })).toEqual([
        {
          field: 'rateLimit.unit',
          message: 'must be one of: second, minute, hour, day',
        },
      ]);
      expect(
        issues({
          rateLimit: { unit: 'day', tokens: 1, models: { 'gpt-4o': 0 } },
        }),
      ).toEqual([
        { field: 'rateLimit.models["gpt-4o"]', message: 'must be at least 1' },
      ]);
    });

    it('needs the models a per-model limit counts, by name', () => {
      expect(
        issues({ rateLimit: { unit: 'minute', tokens: 1000, perModel: true } }),
      ).toEqual([
        {
          field: 'rateLimit.models',
          message: expect.stringContaining(
            'is required with perModel: a model gets a budget of its own only when it is named here',
          ),
        },
      ]);
      expect(
        issues({
          rateLimit: {
            unit: 'minute',
            tokens: 1000,
            perModel: true,
            models: { 'gpt-*': 10 },
          },
        }),
      ).toEqual([
        {
          field: 'rateLimit.models["gpt-*"]',
          message: expect.stringContaining('cannot be a pattern with perModel'),
        },
      ]);
    });

    it('takes model patterns agentgateway can match as limit keys', () => {
      expect(
        issues({
          rateLimit: {
            unit: 'minute',
            tokens: 1000,
            models: { 'gpt-*': 10, '*-mini': 5, "o'brien": 1 },
          },
        }),
      ).toEqual([]);
      expect(
        issues({
          rateLimit: {
            unit: 'minute',
            tokens: 1000,
            models: { '*': 10, 'gpt-*-mini': 5 },
          },
        }).map(i => i.field),
      ).toEqual(['rateLimit.models["*"]', 'rateLimit.models["gpt-*-mini"]']);
    });
  });

  describe('promptGuard', () => {
    it('validates regular expressions', () => {
      const found = issues({
        promptGuard: {
          request: { regex: [{ name: 'bad', pattern: '([a-z' }] },
        },
      });
      expect(found).toHaveLength(1);
      expect(found[0].field).toBe('promptGuard.request.regex[0].pattern');
      expect(found[0].message).toMatch(/^is not a valid regular expression: /);
    });

    it('needs matchers, a direction and a known built-in', () => {
      expect(issues({ promptGuard: { response: { action: 'mask' } } })).toEqual(
        [
          {
            field: 'promptGuard.response.builtins',
            message:
              'a prompt guard needs at least one built-in detector or regex',
          },
        ],
      );
      expect(issues({ promptGuard: {} })).toEqual([
        {
          field: 'promptGuard.request',
          message: 'a prompt guard needs request or response rules',
        },
      ]);
      expect(
        issues({ promptGuard: { request: { builtins: ['passport'] } } }),
      ).toEqual([
        {
          field: 'promptGuard.request.builtins[0]',
          message: 'must be one of: email, phone, ssn, credit-card, ca-sin',
        },
      ]);
      expect(
        issues({
          promptGuard: {
            request: { builtins: ['ssn'], action: 'mask', rejectMessage: 'no' },
          },
        }),
      ).toEqual([
        {
          field: 'promptGuard.request.rejectMessage',
          message: 'rejectMessage applies only when action is reject',
        },
      ]);
    });
  });

  describe('authentication and authorization', () => {
    it('reads the JWKS from a URL, as agentgateway does', () => {
      const jwt = { issuer: 'https://login.example.com' };
      expect(issues({ jwtAuth: { ...jwt, jwks: {} } })).toEqual([
        {
          field: 'jwtAuth.jwks.url',
          message: 'is required (the JWKS URL of the issuer)',
        },
      ]);
      expect(
        issues({
          jwtAuth: {
            ...jwt,
            jwks: { secretRef: { name: 'jwks', key: 'jwks.json' } },
          },
        }),
      ).toEqual([
        {
          field: 'jwtAuth.jwks.secretRef',
          message: expect.stringContaining(
            'agentgateway reads a JWKS from a URL (jwtAuthentication jwks.remote) or inline, not from a Secret',
          ),
        },
      ]);
      expect(
        issues({ jwtAuth: { ...jwt, jwks: { url: 'not a url' } } }),
      ).toEqual([
        {
          field: 'jwtAuth.jwks.url',
          message:
            'must be an http:// or https:// URL such as https://example.com',
        },
      ]);
      const withPassword = issues({
        jwtAuth: { ...jwt, jwks: { url: 'https://u:pa55w0rd@idp.example' } },
      });
      expect(withPassword).toEqual([
        {
          field: 'jwtAuth.jwks.url',
          message: expect.stringContaining('secret values are never accepted'),
        },
      ]);
      expect(JSON.stringify(withPassword)).not.toContain('pa55w0rd');
    });

    it('takes API keys from Secrets only', () => {
      expect(
        issues({
          apiKeyAuth: {
            secretSelector: { 'example.com/api-keys': 'payments' },
          },
        }),
      ).toEqual([]);
      expect(issues({ apiKeyAuth: {} })).toEqual([
        {
          field: 'apiKeyAuth.secretRef',
          message:
            'apiKeyAuth needs exactly one of: secretRef or secretSelector',
        },
      ]);
      expect(issues({ apiKeyAuth: { keys: ['sk-1'] } })[0]).toEqual({
        field: 'apiKeyAuth.keys',
        message: expect.stringMatching(/secret values are never accepted/),
      });
      // agentgateway takes every entry of the Secret as a key.
      expect(issues({ apiKeyAuth: { secretRef: { name: 'keys' } } })).toEqual(
        [],
      );
      expect(
        issues({ apiKeyAuth: { secretRef: { name: 'keys', key: 'k1' } } }),
      ).toEqual([
        {
          field: 'apiKeyAuth.secretRef.key',
          message: expect.stringContaining(
            'agentgateway takes every entry of the Secret as one accepted API key',
          ),
        },
      ]);
    });

    it('needs non-empty CEL expressions', () => {
      expect(issues({ authorization: { cel: [] } })).toEqual([
        {
          field: 'authorization.cel',
          message: 'at least one CEL expression is required',
        },
      ]);
      expect(
        issues({ authorization: { cel: ['jwt.sub != ""', '  '] } }),
      ).toEqual([
        {
          field: 'authorization.cel[1]',
          message: 'a CEL expression must not be empty',
        },
      ]);
      expect(
        issues({ authorization: { cel: ['true'], action: 'permit' } }),
      ).toEqual([
        {
          field: 'authorization.action',
          message: 'must be one of: allow, deny',
        },
      ]);
    });
  });

  describe('resilience and headers', () => {
    it('bounds retries and statuses', () => {
      expect(issues({ retries: { attempts: 11, retryOn: [200] } })).toEqual([
        { field: 'retries.attempts', message: 'must be at most 10' },
        { field: 'retries.retryOn[0]', message: 'must be at least 400' },
      ]);
    });

    it('keeps the backend timeout within the request timeout', () => {
      expect(
        issues({
          timeouts: { requestSeconds: 60, backendRequestSeconds: 120 },
        }),
      ).toEqual([
        {
          field: 'timeouts.backendRequestSeconds',
          message:
            'backendRequestSeconds (120) must not exceed requestSeconds (60)',
        },
      ]);
      expect(issues({ timeouts: {} })).toEqual([
        {
          field: 'timeouts.requestSeconds',
          message: 'timeouts needs requestSeconds or backendRequestSeconds',
        },
      ]);
    });

    it('refuses a header that is both written and removed', () => {
      expect(
        issues({
          headers: { request: { set: { 'X-Team': 'a' }, remove: ['x-team'] } },
        }),
      ).toEqual([
        {
          field: 'headers.request.remove[0]',
          message: "header 'x-team' is both written and removed",
        },
      ]);
    });

    it('refuses header values that look like secrets, without echoing them', () => {
      const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
      const found = issues({
        headers: {
          request: {
            set: { authorization: 'Bearer abcdefgh12345678', 'x-team': 'a' },
            add: { 'x-upstream': token },
          },
        },
      });
      expect(found).toEqual([
        {
          field: 'headers.request.set.authorization',
          message: expect.stringContaining(
            "looks like a credential (authorization); secret values are never accepted in plain text (they would be stored and rendered in the clear): put it in a Kubernetes Secret and let the gateway send it from there: an AI provider's credentialsSecretRef",
          ),
        },
        {
          field: 'headers.request.add["x-upstream"]',
          message: expect.stringContaining('looks like a GitHub token'),
        },
      ]);
      expect(JSON.stringify(found)).not.toMatch(/abcdefgh12345678|ghp_/);
    });

    it('refuses a response cache: agentgateway has none', () => {
      expect(issues({ responseCache: { ttlSeconds: 60 } })).toEqual([
        {
          field: 'responseCache',
          message: expect.stringContaining(
            'agentgateway has no response cache',
          ),
        },
      ]);
    });
  });
});
