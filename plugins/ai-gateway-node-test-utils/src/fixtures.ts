/**
 * Valid request bodies for the tests, in the shapes of the common schemas.
 * Each builder takes overrides so a test states only what it is about.
 *
 * @public
 */
export const aProject = (name: string, owner: string, extra: object = {}) => ({
  name,
  title: `Project ${name}`,
  owner,
  ...extra,
});

/** @public */
export const aPool = (name: string, project: string, extra: object = {}) => ({
  name,
  project,
  description: `Pool ${name}`,
  cluster: { name: 'prod-eu', type: 'eks' },
  namespace: `aigw-${name}`,
  redis: { mode: 'auto' },
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
  delivery: { mode: 'agent' },
  ...extra,
});

/** @public */
export const anMcpServer = (
  name: string,
  project: string,
  pool: string,
  extra: object = {},
) => ({
  name,
  project,
  pool,
  prefix: name,
  source: { type: 'remote', url: `https://mcp.example.com/${name}` },
  ...extra,
});

/** @public */
export const anAiBackend = (
  name: string,
  project: string,
  pool: string,
  extra: object = {},
) => ({
  name,
  project,
  pool,
  spec: {
    kind: 'ai',
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            model: 'gpt-4o',
            credentialsSecretRef: { name: 'openai', key: 'api-key' },
          },
        ],
      },
    ],
    models: ['gpt-4o'],
  },
  ...extra,
});

/** @public */
export const aPolicy = (
  name: string,
  project: string,
  pool: string,
  target: { kind: 'gateway' | 'route' | 'backend'; name: string },
  extra: object = {},
) => ({
  name,
  project,
  pool,
  target,
  rateLimit: { unit: 'minute', requests: 100 },
  ...extra,
});
