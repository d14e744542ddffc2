/**
 * OpenShift `route.openshift.io/v1` `Route`: there is no npm model for it, so
 * this is the `openAPIV3Schema` of the Route CRD published by openshift/api
 * (`route/v1/zz_generated.crd-manifests/routes-Default.crd.yaml`, the schema
 * MicroShift and HyperShift install), transcribed without descriptions.
 *
 * It is written in the Kubernetes structural-schema dialect on purpose: the
 * validator converts it exactly like the agentgateway CRDs (unknown fields
 * become errors, defaults are applied, `x-kubernetes-validations` CEL rules
 * are evaluated), so the Route gets the same strictness as every other CRD.
 *
 * `spec.tls.externalCertificate` is behind the `RouteExternalCertificate`
 * feature gate on older clusters; it is kept (with its CEL rule) so a renderer
 * using it is not flagged, the rest is the Default feature set.
 */

const targetReference = {
  type: 'object',
  required: ['kind', 'name'],
  properties: {
    kind: { type: 'string', default: 'Service', enum: ['Service', ''] },
    name: { type: 'string', minLength: 1 },
    weight: {
      type: 'integer',
      format: 'int32',
      default: 100,
      minimum: 0,
      maximum: 256,
    },
  },
};

const headerActions = (fetcher: 'req' | 'res') => ({
  type: 'array',
  maxItems: 20,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
  'x-kubernetes-validations': [
    {
      message: `Either the header value provided is not in correct format or the sample fetcher/converter specified is not allowed. Sample fetchers allowed are ${fetcher}.hdr, ssl_c_der. Converters allowed are lower, base64.`,
      rule: `self.all(key, key.action.type == "Delete" || (has(key.action.set) && key.action.set.value.matches('^(?:%(?:%|(?:\\\\{[-+]?[QXE](?:,[-+]?[QXE])*\\\\})?\\\\[(?:${fetcher}\\\\.hdr\\\\([0-9A-Za-z-]+\\\\)|ssl_c_der)(?:,(?:lower|base64))*\\\\])|[^%[:cntrl:]])+$')))`,
    },
  ],
  items: {
    type: 'object',
    required: ['action', 'name'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: "^[-!#$%&'*+.0-9A-Z^_`a-z|~]+$",
        'x-kubernetes-validations': [
          'strict-transport-security',
          'proxy',
          'cookie',
          'set-cookie',
        ].map(header => ({
          message: `${header} header may not be modified via header actions`,
          rule: `self.lowerAscii() != '${header}'`,
        })),
      },
      action: {
        type: 'object',
        required: ['type'],
        properties: {
          type: { type: 'string', enum: ['Set', 'Delete'] },
          set: {
            type: 'object',
            required: ['value'],
            properties: {
              value: { type: 'string', minLength: 1, maxLength: 16384 },
            },
          },
        },
        'x-kubernetes-validations': [
          {
            message:
              'set is required when type is Set, and forbidden otherwise',
            rule: "has(self.type) && self.type == 'Set' ?  has(self.set) : !has(self.set)",
          },
        ],
      },
    },
  },
});

const dnsSubdomain =
  '^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$';

/** `spec.versions[name=v1].schema.openAPIV3Schema` of `routes.route.openshift.io`. */
export const openshiftRouteV1Schema: Record<string, unknown> = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['to'],
      allOf: [
        {
          // A passthrough route cannot have a path.
          anyOf: [
            { properties: { path: { maxLength: 0 } } },
            { properties: { tls: { enum: [null] } } },
            {
              not: {
                properties: {
                  tls: {
                    properties: { termination: { enum: ['passthrough'] } },
                  },
                },
              },
            },
          ],
        },
        {
          // A Subdomain wildcard policy needs a host.
          anyOf: [
            { not: { properties: { host: { maxLength: 0 } } } },
            {
              not: { properties: { wildcardPolicy: { enum: ['Subdomain'] } } },
            },
          ],
        },
      ],
      properties: {
        host: { type: 'string', maxLength: 253, pattern: dnsSubdomain },
        subdomain: { type: 'string', maxLength: 253, pattern: dnsSubdomain },
        path: { type: 'string', pattern: '^/' },
        to: targetReference,
        alternateBackends: {
          type: 'array',
          maxItems: 3,
          items: targetReference,
        },
        port: {
          type: 'object',
          required: ['targetPort'],
          properties: {
            targetPort: {
              'x-kubernetes-int-or-string': true,
              allOf: [{ not: { enum: [0] } }, { not: { enum: [''] } }],
            },
          },
        },
        tls: {
          type: 'object',
          required: ['termination'],
          allOf: [
            {
              // passthrough carries no certificates: the backend terminates TLS.
              anyOf: [
                {
                  properties: {
                    caCertificate: { maxLength: 0 },
                    certificate: { maxLength: 0 },
                    destinationCACertificate: { maxLength: 0 },
                    key: { maxLength: 0 },
                  },
                },
                {
                  not: {
                    properties: { termination: { enum: ['passthrough'] } },
                  },
                },
              ],
            },
            {
              // edge talks plain HTTP to the backend: no destination CA.
              anyOf: [
                { properties: { destinationCACertificate: { maxLength: 0 } } },
                { not: { properties: { termination: { enum: ['edge'] } } } },
              ],
            },
          ],
          properties: {
            termination: {
              type: 'string',
              enum: ['edge', 'reencrypt', 'passthrough'],
            },
            insecureEdgeTerminationPolicy: {
              type: 'string',
              enum: ['Allow', 'None', 'Redirect', ''],
            },
            certificate: { type: 'string' },
            key: { type: 'string' },
            caCertificate: { type: 'string' },
            destinationCACertificate: { type: 'string' },
            externalCertificate: {
              type: 'object',
              properties: { name: { type: 'string' } },
              'x-kubernetes-map-type': 'atomic',
            },
          },
          'x-kubernetes-validations': [
            {
              message:
                'cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow',
              rule: "has(self.termination) && has(self.insecureEdgeTerminationPolicy) ? !((self.termination=='passthrough') && (self.insecureEdgeTerminationPolicy=='Allow')) : true",
            },
            {
              message:
                'cannot have both spec.tls.certificate and spec.tls.externalCertificate',
              rule: '!(has(self.certificate) && has(self.externalCertificate))',
            },
          ],
        },
        wildcardPolicy: {
          type: 'string',
          default: 'None',
          enum: ['None', 'Subdomain', ''],
        },
        httpHeaders: {
          type: 'object',
          properties: {
            actions: {
              type: 'object',
              properties: {
                request: headerActions('req'),
                response: headerActions('res'),
              },
            },
          },
        },
      },
      'x-kubernetes-validations': [
        {
          message:
            'header actions are not permitted when tls termination is passthrough.',
          rule: "!has(self.tls) || self.tls.termination != 'passthrough' || !has(self.httpHeaders)",
        },
      ],
    },
    status: {
      type: 'object',
      properties: {
        ingress: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              host: { type: 'string' },
              routerCanonicalHostname: { type: 'string' },
              routerName: { type: 'string' },
              wildcardPolicy: { type: 'string' },
              conditions: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['status', 'type'],
                  properties: {
                    lastTransitionTime: { type: 'string', format: 'date-time' },
                    message: { type: 'string' },
                    reason: { type: 'string' },
                    status: { type: 'string' },
                    type: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
