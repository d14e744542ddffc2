/**
 * Valid inputs of every kind, shared by the tests. Not exported from the
 * package.
 */
import type { z } from 'zod';
import { formatZodIssues, type FieldIssue } from './validation';

/** The field-level issues of parsing `input` (none when it is valid). */
export function issuesOf(schema: z.ZodType, input: unknown): FieldIssue[] {
  const result = schema.safeParse(input);
  return result.success ? [] : formatZodIssues(result.error);
}

export const validProject = {
  name: 'payments',
  title: 'Payments',
  owner: 'group:default/team-payments',
};

export const validPool = {
  name: 'prod-eu',
  project: 'payments',
  cluster: { name: 'prod-eu-eks', type: 'eks' },
  namespace: 'aigw',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
};

export const fullPool = {
  ...validPool,
  description: 'Production gateway',
  serviceAccount: 'aigw-operator',
  resources: {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '1', memory: '1Gi' },
  },
  replicas: 2,
  maxReplicas: 10,
  redis: {
    mode: 'manual',
    host: 'cache.example.com',
    passwordSecretRef: { name: 'redis', key: 'password' },
    tls: true,
  },
  images: {
    operator: 'registry.example.com/aigw/operator:1.0.0',
    registryCredentialsSecret: 'regcred',
  },
  annotations: { 'example.com/team': 'payments' },
  ingress: [
    { kind: 'kubernetes-ingress', className: 'nginx' },
    { kind: 'gateway-api', tls: false },
  ],
  tls: {
    mode: 'letsencrypt',
    issuer: 'production',
    email: 'platform@example.com',
    dns01: {
      provider: 'cloudflare',
      dnsZone: 'example.com',
      credentialsSecretRef: { name: 'cloudflare', key: 'api-token' },
    },
  },
  domains: { baseDomain: 'ai.example.com', separator: '-' },
  siem: { endpoint: 'https://siem.example.com/ingest', format: 'otlp' },
  delivery: {
    mode: 'gitops',
    repoUrl: 'https://git.example.com/aigw',
    path: 'clusters/prod',
  },
  heartbeatStaleSeconds: 600,
};

export const validMcpServer = {
  name: 'github',
  project: 'payments',
  pool: 'prod-eu',
  prefix: 'github',
  source: {
    type: 'image',
    image: 'ghcr.io/github/github-mcp-server:0.9.0',
    env: { GITHUB_HOST: 'github.com' },
    secretEnv: [
      { name: 'GITHUB_TOKEN', secretRef: { name: 'github', key: 'token' } },
    ],
  },
  tools: { allow: ['get_issue'] },
};

export const openai = {
  name: 'openai',
  type: 'openai',
  model: 'gpt-4o',
  credentialsSecretRef: { name: 'openai', key: 'api-key' },
};

export const validAiBackend = {
  name: 'llm',
  project: 'payments',
  pool: 'prod-eu',
  spec: {
    kind: 'ai',
    groups: [
      {
        providers: [
          openai,
          {
            name: 'claude',
            type: 'anthropic',
            credentialsSecretRef: { name: 'anthropic', key: 'api-key' },
          },
        ],
      },
      {
        providers: [
          { name: 'bedrock', type: 'bedrock', region: 'eu-central-1' },
        ],
      },
    ],
    models: ['gpt-4o', 'claude-sonnet-4-5'],
  },
};

export const validPolicy = {
  name: 'token-budget',
  project: 'payments',
  pool: 'prod-eu',
  target: { kind: 'backend', name: 'llm' },
  rateLimit: { unit: 'minute', tokens: 100000, models: { 'gpt-4o': 50000 } },
};
