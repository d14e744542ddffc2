import fc from 'fast-check';
import { aiBackendSchema } from './aiBackend';
import { isValidHostName } from './primitives';
import { mcpServerUrl, poolHosts } from './hosts';
import { mcpServerSchema } from './mcpServer';
import { policySchema } from './policy';
import { ingressKinds, poolSchema } from './pool';
import { projectSchema } from './project';
import { fullPool, validPool } from './testFixtures';
import { formatZodIssues } from './validation';

// Labels starting with xn-- are punycode and mostly invalid, so not generated.
/** What each DNS-01 provider needs besides the zone and credentials. */
const DNS01_SETTINGS: Record<string, Record<string, string>> = {
  route53: { region: 'eu-central-1', accessKeyId: 'AKIAEXAMPLE' },
  cloudflare: {},
  clouddns: { project: 'dns-project' },
  azuredns: {
    subscriptionId: 'sub',
    resourceGroupName: 'dns',
    clientId: 'client',
    tenantId: 'tenant',
  },
  digitalocean: {},
  rfc2136: { nameserver: '10.0.0.53:53', tsigKeyName: 'aigw' },
};

const label = fc
  .stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/)
  .filter(l => !l.startsWith('xn--'));
const secretRef = fc.record({
  name: label,
  key: fc.constantFrom('token', 'api-key', 'password'),
});

/** A base domain of three labels, so both separators are allowed. */
const baseDomain = fc
  .tuple(label, label, fc.constantFrom('com', 'org', 'internal'))
  .map(p => p.join('.'));

const resources = fc
  .record({
    cpu: fc.integer({ min: 1, max: 4000 }),
    cpuExtra: fc.nat(4000),
    mem: fc.integer({ min: 1, max: 4096 }),
    memExtra: fc.nat(4096),
  })
  .map(r => ({
    requests: { cpu: `${r.cpu}m`, memory: `${r.mem}Mi` },
    // The limit is written in another unit whenever it can be.
    limits: {
      cpu:
        (r.cpu + r.cpuExtra) % 1000 === 0
          ? `${(r.cpu + r.cpuExtra) / 1000}`
          : `${r.cpu + r.cpuExtra}m`,
      memory:
        (r.mem + r.memExtra) % 1024 === 0
          ? `${(r.mem + r.memExtra) / 1024}Gi`
          : `${r.mem + r.memExtra}Mi`,
    },
  }));

const redis = fc.oneof(
  fc.constant({ mode: 'auto' }),
  fc.record(
    {
      mode: fc.constant('manual'),
      host: baseDomain,
      port: fc.integer({ min: 1, max: 65535 }),
      username: label,
      passwordSecretRef: secretRef,
      database: fc.integer({ min: 0, max: 15 }),
      tls: fc.boolean(),
    },
    { requiredKeys: ['mode', 'host'] },
  ),
);

const validPoolInput = fc
  .record({
    name: label,
    project: label,
    clusterType: fc.constantFrom('eks', 'aks', 'gke', 'openshift', 'native'),
    clusterName: label,
    namespace: label,
    maxReplicas: fc.integer({ min: 1, max: 50 }),
    replicasFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    resources,
    redis,
    ingressKinds: fc.subarray([...ingressKinds]),
    ingressTls: fc.boolean(),
    baseDomain,
    separator: fc.constantFrom('.', '-'),
    labels: fc.uniqueArray(label, { minLength: 2, maxLength: 2 }),
    tlsMode: fc.constantFrom('letsencrypt', 'provided', 'selfsigned'),
    dnsProvider: fc.constantFrom(
      'route53',
      'cloudflare',
      'clouddns',
      'azuredns',
      'digitalocean',
      'rfc2136',
    ),
    delivery: fc.oneof(
      fc.constant({ mode: 'direct' }),
      fc.constant({ mode: 'agent' }),
      fc.record(
        {
          mode: fc.constant('gitops'),
          repoUrl: fc.constant('https://git.example.com/x'),
          path: label,
        },
        { requiredKeys: ['mode'] },
      ),
    ),
    heartbeatStaleSeconds: fc.integer({ min: 30, max: 86400 }),
  })
  .map(g => {
    const zone = g.baseDomain.split('.').slice(1).join('.');
    const tlsByMode = {
      selfsigned: { mode: 'selfsigned' },
      provided: { mode: 'provided', wildcardSecretName: 'wildcard-tls' },
      letsencrypt: {
        mode: 'letsencrypt',
        email: 'platform@example.com',
        dns01: {
          provider: g.dnsProvider,
          dnsZone: zone,
          credentialsSecretRef: { name: 'dns', key: 'token' },
          ...DNS01_SETTINGS[g.dnsProvider],
        },
      },
    };
    const tls = tlsByMode[g.tlsMode];
    return {
      name: g.name,
      project: g.project,
      cluster: { name: g.clusterName, type: g.clusterType },
      namespace: g.namespace,
      resources: g.resources,
      replicas: Math.max(1, Math.floor(g.replicasFraction * g.maxReplicas)),
      maxReplicas: g.maxReplicas,
      redis: g.redis,
      ingress: g.ingressKinds
        .filter(
          kind => kind !== 'openshift-route' || g.clusterType === 'openshift',
        )
        .map(kind => ({ kind, tls: g.ingressTls })),
      tls,
      domains: {
        baseDomain: g.baseDomain,
        separator: g.separator,
        subdomains: {
          api: g.labels[0],
          mcp: g.labels[1],
        },
      },
      delivery: g.delivery,
      heartbeatStaleSeconds: g.heartbeatStaleSeconds,
    };
  });

describe('poolSchema (properties)', () => {
  it('parses every generated valid pool, idempotently, with valid hosts', () => {
    fc.assert(
      fc.property(validPoolInput, input => {
        const result = poolSchema.safeParse(input);
        if (!result.success) {
          throw new Error(JSON.stringify(formatZodIssues(result.error)));
        }
        // A stored object is itself a valid input that parses to itself.
        expect(
          poolSchema.parse(JSON.parse(JSON.stringify(result.data))),
        ).toEqual(result.data);
        for (const host of Object.values(poolHosts(result.data))) {
          expect(isValidHostName(host)).toBe(true);
        }
        expect(
          new URL(mcpServerUrl(result.data, { prefix: 'github' })).pathname,
        ).toBe('/github/mcp');
      }),
      { numRuns: 300 },
    );
  });

  const junk = fc.anything({
    withBoxedValues: true,
    withNullPrototype: true,
    withObjectString: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withDate: true,
    withSparseArray: true,
  });

  it.each([
    ['project', projectSchema],
    ['pool', poolSchema],
    ['mcpServer', mcpServerSchema],
    ['aiBackend', aiBackendSchema],
    ['policy', policySchema],
  ])('never throws on junk: %s', (_, schema) => {
    fc.assert(
      fc.property(junk, value => {
        const result = schema.safeParse(value);
        expect(result.success).toBe(false);
        expect(() => formatZodIssues(result.error!)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any part of a valid pool is replaced by junk', () => {
    const keys = Object.keys(fullPool) as Array<keyof typeof fullPool>;
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        junk,
        fc.constantFrom<object>(fullPool, validPool),
        (key, value, base) => {
          const result = poolSchema.safeParse({ ...base, [key]: value });
          // Only a failed parse has issues to format.
          const issues = result.success ? [] : formatZodIssues(result.error);
          for (const issue of issues) {
            expect(issue.field).toEqual(expect.any(String));
            expect(issue.message).toMatch(/\S/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
