import { httpUrlSchema } from './primitives';

/**
 * Secret values given in plain text where the suite only takes references.
 * Fields such as an MCP server's `env` or a policy's header values are
 * rendered verbatim into manifests (and kept in the portal's store and event
 * log), so a value that looks like a credential is refused rather than
 * written in the clear. The checks name what the value looks like, never the
 * value itself.
 */

/** Well-known credential formats, wherever they appear in a value. */
const KNOWN_FORMATS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an API key (sk-…)'],
  [/\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/, 'an API key (sk_live_…)'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [
    /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/,
    'a JSON Web Token',
  ],
];

/** Names of variables and headers that hold credentials. */
const SECRET_NAME = /key|token|secret|passw(?:or)?d|credential/i;
/** Headers whose whole value is a credential. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
]);

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Generated-looking: one token of 16+ characters (no spaces, not a URL or
 * path) mixing upper case, lower case and digits with high entropy, with a
 * run of 8+ characters where letters and digits mix; or a long hex string.
 * Names, hosts, paths and hyphenated words (`Payments-Prod-2024`) do not
 * qualify.
 */
function looksGenerated(value: string): boolean {
  if (value.length < 16 || !/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  if (value.startsWith('/') || value.startsWith('.')) return false;
  if (/^[0-9a-f]{32,}$/i.test(value)) return true;
  const mixedRun = value
    .split(/[-_.~+/=]/)
    .some(run => run.length >= 8 && /[A-Za-z]/.test(run) && /[0-9]/.test(run));
  return (
    mixedRun &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /[0-9]/.test(value) &&
    entropy(value) >= 3.5
  );
}

/**
 * What `value` looks like when it looks like a secret ("a GitHub token"),
 * else undefined. `name` is the variable or header it is given for: a
 * generated-looking value under a name such as API_KEY, DB_PASSWORD or
 * x-auth-token counts too, and so does a credential in an Authorization
 * header.
 */
export function secretLikeValue(value: string, name = ''): string | undefined {
  for (const [pattern, what] of KNOWN_FORMATS) {
    if (pattern.test(value)) return what;
  }
  if (
    CREDENTIAL_HEADERS.has(name.toLowerCase()) &&
    /\S{8,}/.test(value.replace(/^(?:Bearer|Basic|Token|Digest)\s+/i, ''))
  ) {
    return `a credential (${name.toLowerCase()})`;
  }
  const tokens = value.replace(/^(?:Bearer|Basic|Token)\s+/i, '').split(/\s+/);
  if (SECRET_NAME.test(name) && tokens.some(looksGenerated)) {
    return `a generated secret in a field named like one (${name})`;
  }
  return undefined;
}

/**
 * The message for a value that looks like a secret, saying what to use
 * instead. Never contains the value.
 */
export function plaintextSecretMessage(what: string, instead: string): string {
  return `looks like ${what}; secret values are never accepted in plain text (they would be stored and rendered in the clear): put it in a Kubernetes Secret and ${instead}`;
}

/** True when an http(s) URL carries a user name or password (`https://user:pass@host`). */
export function urlCarriesCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

/**
 * An http(s) endpoint the gateway connects to. agentgateway takes a host,
 * port and path, so a query or fragment would be dropped and is refused;
 * credentials in the URL are refused as a secret in plain text, pointing at
 * `refField`, the field that references them instead.
 */
export function endpointUrlSchemaWith(refField: string) {
  return httpUrlSchema.superRefine((url, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return; // httpUrlSchema reports it.
    }
    if (parsed.username !== '' || parsed.password !== '') {
      ctx.addIssue({
        code: 'custom',
        message: plaintextSecretMessage(
          'credentials in the URL (user:password@)',
          `reference it in ${refField}`,
        ),
      });
    } else if (url.includes('?') || url.includes('#')) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must not have a query or fragment: agentgateway reaches the server by scheme, host, port and path only',
      });
    }
  });
}
