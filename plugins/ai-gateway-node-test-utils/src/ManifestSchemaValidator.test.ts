/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectValid", "expectProblem"] }] */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createManifestSchemaValidator,
  KubernetesObjectLike,
} from './ManifestSchemaValidator';

// Built once: compiling the CRD schemas and CEL rules is the expensive part.
const validator = createManifestSchemaValidator();

const object = (
  apiVersion: string,
  kind: string,
  name: string,
  body: Record<string, unknown>,
): KubernetesObjectLike => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'ai-gateway' },
  ...body,
});

/** Applies a change to a deep copy, so each invalid case starts from a valid object. */
function modify(
  valid: KubernetesObjectLike,
  change: (o: any) => void,
): KubernetesObjectLike {
  const copy = structuredClone(valid);
  change(copy);
  return copy;
}

function expectValid(o: KubernetesObjectLike) {
  expect(validator.validate(o)).toEqual([]);
}

function expectProblem(o: KubernetesObjectLike, problem: string) {
  expect(validator.validate(o)).toContain(problem);
}

describe('standard kinds (kubernetes-models)', () => {
  const deployment = object('apps/v1', 'Deployment', 'web', {
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 8080, name: 'http' }],
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  });

  it('accepts a valid Deployment', () => {
    expectValid(deployment);
  });

  it('rejects a Deployment with a string replica count', () => {
    expectProblem(
      modify(deployment, d => {
        d.spec.replicas = 'two';
      }),
      'Deployment/web: spec.replicas: must be integer',
    );
  });

  it('rejects unknown fields, which the models themselves accept', () => {
    expectProblem(
      modify(deployment, d => {
        d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
      }),
      'Deployment/web: spec.template.spec.containers[0].imagePullPolicyy: unknown field',
    );
  });

  it('checks metadata syntax', () => {
    const problems = validator.validate(
      modify(deployment, d => {
        d.metadata.name = 'Web_1';
        d.metadata.labels = { 'app.kubernetes.io/name': 'has spaces' };
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Deployment/Web_1: metadata.name: "Web_1" must be a DNS-1123 subdomain',
        ),
        expect.stringContaining(
          'Deployment/Web_1: metadata.labels["app.kubernetes.io/name"]: invalid label value "has spaces"',
        ),
      ]),
    );
  });

  const service = object('v1', 'Service', 'web', {
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  });

  it('accepts a valid Service and rejects a non-integer port', () => {
    expectValid(service);
    expectProblem(
      modify(service, s => {
        s.spec.ports[0].port = '80';
      }),
      'Service/web: spec.ports[0].port: must be integer',
    );
  });

  it('validates Service names as DNS-1035 labels', () => {
    expect(
      validator.validate(
        modify(service, s => {
          s.metadata.name = '1web';
        }),
      ),
    ).toEqual([expect.stringContaining('Service/1web: metadata.name:')]);
  });

  const role = object('rbac.authorization.k8s.io/v1', 'Role', 'reader', {
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    ],
  });

  it('accepts a valid Role and rejects one without verbs', () => {
    expectValid(role);
    expectProblem(
      modify(role, r => {
        delete r.rules[0].verbs;
      }),
      'Role/reader: rules[0].verbs: required field is missing',
    );
  });

  const networkPolicy = object(
    'networking.k8s.io/v1',
    'NetworkPolicy',
    'allow-gateway',
    {
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'ai-gateway' },
                },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      },
    },
  );

  it('accepts a valid NetworkPolicy and rejects a non-list ingress', () => {
    expectValid(networkPolicy);
    expectProblem(
      modify(networkPolicy, n => {
        n.spec.ingress = { from: [] };
      }),
      'NetworkPolicy/allow-gateway: spec.ingress: must be array',
    );
  });

  const hpa = object('autoscaling/v2', 'HorizontalPodAutoscaler', 'web', {
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
      },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 80 },
          },
        },
      ],
    },
  });

  it('accepts a valid autoscaling/v2 HPA and rejects one without maxReplicas', () => {
    expectValid(hpa);
    expectProblem(
      modify(hpa, h => {
        delete h.spec.maxReplicas;
      }),
      'HorizontalPodAutoscaler/web: spec.maxReplicas: required field is missing',
    );
  });

  const pdb = object('policy/v1', 'PodDisruptionBudget', 'web', {
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  });

  it('accepts a valid PodDisruptionBudget and rejects a boolean minAvailable', () => {
    expectValid(pdb);
    expect(
      validator.validate(
        modify(pdb, p => {
          p.spec.minAvailable = true;
        }),
      ),
    ).toEqual([
      'PodDisruptionBudget/web: spec.minAvailable: must match exactly one schema in "oneOf" (must be string; must be integer)',
    ]);
  });

  const ingress = object('networking.k8s.io/v1', 'Ingress', 'web', {
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['ai.example.com'], secretName: 'web-tls' }],
      rules: [
        {
          host: 'ai.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  });

  it('accepts a valid Ingress and rejects a path without pathType', () => {
    expectValid(ingress);
    expectProblem(
      modify(ingress, i => {
        delete i.spec.rules[0].http.paths[0].pathType;
      }),
      'Ingress/web: spec.rules[0].http.paths[0].pathType: required field is missing',
    );
  });

  it('accepts the other core kinds a renderer emits', () => {
    expectValid(object('v1', 'ServiceAccount', 'gateway', {}));
    expectValid(
      object('v1', 'ConfigMap', 'config', { data: { 'a.yaml': 'x: 1' } }),
    );
    expectValid(
      object('v1', 'Secret', 'openai-key', {
        type: 'Opaque',
        stringData: { Authorization: 'Bearer x' },
      }),
    );
    expectProblem(
      object('v1', 'ConfigMap', 'config', { data: { port: 8080 } }),
      'ConfigMap/config: data.port: must be string',
    );
  });

  it('rejects a namespace on a cluster-scoped kind', () => {
    expectValid({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ai-gateway' },
    });
    expectProblem(
      object('v1', 'Namespace', 'ai-gateway', {}),
      'Namespace/ai-gateway: metadata.namespace: not allowed on a cluster-scoped kind',
    );
  });
});

