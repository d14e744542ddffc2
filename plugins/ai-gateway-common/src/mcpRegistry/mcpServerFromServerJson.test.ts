import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mcpServerSchema } from '../model/mcpServer';
import {
  mcpServerFromServerJson,
  objectNameFromServerJsonName,
  ServerJsonImportError,
} from './mcpServerFromServerJson';
import { serverJsonSchema } from './serverJson';

const fixture = (path: string) =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', path), 'utf8'));
const fixtures = (dir: string) =>
  readdirSync(join(__dirname, 'fixtures', dir)).map(f => `${dir}/${f}`);

const where = { project: 'payments', pool: 'alpha' };
const tokenRef = { name: 'tracker', key: 'token' };

/** The issues of the import, or a failure when it succeeds. */
function refusal(serverJson: unknown, options = {}) {
  try {
    mcpServerFromServerJson(serverJson, { ...where, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ServerJsonImportError);
    return (error as ServerJsonImportError).issues;
  }
  throw new Error('the import succeeded');
}

describe('serverJsonSchema', () => {
  it.each(fixtures('valid'))('accepts %s', path => {
    expect(serverJsonSchema.safeParse(fixture(path)).success).toBe(true);
  });

  it.each([
    ['invalid/missing-name.json', 'name', 'is required'],
    ['invalid/bad-name-pattern.json', 'name', 'must be a reverse-DNS name'],
    [
      'invalid/package-version-latest.json',
      'serverJson.packages[0].version',
      'must be a specific version, not latest',
    ],
    [
      'invalid/unknown-transport.json',
      'serverJson.packages[0].transport.type',
      'must be one of: stdio, streamable-http, sse',
    ],
    [
      'invalid/description-too-long.json',
      'serverJson.description',
      'must be at most 100 characters',
    ],
  ])('refuses %s, naming %s', (path, field, message) => {
    const issues = refusal(fixture(path));
    const fullField = field.startsWith('serverJson')
      ? field
      : `serverJson.${field}`;
    expect(issues).toContainEqual({
      field: fullField,
      message: expect.stringContaining(message),
    });
  });

  it('lists every fixture of invalid documents in the table above', () => {
    expect(fixtures('invalid')).toHaveLength(5);
  });

  it('refuses what is not an object', () => {
    expect(refusal('io.github.example/weather')).toEqual([
      { field: 'serverJson', message: 'must be a server.json object' },
    ]);
  });
});

describe('mcpServerFromServerJson', () => {
  it('makes a streamable-http remote a remote target, its Authorization header a secret reference', () => {
    const input = mcpServerFromServerJson(
      fixture('valid/remote-streamable-http.json'),
      { ...where, secretRefs: { Authorization: tokenRef } },
    );
    expect(input).toEqual({
      name: 'weather',
      project: 'payments',
      pool: 'alpha',
      prefix: 'weather',
      description: 'Weather: Forecasts and current conditions for any city.',
      transport: 'streamable-http',
      source: {
        type: 'remote',
        url: 'https://weather.example.com/mcp',
        authSecretRef: tokenRef,
      },
    });
    expect(mcpServerSchema.safeParse(input).success).toBe(true);
  });

  it('names a required secret header without a reference', () => {
    expect(refusal(fixture('valid/remote-streamable-http.json'))).toEqual([
      {
        field: 'secretRefs.Authorization',
        message: expect.stringContaining(
          'serverJson.remotes[1].headers[0] is the secret Authorization (Bearer token)',
        ),
      },
    ]);
  });

  it('takes an sse remote when there is no streamable-http one', () => {
    const doc = fixture('valid/remote-streamable-http.json');
    doc.remotes = [doc.remotes[0]];
    const input = mcpServerFromServerJson(doc, { ...where, name: 'forecast' });
    expect(input).toMatchObject({
      name: 'forecast',
      prefix: 'forecast',
      transport: 'sse',
      source: { type: 'remote', url: 'https://weather.example.com/sse' },
    });
  });

  it('fills URL variables from the values given, and names one missing', () => {
    const doc = fixture('valid/remote-url-variables.json');
    expect(
      mcpServerFromServerJson(doc, { ...where, values: { tenant_id: 'acme' } })
        .source,
    ).toEqual({
      type: 'remote',
      url: 'https://acme.search.example.com/mcp',
    });
    expect(refusal(doc)).toEqual([
      {
        field: 'values.tenant_id',
        message:
          'is required: the URL https://{tenant_id}.search.example.com/mcp needs it (Your tenant)',
      },
    ]);
  });

  it('makes an oci package with streamable-http a deployment: values as env, secrets by reference only', () => {
    const input = mcpServerFromServerJson(
      fixture('valid/oci-streamable-http.json'),
      {
        ...where,
        secretRefs: { TRACKER_TOKEN: tokenRef },
        values: { LOG_LEVEL: 'debug' },
      },
    );
    expect(input).toEqual({
      name: 'tickets',
      project: 'payments',
      pool: 'alpha',
      prefix: 'tickets',
      description: 'Reads and files tickets in the issue tracker.',
      transport: 'streamable-http',
      source: {
        type: 'image',
        image: 'ghcr.io/example/tickets-mcp:0.9.1',
        port: 3001,
        env: {
          TRACKER_URL: 'https://tracker.example.com',
          LOG_LEVEL: 'debug',
        },
        // WEBHOOK_SECRET is optional and has no reference: left out.
        secretEnv: [{ name: 'TRACKER_TOKEN', secretRef: tokenRef }],
      },
    });
    expect(mcpServerSchema.safeParse(input).success).toBe(true);
  });

  it('names a required secret environment variable without a reference', () => {
    expect(refusal(fixture('valid/oci-streamable-http.json'))).toEqual([
      {
        field: 'secretRefs.TRACKER_TOKEN',
        message: expect.stringMatching(
          /^is required: serverJson\.packages\[1\]\.environmentVariables\[2\] is the secret TRACKER_TOKEN \(API token of the tracker\); give a reference/,
        ),
      },
    ]);
  });

  it('never takes a secret value from the document or the values given', () => {
    const doc = fixture('valid/oci-streamable-http.json');
    doc.packages[1].environmentVariables[2].default = 'ghp_notreallyasecret';
    const issues = refusal(doc, { values: { TRACKER_TOKEN: 'x' } });
    expect(issues.map(i => i.field)).toEqual(['secretRefs.TRACKER_TOKEN']);
  });

  it('pins an image by the package version when the identifier has no tag', () => {
    const doc = fixture('valid/oci-streamable-http.json');
    doc.packages[1].identifier = 'ghcr.io/example/tickets-mcp';
    doc.packages[1].version = '0.9.2';
    const input = mcpServerFromServerJson(doc, {
      ...where,
      secretRefs: { TRACKER_TOKEN: tokenRef },
    });
    expect(input.source).toMatchObject({
      image: 'ghcr.io/example/tickets-mcp:0.9.2',
    });
    delete doc.packages[1].version;
    expect(refusal(doc, { secretRefs: { TRACKER_TOKEN: tokenRef } })).toEqual([
      {
        field: 'serverJson.packages[1].identifier',
        message: expect.stringContaining('without a tag or digest'),
      },
    ]);
  });

  it('refuses a deployed server the gateway would look for at another path', () => {
    const doc = fixture('valid/oci-streamable-http.json');
    doc.packages[1].transport.url = 'http://localhost:3001/api/mcp';
    expect(refusal(doc, { secretRefs: { TRACKER_TOKEN: tokenRef } })).toEqual([
      {
        field: 'serverJson.packages[1].transport.url',
        message:
          'has the path /api/mcp: the gateway reaches a deployed streamable-http server at /mcp',
      },
    ]);
  });

  it('says why stdio and npm packages cannot be served, and what can', () => {
    const issues = refusal(fixture('valid/npm-stdio.json'));
    expect(issues).toEqual([
      {
        field: 'serverJson.packages[0].registryType',
        message: expect.stringMatching(
          /^is npm: the gateway runs container images, not npm packages \(supported are remotes \(streamable-http or sse\) and oci packages/,
        ),
      },
      {
        field: 'serverJson.packages[1].transport.type',
        message: expect.stringMatching(/^is stdio: .*over HTTP.*supported are/),
      },
    ]);
  });

  it('refuses a document with nothing to serve', () => {
    const doc = fixture('valid/remote-url-variables.json');
    delete doc.remotes;
    expect(refusal(doc)).toEqual([
      {
        field: 'serverJson',
        message: expect.stringContaining('has neither remotes nor packages'),
      },
    ]);
  });

  it('names the import field behind what POST /mcp-servers would refuse', () => {
    const doc = fixture('valid/remote-url-variables.json');
    expect(
      refusal(doc, { values: { tenant_id: 'acme/x?y=1' } }).map(i => i.field),
    ).toEqual(['serverJson.remotes[0].url']);
    expect(
      refusal(doc, { name: 'Not A Name', values: { tenant_id: 'a' } }).map(
        i => i.field,
      ),
    ).toContain('name');
  });
});

describe('objectNameFromServerJsonName', () => {
  it.each([
    ['io.github.user/weather', 'weather'],
    ['com.example/Weather_API.v2', 'weather-api-v2'],
    ['com.example/___', undefined],
    [`com.example/${'a'.repeat(70)}`, 'a'.repeat(63)],
  ])('%s -> %s', (name, expected) => {
    expect(objectNameFromServerJsonName(name)).toBe(expected);
  });
});
