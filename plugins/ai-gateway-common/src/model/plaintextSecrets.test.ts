import { secretLikeValue, urlCarriesCredentials } from './plaintextSecrets';

// Built at run time so that the repository holds no credential-shaped text.
const samples = {
  openai: `sk-proj-${'Ab3dEf6h'.repeat(4)}`,
  stripe: `sk_live_${'Ab3dEf6h'.repeat(3)}`,
  github: `ghp_${'A1b2'.repeat(9)}`,
  githubFineGrained: `github_pat_${'11AB'.repeat(6)}`,
  gitlab: `glpat-${'x1Y2'.repeat(5)}`,
  slack: `xoxb-${'1234567890'}-${'abcdefABCDEF'}`,
  aws: `AKIA${'IOSFODNN7EXAMPLE'}`,
  google: `AIza${'Sy0123456789abcdefghijABCDEFGHIJ_-x'}`,
  jwt: [
    Buffer.from('{"alg":"HS256"}').toString('base64url'),
    Buffer.from('{"sub":"1234567890"}').toString('base64url'),
    'c2lnbmF0dXJl',
  ].join('.'),
  pem: ['-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIB...'].join(''),
};

describe('secretLikeValue', () => {
  it.each(Object.entries(samples))(
    'recognises %s credentials anywhere',
    (_, value) => {
      expect(secretLikeValue(value, 'ANY')).toBeDefined();
      expect(secretLikeValue(`prefix ${value} suffix`)).toBeDefined();
    },
  );

  it('says what a value looks like, never the value', () => {
    for (const value of Object.values(samples)) {
      const what = secretLikeValue(value)!;
      expect(what).not.toContain(value.slice(4, 12));
    }
    expect(secretLikeValue(samples.github)).toBe('a GitHub token');
  });

  it('counts a generated value under a secret-like name', () => {
    for (const name of [
      'API_KEY',
      'DB_PASSWORD',
      'AUTH_TOKEN',
      'CLIENT_SECRET',
      'x-auth-token',
    ]) {
      expect([name, secretLikeValue('Zq8vN2pL7xR4tK9m', name)]).toEqual([
        name,
        expect.stringContaining('a generated secret'),
      ]);
    }
    expect(secretLikeValue('0123456789abcdef0123456789abcdef', 'KEY')).toBe(
      'a generated secret in a field named like one (KEY)',
    );
    // The same value under another name is a setting.
    expect(secretLikeValue('Zq8vN2pL7xR4tK9m', 'BUILD_ID')).toBeUndefined();
  });

  it('leaves settings alone, also under secret-like names', () => {
    const settings: Array<[string, string]> = [
      ['SECRET_NAME', 'db-credentials-2024'],
      ['API_KEY_HEADER', 'X-Api-Key'],
      ['TOKEN_URL', 'https://login.example.com/oauth2/v2.0/token'],
      ['KEY_FILE', '/var/run/secrets/tls/Key2024.pem'],
      ['PASSWORD_MIN_LENGTH', '12'],
      ['KEYCLOAK_REALM', 'Payments-Prod-EU-2024'],
      ['GITHUB_HOST', 'github.com'],
      ['LOG_LEVEL', 'debug'],
      ['TASK_NAME', 'sk-learn'],
    ];
    for (const [name, value] of settings) {
      expect([name, secretLikeValue(value, name)]).toEqual([name, undefined]);
    }
  });

  it('treats a credential in an Authorization header as a secret', () => {
    expect(secretLikeValue('Bearer abcdefgh12345678', 'Authorization')).toBe(
      'a credential (authorization)',
    );
    expect(secretLikeValue('Basic dXNlcjpwYXNz', 'authorization')).toBe(
      'a credential (authorization)',
    );
    expect(secretLikeValue('payments', 'x-team')).toBeUndefined();
  });
});

describe('urlCarriesCredentials', () => {
  it('finds a user or password in a URL', () => {
    expect(urlCarriesCredentials('https://u:p@example.com/')).toBe(true);
    expect(urlCarriesCredentials('https://token@example.com/')).toBe(true);
    expect(urlCarriesCredentials('https://example.com/a@b')).toBe(false);
    expect(urlCarriesCredentials('not a url')).toBe(false);
  });
});