describe('Gateway API, cert-manager, Istio and Traefik models', () => {
  const gateway = object(
    'gateway.networking.k8s.io/v1',
    'Gateway',
    'ai-gateway',
    {
      spec: {
        gatewayClassName: 'agentgateway',
        listeners: [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            hostname: 'ai.example.com',
            tls: {
              mode: 'Terminate',
              certificateRefs: [{ name: 'ai-gateway-tls' }],
            },
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
        ],
      },
    },
  );

  it('accepts a valid Gateway and rejects a listener port that is not a number', () => {
    expectValid(gateway);
    expectProblem(
      modify(gateway, g => {
        g.spec.listeners[0].port = 'https';
      }),
      'Gateway/ai-gateway: spec.listeners[0].port: must be integer',
    );
  });

  const httpRoute = object(
    'gateway.networking.k8s.io/v1',
    'HTTPRoute',
    'openai',
    {
      spec: {
        parentRefs: [{ name: 'ai-gateway', sectionName: 'https' }],
        hostnames: ['ai.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/openai' } }],
            backendRefs: [
              {
                group: 'agentgateway.dev',
                kind: 'AgentgatewayBackend',
                name: 'openai',
              },
            ],
          },
        ],
      },
    },
  );

  it('accepts a valid HTTPRoute', () => {
    expectValid(httpRoute);
  });

  it('rejects an HTTPRoute with a misspelled field', () => {
    expectProblem(
      modify(httpRoute, r => {
        r.spec.rules[0].backendRef = r.spec.rules[0].backendRefs;
        delete r.spec.rules[0].backendRefs;
      }),
      'HTTPRoute/openai: spec.rules[0].backendRef: unknown field',
    );
  });

  it('rejects an HTTPRoute with an invalid path match type', () => {
    expect(
      validator.validate(
        modify(httpRoute, r => {
          r.spec.rules[0].matches[0].path.type = 'Prefix';
        }),
      ),
    ).toEqual([
      expect.stringContaining(
        'HTTPRoute/openai: spec.rules[0].matches[0].path.type: must be equal to one of the allowed values',
      ),
    ]);
  });

  const certificate = object(
    'cert-manager.io/v1',
    'Certificate',
    'ai-gateway',
    {
      spec: {
        secretName: 'ai-gateway-tls',
        dnsNames: ['ai.example.com'],
        issuerRef: {
          name: 'letsencrypt',
          kind: 'ClusterIssuer',
          group: 'cert-manager.io',
        },
      },
    },
  );

  it('accepts a valid Certificate and rejects one without secretName', () => {
    expectValid(certificate);
    expectProblem(
      modify(certificate, c => {
        delete c.spec.secretName;
      }),
      'Certificate/ai-gateway: spec.secretName: required field is missing',
    );
    expectProblem(
      modify(certificate, c => {
        c.spec.dnsNames = 'ai.example.com';
      }),
      'Certificate/ai-gateway: spec.dnsNames: must be array',
    );
  });

  it('validates Issuers', () => {
    expectValid(
      object('cert-manager.io/v1', 'Issuer', 'self-signed', {
        spec: { selfSigned: {} },
      }),
    );
  });

  const istioGateway = object(
    'networking.istio.io/v1',
    'Gateway',
    'ai-gateway',
    {
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['ai.example.com'],
            tls: { mode: 'SIMPLE', credentialName: 'ai-gateway-tls' },
          },
        ],
      },
    },
  );

  const virtualService = object(
    'networking.istio.io/v1',
    'VirtualService',
    'ai-gateway',
    {
      spec: {
        hosts: ['ai.example.com'],
        gateways: ['ai-gateway'],
        http: [
          {
            match: [{ uri: { prefix: '/' } }],
            route: [
              {
                destination: {
                  host: 'ai-gateway.ai-gateway.svc.cluster.local',
                  port: { number: 8080 },
                },
              },
            ],
            timeout: '30s',
          },
        ],
      },
    },
  );

  it('accepts a valid Istio Gateway and VirtualService (v1 and v1beta1)', () => {
    for (const apiVersion of [
      'networking.istio.io/v1',
      'networking.istio.io/v1beta1',
    ]) {
      expectValid({ ...istioGateway, apiVersion });
      expectValid({ ...virtualService, apiVersion });
    }
  });

  it('rejects invalid Istio objects', () => {
    expectProblem(
      modify(istioGateway, g => {
        g.spec.servers[0].port.number = '443';
      }),
      'Gateway/ai-gateway: spec.servers[0].port.number: must be integer',
    );
    expectProblem(
      modify(virtualService, v => {
        v.spec.http[0].routes = v.spec.http[0].route;
      }),
      'VirtualService/ai-gateway: spec.http[0].routes: unknown field',
    );
  });

  const ingressRoute = object(
    'traefik.io/v1alpha1',
    'IngressRoute',
    'ai-gateway',
    {
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            match: 'Host(`ai.example.com`)',
            kind: 'Rule',
            services: [{ name: 'ai-gateway', port: 8080 }],
          },
        ],
        tls: { secretName: 'ai-gateway-tls' },
      },
    },
  );

  it('accepts a valid Traefik IngressRoute and rejects an invalid one', () => {
    expectValid(ingressRoute);
    expectProblem(
      modify(ingressRoute, r => {
        delete r.spec.routes[0].match;
      }),
      'IngressRoute/ai-gateway: spec.routes[0].match: required field is missing',
    );
    expectProblem(
      modify(ingressRoute, r => {
        r.spec.routes[0].services[0].namespaces = 'x';
      }),
      'IngressRoute/ai-gateway: spec.routes[0].services[0].namespaces: unknown field',
    );
  });
});

