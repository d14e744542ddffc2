import { DEFAULT_POOL_IMAGES, poolImages, poolSchema } from './pool';
import { fullPool, issuesOf, validPool } from './testFixtures';

const issues = (patch: object) =>
  issuesOf(poolSchema, { ...validPool, ...patch });

describe('poolSchema', () => {
  it('applies the defaults of the pool form', () => {
    expect(poolSchema.parse({ ...validPool, namespace: undefined })).toEqual({
      ...validPool,
      namespace: 'ai-gateway',
      gateway: 'agentgateway',
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
      replicas: 1,
      maxReplicas: 5,
      redis: { mode: 'auto', storageSize: '1Gi' },
      images: {},
      annotations: {},
      ingress: [],
      domains: {
        baseDomain: 'ai.example.com',
        separator: '.',
        subdomains: { api: 'api', mcp: 'mcp' },
      },
      delivery: { mode: 'agent' },
      heartbeatStaleSeconds: 1800,
    });
  });

  it('keeps every field of a full pool, with defaults inside nested objects', () => {
    const pool = poolSchema.parse(fullPool);
    expect(pool.redis).toEqual({
      mode: 'manual',
      host: 'cache.example.com',
      port: 6379,
      database: 0,
      tls: true,
      passwordSecretRef: { name: 'redis', key: 'password' },
    });
    expect(pool.ingress).toEqual([
      {
        kind: 'kubernetes-ingress',
        className: 'nginx',
        tls: true,
        annotations: {},
      },
      { kind: 'gateway-api', tls: false, annotations: {} },
    ]);
    expect(pool.siem).toEqual({
      endpoint: 'https://siem.example.com/ingest',
      format: 'otlp',
    });
    expect(pool.delivery).toEqual({
      mode: 'gitops',
      repoUrl: 'https://git.example.com/aigw',
      path: 'clusters/prod',
    });
  });

  it('does not share default objects between parses', () => {
    const a = poolSchema.parse(validPool);
    const b = poolSchema.parse(validPool);
    a.annotations.x = 'y';
    a.ingress.push({ kind: 'istio', tls: true, annotations: {} });
    expect(b.annotations).toEqual({});
    expect(b.ingress).toEqual([]);
  });

  it('reports missing required fields by name', () => {
    expect(issuesOf(poolSchema, {})).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'project', message: 'is required' },
      { field: 'cluster', message: 'is required' },
      { field: 'tls', message: 'is required' },
      { field: 'domains', message: 'is required' },
    ]);
  });

  describe('redis', () => {
    it('requires a host in manual mode', () => {
      expect(issues({ redis: { mode: 'manual' } })).toEqual([
        {
          field: 'redis.host',
          message: 'Redis host is required when mode is manual',
        },
      ]);
      expect(issues({ redis: { mode: 'manual', host: '' } })).toEqual([
        {
          field: 'redis.host',
          message: 'Redis host is required when mode is manual',
        },
      ]);
    });

    it('lists the modes', () => {
      expect(issues({ redis: { mode: 'cluster' } })).toEqual([
        { field: 'redis.mode', message: 'must be one of: auto, manual' },
      ]);
      expect(issues({ redis: { host: 'r.example.com' } })).toEqual([
        { field: 'redis.mode', message: 'is required (one of: auto, manual)' },
      ]);
    });

    it('refuses a password value and points at passwordSecretRef', () => {
      const found = issues({
        redis: { mode: 'manual', host: 'r.example.com', password: 'hunter2' },
      });
      expect(found).toHaveLength(1);
      expect(found[0].field).toBe('redis.password');
      expect(found[0].message).toMatch(
        /secret values are never accepted.*passwordSecretRef: \{ name, key \}/,
      );
    });

    it('checks port and database ranges', () => {
      expect(
        issues({
          redis: { mode: 'manual', host: 'r', port: 70000, database: 16 },
        }),
      ).toEqual([
        { field: 'redis.port', message: 'must be at most 65535' },
        { field: 'redis.database', message: 'must be at most 15' },
      ]);
    });
  });

  describe('tls', () => {
    const letsencrypt = {
      mode: 'letsencrypt',
      email: 'platform@example.com',
      dns01: { provider: 'route53', dnsZone: 'example.com' },
    };

    it("defaults the Let's Encrypt issuer to staging and accepts the documented issuer names", () => {
      expect(poolSchema.parse({ ...validPool, tls: letsencrypt }).tls).toEqual({
        ...letsencrypt,
        issuer: 'staging',
      });
      expect(
        poolSchema.parse({
          ...validPool,
          tls: { ...letsencrypt, issuer: 'letsencrypt-prod' },
        }).tls,
      ).toMatchObject({
        issuer: 'production',
      });
      expect(issues({ tls: { ...letsencrypt, issuer: 'prod' } })).toEqual([
        { field: 'tls.issuer', message: 'must be one of: staging, production' },
      ]);
    });

    it('requires a valid email', () => {
      expect(issues({ tls: { ...letsencrypt, email: 'nope' } })).toEqual([
        {
          field: 'tls.email',
          message: 'must be an email address such as platform@example.com',
        },
      ]);
    });

    it('requires DNS credentials unless the provider can use workload identity', () => {
      expect(
        issues({
          tls: {
            ...letsencrypt,
            dns01: { provider: 'cloudflare', dnsZone: 'example.com' },
          },
        }),
      ).toEqual([
        {
          field: 'tls.dns01.credentialsSecretRef',
          message:
            'credentialsSecretRef is required for cloudflare (a reference to the Secret holding its API token); only route53, clouddns and azuredns can use workload identity',
        },
      ]);
      expect(
        issues({
          tls: {
            ...letsencrypt,
            dns01: { provider: 'godaddy', dnsZone: 'example.com' },
          },
        })[0],
      ).toEqual({
        field: 'tls.dns01.provider',
        message:
          'must be one of: route53, cloudflare, clouddns, azuredns, digitalocean, rfc2136',
      });
    });

    it("asks for the settings each DNS-01 provider's cert-manager solver needs", () => {
      const dns01 = (fields: object) =>
        issues({
          tls: { ...letsencrypt, dns01: { dnsZone: 'example.com', ...fields } },
        });
      expect(dns01({ provider: 'clouddns' })).toEqual([
        {
          field: 'tls.dns01.project',
          message:
            'project is required for clouddns (the Google Cloud project of the DNS zone)',
        },
      ]);
      expect(dns01({ provider: 'azuredns' }).map(i => i.field)).toEqual([
        'tls.dns01.subscriptionId',
        'tls.dns01.resourceGroupName',
      ]);
      expect(
        dns01({
          provider: 'route53',
          credentialsSecretRef: { name: 'aws', key: 'secret-access-key' },
        }),
      ).toEqual([
        {
          field: 'tls.dns01.accessKeyId',
          message:
            'accessKeyId is required for route53 (the access key ID of the secret access key)',
        },
      ]);
      expect(
        dns01({
          provider: 'rfc2136',
          nameserver: '10.0.0.53:53',
          credentialsSecretRef: { name: 'tsig', key: 'secret' },
        }).map(i => i.field),
      ).toEqual(['tls.dns01.tsigKeyName']);
      expect(
        dns01({
          provider: 'cloudflare',
          project: 'p',
          credentialsSecretRef: { name: 'cf', key: 'token' },
        }),
      ).toEqual([
        {
          field: 'tls.dns01.project',
          message: 'project applies only to clouddns, not cloudflare',
        },
      ]);
      expect(dns01({ provider: 'route53', region: 'eu-west-1' })).toEqual([]);
    });

    it('needs the wildcard certificate inside the DNS-01 zone', () => {
      expect(
        issues({
          tls: {
            ...letsencrypt,
            dns01: { provider: 'route53', dnsZone: 'other.com' },
          },
        }),
      ).toEqual([
        {
          field: 'tls.dns01.dnsZone',
          message:
            'the wildcard certificate *.ai.example.com is outside the DNS zone other.com; DNS-01 challenges can only be answered in that zone',
        },
      ]);
      // With "-" the certificate is the parent wildcard, *.example.com.
      expect(
        issues({
          tls: {
            ...letsencrypt,
            dns01: { provider: 'route53', dnsZone: 'ai.example.com' },
          },
          domains: { baseDomain: 'ai.example.com', separator: '-' },
        })[0].field,
      ).toBe('tls.dns01.dnsZone');
      expect(
        issues({
          tls: {
            ...letsencrypt,
            dns01: { provider: 'route53', dnsZone: 'ai.example.com' },
          },
        }),
      ).toEqual([]);
    });

    it('requires the secret name of a provided certificate', () => {
      expect(issues({ tls: { mode: 'provided' } })).toEqual([
        {
          field: 'tls.wildcardSecretName',
          message:
            'a wildcard certificate secret name is required when TLS mode is provided',
        },
      ]);
      expect(
        issues({
          tls: { mode: 'provided', wildcardSecretName: 'wildcard-tls' },
        }),
      ).toEqual([]);
    });

    it('lists the modes and refuses inline certificates', () => {
      expect(issues({ tls: { mode: 'acme' } })).toEqual([
        {
          field: 'tls.mode',
          message: 'must be one of: letsencrypt, provided, selfsigned',
        },
      ]);
      expect(
        issues({ tls: { mode: 'selfsigned', key: '-----BEGIN' } })[0].field,
      ).toBe('tls.key');
    });
  });

  describe('ingress', () => {
    it('allows each provider once', () => {
      expect(
        issues({
          ingress: [{ kind: 'istio' }, { kind: 'traefik' }, { kind: 'istio' }],
        }),
      ).toEqual([
        {
          field: 'ingress[2].kind',
          message:
            'istio is configured twice; each ingress provider may appear once',
        },
      ]);
    });

    it('lists the provider kinds', () => {
      expect(issues({ ingress: [{ kind: 'nginx' }] })).toEqual([
        {
          field: 'ingress[0].kind',
          message:
            'must be one of: kubernetes-ingress, istio, traefik, gateway-api, openshift-route',
        },
      ]);
    });

    it('allows OpenShift routes on OpenShift clusters only', () => {
      expect(
        issues({ ingress: [{ kind: 'istio' }, { kind: 'openshift-route' }] }),
      ).toEqual([
        {
          field: 'ingress[1].kind',
          message:
            'an OpenShift route needs an OpenShift cluster, but cluster.type is eks',
        },
      ]);
      expect(
        issues({
          cluster: { name: 'onprem', type: 'openshift' },
          ingress: [{ kind: 'openshift-route' }],
        }),
      ).toEqual([]);
    });

    it('checks hosts', () => {
      expect(
        issues({ ingress: [{ kind: 'istio', host: 'https://x.example.com' }] }),
      ).toEqual([
        {
          field: 'ingress[0].host',
          message:
            'must be a host name such as api.example.com (lower case, no scheme or port)',
        },
      ]);
    });
  });

  describe('domains', () => {
    it('needs a distinct label per service', () => {
      expect(
        issues({
          domains: {
            baseDomain: 'ai.example.com',
            subdomains: { api: 'gw', mcp: 'gw' },
          },
        }),
      ).toEqual([
        {
          field: 'domains.subdomains.mcp',
          message:
            "'gw' is already the api subdomain; each service needs its own",
        },
      ]);
    });

    it('refuses the console, grafana and auth subdomains: nothing serves them', () => {
      expect(
        issues({
          domains: {
            baseDomain: 'ai.example.com',
            subdomains: { console: 'ui', grafana: 'metrics', auth: 'sso' },
          },
        }),
      ).toEqual([
        {
          field: 'domains.subdomains.console',
          message:
            "cannot be set: the suite deploys no web console behind the pool and no listener serves the console host; leave console out (the pool serves only the api and mcp hosts; the former default 'console' that older pools carry is accepted and has no effect)",
        },
        {
          field: 'domains.subdomains.grafana',
          message: expect.stringContaining('deploys no Grafana'),
        },
        {
          field: 'domains.subdomains.auth',
          message: expect.stringContaining('deploys no identity provider'),
        },
      ]);
    });

    it('takes back a pool stored with the former default subdomains unchanged', () => {
      const stored = {
        ...validPool,
        domains: {
          baseDomain: 'ai.example.com',
          separator: '.',
          subdomains: {
            api: 'api',
            console: 'console',
            grafana: 'grafana',
            auth: 'auth',
            mcp: 'mcp',
          },
        },
      };
      expect(poolSchema.parse(stored).domains).toEqual(stored.domains);
      // A label the api or mcp host uses is no clash with them.
      expect(
        issues({
          domains: {
            baseDomain: 'ai.example.com',
            subdomains: { api: 'console', console: 'console' },
          },
        }),
      ).toEqual([]);
    });

    it('needs a parent domain under which "-" hosts fit', () => {
      expect(
        issues({ domains: { baseDomain: 'example.com', separator: '-' } }),
      ).toEqual([
        {
          field: 'domains.baseDomain',
          message:
            "with separator '-' the hosts are api-example.com and so on, outside example.com; use a base domain with a parent under your wildcard, such as ai-gateway.example.com (hosts api-ai-gateway.example.com under *.example.com)",
        },
      ]);
    });

    it('refuses hosts that are not DNS names', () => {
      const long = 'x'.repeat(40);
      expect(
        issues({
          domains: {
            baseDomain: `${long}.example.com`,
            separator: '-',
            subdomains: { api: long },
          },
        }),
      ).toEqual([
        {
          field: 'domains.subdomains.api',
          message: `the api host '${long}-${long}.example.com' is not a valid host name (at most 63 characters between dots and 253 in all; labels starting with xn-- must be valid punycode)`,
        },
      ]);
    });

    it('refuses hosts a URL cannot carry', () => {
      expect(
        issues({
          domains: {
            baseDomain: 'ai.example.com',
            subdomains: { mcp: 'xn--0' },
          },
        }),
      ).toEqual([
        {
          field: 'domains.subdomains.mcp',
          message:
            "the mcp host 'xn--0.ai.example.com' is not a valid host name (at most 63 characters between dots and 253 in all; labels starting with xn-- must be valid punycode)",
        },
      ]);
      expect(
        issues({ redis: { mode: 'manual', host: 'xn--0.example.com' } }),
      ).toEqual([
        {
          field: 'redis.host',
          message:
            'must be a host name a URL can carry (labels starting with xn-- must be valid punycode)',
        },
      ]);
    });

    it('lists the separators', () => {
      expect(
        issues({ domains: { baseDomain: 'ai.example.com', separator: '_' } }),
      ).toEqual([
        { field: 'domains.separator', message: 'must be one of: ., -' },
      ]);
    });
  });

  describe('scaling and cluster', () => {
    it('keeps replicas within maxReplicas', () => {
      expect(issues({ replicas: 6 })).toEqual([
        {
          field: 'replicas',
          message: 'replicas (6) must not exceed maxReplicas (5)',
        },
      ]);
      expect(issues({ replicas: 6, maxReplicas: 6 })).toEqual([]);
      expect(issues({ maxReplicas: 51 })).toEqual([
        { field: 'maxReplicas', message: 'must be at most 50' },
      ]);
      expect(issues({ replicas: 0 })).toEqual([
        { field: 'replicas', message: 'must be at least 1' },
      ]);
      expect(issues({ replicas: 1.5 })).toEqual([
        {
          field: 'replicas',
          message: 'must be a whole number between 1 and 50',
        },
      ]);
    });

    it('checks resources against their defaults', () => {
      expect(
        issues({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }),
      ).toEqual([
        {
          field: 'resources.limits.cpu',
          message: 'limits.cpu (1) must be at least requests.cpu (2)',
        },
      ]);
    });

    it('names every quantity that is not one, without repeating it', () => {
      const quantity =
        'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi';
      const found = issues({
        resources: { requests: { cpu: 'abc' }, limits: { memory: 'lots' } },
        redis: { mode: 'auto', storageSize: 'hunter2' },
      });
      expect(found).toEqual([
        { field: 'resources.requests.cpu', message: quantity },
        { field: 'resources.limits.memory', message: quantity },
        { field: 'redis.storageSize', message: quantity },
      ]);
      expect(JSON.stringify(found)).not.toMatch(/abc|lots|hunter2/);
    });

    it('checks the namespace, cluster type and delivery mode', () => {
      expect(issues({ namespace: 'Bad_NS' })[0].field).toBe('namespace');
      expect(issues({ namespace: 'x'.repeat(64) })).toEqual([
        { field: 'namespace', message: 'must be at most 63 characters' },
      ]);
      expect(issues({ cluster: { name: 'c', type: 'k3s' } })).toEqual([
        {
          field: 'cluster.type',
          message: 'must be one of: eks, aks, gke, openshift, native',
        },
      ]);
      expect(issues({ delivery: { mode: 'ftp' } })).toEqual([
        {
          field: 'delivery.mode',
          message: 'must be one of: direct, agent, gitops',
        },
      ]);
      expect(issues({ delivery: { mode: 'gitops', path: '../etc' } })).toEqual([
        {
          field: 'delivery.path',
          message: 'must be a relative path inside the repository',
        },
      ]);
      expect(
        issues({
          delivery: { mode: 'direct', repoUrl: 'https://git.example.com/x' },
        })[0].field,
      ).toBe('delivery.repoUrl');
    });

    it('bounds the heartbeat window', () => {
      expect(issues({ heartbeatStaleSeconds: 10 })).toEqual([
        { field: 'heartbeatStaleSeconds', message: 'must be at least 30' },
      ]);
    });
  });

  describe('siem', () => {
    it('exports over OTLP by default', () => {
      expect(
        poolSchema.parse({
          ...validPool,
          siem: { endpoint: 'https://collector.example.com:4318' },
        }).siem,
      ).toEqual({
        endpoint: 'https://collector.example.com:4318',
        format: 'otlp',
      });
    });

    it('refuses formats agentgateway cannot export, saying what to do instead', () => {
      for (const format of ['json', 'cef', 'leef']) {
        expect(
          issues({
            siem: { endpoint: 'https://siem.example.com/ingest', format },
          }),
        ).toEqual([
          {
            field: 'siem.format',
            message: `cannot be ${format}: agentgateway exports access logs only over OTLP (AgentgatewayPolicy frontend.accessLog.otlp); set format to otlp and point endpoint at an OTLP collector (such as the OpenTelemetry Collector) that forwards to the SIEM in the format it takes`,
          },
        ]);
      }
      expect(
        issues({
          siem: { endpoint: 'https://siem.example.com', format: 'syslog' },
        }),
      ).toEqual([{ field: 'siem.format', message: 'must be otlp' }]);
    });

    it('refuses an endpoint with credentials, a query or a fragment', () => {
      expect(
        issues({
          siem: { endpoint: 'https://user:s3cret@siem.example.com/v1/logs' },
        }),
      ).toEqual([
        {
          field: 'siem.endpoint',
          message: expect.stringContaining('reference it in secretRef'),
        },
      ]);
      expect(
        issues({ siem: { endpoint: 'https://siem.example.com/v1/logs?x=1' } }),
      ).toEqual([
        {
          field: 'siem.endpoint',
          message: expect.stringContaining('must not have a query or fragment'),
        },
      ]);
    });
  });

  it('refuses operator settings with direct delivery, which runs no operator', () => {
    expect(
      issues({
        delivery: { mode: 'direct' },
        serviceAccount: 'aigw-operator',
        images: { operator: 'registry.example.com/aigw/operator:1.0.0' },
      }),
    ).toEqual([
      {
        field: 'serviceAccount',
        message:
          'applies to the operator, which runs only with agent and gitops delivery; with direct delivery the control plane applies the pool itself, so leave serviceAccount out',
      },
      {
        field: 'images.operator',
        message:
          'applies to the operator, which runs only with agent and gitops delivery; with direct delivery the control plane applies the pool itself, so leave images.operator out',
      },
    ]);
    expect(
      issues({ delivery: { mode: 'agent' }, serviceAccount: 'aigw-operator' }),
    ).toEqual([]);
  });

  it('refuses unknown fields anywhere', () => {
    expect(issues({ gatewayReplicas: 3 })).toEqual([
      { field: 'gatewayReplicas', message: 'is not a known field' },
    ]);
    expect(
      issues({
        siem: { endpoint: 'https://siem.example.com', apiToken: 'x' },
      })[0].field,
    ).toBe('siem.apiToken');
    expect(
      issues({ images: { operator: 'x:1', pullPassword: 'x' } })[0].field,
    ).toBe('images.pullPassword');
  });
});

describe('poolImages', () => {
  it('uses the release defaults for images the pool leaves empty', () => {
    const pool = poolSchema.parse(fullPool);
    expect(poolImages(pool)).toEqual({
      operator: 'registry.example.com/aigw/operator:1.0.0',
      gateway: DEFAULT_POOL_IMAGES.gateway,
      registryCredentialsSecret: 'regcred',
    });
    expect(poolImages(poolSchema.parse(validPool))).toEqual(
      DEFAULT_POOL_IMAGES,
    );
  });
});

describe('pool cluster names', () => {
  it('follow catalog entity names', () => {
    expect(
      issuesOf(poolSchema, {
        ...validPool,
        cluster: { name: 'Prod_EU.1', type: 'eks' },
      }),
    ).toEqual([]);
    expect(
      issuesOf(poolSchema, {
        ...validPool,
        cluster: { name: 'prod eu', type: 'eks' },
      }),
    ).toEqual([
      {
        field: 'cluster.name',
        message:
          'must be a cluster name: letters, digits, "-", "_" and "." (at most 63 characters), as in kubernetes.clusterLocatorMethods',
      },
    ]);
  });
});