describe('OpenShift Route', () => {
  const route = object('route.openshift.io/v1', 'Route', 'ai-gateway', {
    spec: {
      host: 'ai.apps.example.com',
      to: { kind: 'Service', name: 'ai-gateway', weight: 100 },
      port: { targetPort: 'https' },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      wildcardPolicy: 'None',
    },
  });

  it('accepts a valid Route', () => {
    expectValid(route);
    expectValid(
      modify(route, r => {
        r.spec.port.targetPort = 8443;
        r.spec.tls = {
          termination: 'reencrypt',
          destinationCACertificate: 'PEM',
        };
      }),
    );
  });

  it('rejects an unknown TLS termination', () => {
    expectProblem(
      modify(route, r => {
        r.spec.tls.termination = 'bogus';
      }),
      'Route/ai-gateway: spec.tls.termination: must be equal to one of the allowed values: "edge", "reencrypt", "passthrough"',
    );
  });

  it('rejects unknown fields and a missing backend', () => {
    expectProblem(
      modify(route, r => {
        r.spec.tls.insecureEdgeTermination = 'Redirect';
      }),
      'Route/ai-gateway: spec.tls.insecureEdgeTermination: unknown field',
    );
    expectProblem(
      modify(route, r => {
        delete r.spec.to;
      }),
      'Route/ai-gateway: spec.to: required field is missing',
    );
  });

  it('evaluates the CEL rules of the Route CRD', () => {
    expectProblem(
      modify(route, r => {
        r.spec.tls = {
          termination: 'passthrough',
          insecureEdgeTerminationPolicy: 'Allow',
        };
      }),
      'Route/ai-gateway: spec.tls: cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow',
    );
  });
});

describe('agentgateway CRDs', () => {
  const aiBackend = object(
    'agentgateway.dev/v1alpha1',
    'AgentgatewayBackend',
    'openai',
    {
      spec: {
        ai: {
          groups: [
            {
              providers: [
                {
                  name: 'openai',
                  openai: { model: 'gpt-4o' },
                  policies: { auth: { secretRef: { name: 'openai-key' } } },
                },
              ],
            },
          ],
        },
      },
    },
  );

  const mcpBackend = object(
    'agentgateway.dev/v1alpha1',
    'AgentgatewayBackend',
    'github',
    {
      spec: {
        mcp: {
          targets: [
            {
              name: 'github',
              static: {
                host: 'github-mcp.ai-gateway.svc.cluster.local',
                port: 8080,
                path: '/mcp',
                protocol: 'StreamableHTTP',
              },
            },
          ],
        },
      },
    },
  );

  it('accepts valid ai and mcp AgentgatewayBackends', () => {
    expectValid(aiBackend);
    expectValid(mcpBackend);
  });

  it('rejects an unknown field', () => {
    expect(
      validator.validate(
        modify(aiBackend, b => {
          b.spec.ai.groups[0].providers[0].openai.modell = 'gpt-4o';
        }),
      ),
    ).toEqual([
      'AgentgatewayBackend/openai: spec.ai.groups[0].providers[0].openai.modell: unknown field',
    ]);
  });

  it('rejects a schema violation', () => {
    expectProblem(
      modify(aiBackend, b => {
        b.spec.ai.groups = [];
      }),
      'AgentgatewayBackend/openai: spec.ai.groups: must NOT have fewer than 1 items',
    );
    expectProblem(
      modify(mcpBackend, b => {
        b.spec.mcp.targets[0].static.port = '8080';
      }),
      'AgentgatewayBackend/github: spec.mcp.targets[0].static.port: must be integer',
    );
  });

  it('rejects a CEL violation: ai and static are mutually exclusive', () => {
    const problems = validator.validate(
      modify(aiBackend, b => {
        b.spec.static = { host: 'example.com', port: 443 };
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^AgentgatewayBackend\/openai: spec: .*exactly one/,
      ),
    ]);
  });

  it('evaluates CEL rules on list items (provider names are unique)', () => {
    expectProblem(
      modify(aiBackend, b => {
        const providers = b.spec.ai.groups[0].providers;
        providers.push(structuredClone(providers[0]));
      }),
      'AgentgatewayBackend/openai: spec.ai.groups[0].providers: provider names must be unique within a group',
    );
  });

  it('rejects duplicate keys of an x-kubernetes-list-type: map', () => {
    expectProblem(
      modify(mcpBackend, b => {
        b.spec.mcp.targets.push(structuredClone(b.spec.mcp.targets[0]));
      }),
      'AgentgatewayBackend/github: spec.mcp.targets[1]: Duplicate value: {"name":"github"}',
    );
  });

  const policy = object(
    'agentgateway.dev/v1alpha1',
    'AgentgatewayPolicy',
    'timeouts',
    {
      spec: {
        targetRefs: [
          { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' },
        ],
        traffic: { timeouts: { request: '30s' } },
      },
    },
  );

  it('accepts a valid AgentgatewayPolicy', () => {
    expectValid(policy);
    expectValid(
      modify(policy, p => {
        p.spec.traffic.timeouts.request = '1h30m';
      }),
    );
  });

  it('compares durations in CEL rules', () => {
    expect(
      validator.validate(
        modify(policy, p => {
          p.spec.traffic.timeouts.request = '0ms';
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^AgentgatewayPolicy\/timeouts: spec\.traffic\.timeouts\.request: /,
      ),
    ]);
  });

  it('rejects a policy with neither traffic, frontend nor backend', () => {
    const problems = validator.validate(
      modify(policy, p => {
        delete p.spec.traffic;
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^AgentgatewayPolicy\/timeouts: spec: .*traffic/),
    ]);
  });

  it('evaluates Kubernetes quantity functions', () => {
    const frontend = modify(policy, p => {
      p.spec.targetRefs[0].kind = 'Gateway';
      delete p.spec.traffic;
      p.spec.frontend = { http: { http2FrameSize: '16Ki' } };
    });
    expectValid(frontend);
    expectProblem(
      modify(frontend, p => {
        p.spec.frontend.http.http2FrameSize = '1Ki';
      }),
      'AgentgatewayPolicy/timeouts: spec.frontend.http.http2FrameSize: http2FrameSize must be at least 16384 bytes',
    );
  });

  it('evaluates has() on an indexed element', () => {
    const directResponse = (conditional: unknown[]) =>
      modify(policy, p => {
        p.spec.traffic = { directResponse: { conditional } };
      });
    const fallback = { policy: { status: 404 } };
    const conditional = {
      condition: "request.path == '/health'",
      policy: { status: 200 },
    };
    expectValid(directResponse([conditional, fallback]));
    expectProblem(
      directResponse([fallback, conditional]),
      'AgentgatewayPolicy/timeouts: spec.traffic.directResponse.conditional: conditional entries without condition must be last',
    );
  });

  const model = object(
    'agentgateway.dev/v1alpha1',
    'AgentgatewayModel',
    'llama',
    {
      spec: {
        parentRefs: [{ name: 'ai-gateway' }],
        provider: 'Ollama',
        baseURL: 'http://ollama.ai-gateway.svc.cluster.local:11434',
      },
    },
  );

  it('evaluates URL functions and RE2 regexes of AgentgatewayModel rules', () => {
    expectValid(model);
    expectProblem(
      modify(model, m => {
        m.spec.baseURL = 'HTTP://LOCALHOST:11434';
      }),
      'AgentgatewayModel/llama: spec: baseURL cannot target localhost, loopback, or link-local addresses',
    );
    expectProblem(
      modify(model, m => {
        m.spec.baseURL = 'ftp://ollama:11434';
      }),
      'AgentgatewayModel/llama: spec: baseURL must be an absolute http or https URL with a host',
    );
  });

  const parameters = object(
    'agentgateway.dev/v1alpha1',
    'AgentgatewayParameters',
    'gateway',
    { spec: { resources: { requests: { cpu: '100m', memory: '128Mi' } } } },
  );

  it('accepts valid AgentgatewayParameters and rejects invalid ones', () => {
    expectValid(parameters);
    expectProblem(
      modify(parameters, p => {
        p.spec.resources.requests.cpu = true;
      }),
      'AgentgatewayParameters/gateway: spec.resources.requests.cpu: must be integer,string',
    );
    expectProblem(
      modify(parameters, p => {
        p.spec.daemonSet = {};
      }),
      'AgentgatewayParameters/gateway: spec: daemonSet overlays are only valid when workload.kind is DaemonSet',
    );
  });

  it('validates ObjectMeta of custom resources strictly', () => {
    expectProblem(
      modify(policy, p => {
        p.metadata.label = { app: 'x' };
      }),
      'AgentgatewayPolicy/timeouts: metadata.label: unknown field',
    );
    expectProblem(
      modify(policy, p => {
        p.metadata.annotations = { replicas: 2 };
      }),
      'AgentgatewayPolicy/timeouts: metadata.annotations.replicas: must be string',
    );
  });
});

describe('kinds and skipped rules', () => {
  it('rejects an unknown kind', () => {
    expect(
      validator.validate(object('example.com/v1', 'Widget', 'w', { spec: {} })),
    ).toEqual([
      'Widget/w: unsupported kind: no schema for apiVersion "example.com/v1", kind "Widget"',
    ]);
  });

  it('lists the supported kinds', () => {
    expect(validator.supportedKinds).toEqual(
      expect.arrayContaining([
        'apps/v1 Deployment',
        'gateway.networking.k8s.io/v1 HTTPRoute',
        'networking.istio.io/v1beta1 VirtualService',
        'route.openshift.io/v1 Route',
        'agentgateway.dev/v1alpha1 AgentgatewayBackend',
      ]),
    );
  });

  it('reports the CEL rules it could not check', () => {
    const skipped = validator.skippedCelRules;
    // eslint-disable-next-line no-console
    console.log(`CEL rules skipped: ${skipped.length}`, skipped.slice(0, 5));
    for (const entry of skipped) {
      expect(entry.reason).not.toBe('');
      expect(entry.rule).not.toBe('');
    }
  });
});

describe('CRDs from another directory', () => {
  // A small CRD exercising what the agentgateway CRDs do not: transition
  // rules, unsupported functions, messageExpression, fieldPath, defaults.
  const widgetCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['name'],
                  properties: {
                    name: { type: 'string' },
                    replicas: { type: 'integer', default: 1 },
                    maxReplicas: { type: 'integer' },
                    pattern: { type: 'string' },
                    config: {
                      type: 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                  'x-kubernetes-validations': [
                    {
                      rule: '!has(self.maxReplicas) || self.replicas <= self.maxReplicas',
                      messageExpression:
                        "'replicas ' + string(self.replicas) + ' exceeds ' + string(self.maxReplicas)",
                    },
                    { rule: 'self.name == oldSelf.name', message: 'immutable' },
                    { rule: 'ip(self.name).family() == 4' },
                    {
                      rule: "!has(self.pattern) || self.name.matches('(?U)a+')",
                    },
                    { rule: "self.name != 'forbidden'", fieldPath: '.name' },
                  ],
                },
              },
            },
          },
        },
      ],
    },
  };

  let widgets: ReturnType<typeof createManifestSchemaValidator>;
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    // JSON is YAML, and saves indentation mistakes.
    fs.writeFileSync(path.join(dir, 'widgets.yaml'), JSON.stringify(widgetCrd));
    widgets = createManifestSchemaValidator({ crdDirectory: dir });
  });

  const widget = (spec: Record<string, unknown>) =>
    object('example.com/v1', 'Widget', 'w', { spec });

  it('supports the CRDs of that directory instead of the agentgateway ones', () => {
    expect(widgets.supportedKinds).toContain('example.com/v1 Widget');
    expect(widgets.supportedKinds).toContain('route.openshift.io/v1 Route');
    expect(widgets.supportedKinds).not.toContain(
      'agentgateway.dev/v1alpha1 AgentgatewayBackend',
    );
  });

  it('lists transition rules and rules that do not compile as skipped', () => {
    expect(widgets.skippedCelRules).toEqual([
      {
        kind: 'Widget',
        path: 'spec',
        rule: 'self.name == oldSelf.name',
        reason: 'transition rule',
      },
      {
        kind: 'Widget',
        path: 'spec',
        rule: 'ip(self.name).family() == 4',
        reason: expect.stringMatching(/^does not compile: /),
      },
    ]);
  });

  it('applies defaults, then evaluates messageExpression and fieldPath', () => {
    expect(widgets.validate(widget({ name: 'a', maxReplicas: 3 }))).toEqual([]);
    expect(widgets.validate(widget({ name: 'a', maxReplicas: 0 }))).toEqual([
      'Widget/w: spec: replicas 1 exceeds 0',
    ]);
    expect(widgets.validate(widget({ name: 'forbidden' }))).toEqual([
      "Widget/w: spec.name: failed rule: self.name != 'forbidden'",
    ]);
  });

  it('keeps unknown fields only under x-kubernetes-preserve-unknown-fields', () => {
    expect(
      widgets.validate(widget({ name: 'a', config: { any: { thing: 1 } } })),
    ).toEqual([]);
    expect(widgets.validate(widget({ name: 'a', nmae: 'b' }))).toEqual([
      'Widget/w: spec.nmae: unknown field',
    ]);
  });

  it('skips, and lists, a rule whose regex JavaScript cannot run', () => {
    expect(widgets.validate(widget({ name: 'a', pattern: 'x' }))).toEqual([]);
    expect(widgets.skippedCelRules).toContainEqual({
      kind: 'Widget',
      path: 'spec',
      rule: "!has(self.pattern) || self.name.matches('(?U)a+')",
      reason: expect.stringContaining('ungreedy'),
    });
  });
});
