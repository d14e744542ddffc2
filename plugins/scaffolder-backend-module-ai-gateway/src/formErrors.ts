import { InputError } from '@backstage/errors';
import type {
  FieldIssue,
  ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** What a form writes: a control-plane object, or a budget. */
export type FormKind = ResourceKind | 'budget';

/**
 * The words the suite's templates (templates/*.yaml) give the fields of each
 * kind, by the field's path in the REST API's body; list indexes are written
 * `[]`. A field without an entry is named by its closest labelled parent.
 */
const FIELD_LABELS: Record<FormKind, Record<string, string>> = {
  project: {},
  pool: {
    name: 'Pool name',
    description: 'Description',
    project: 'Project',
    cluster: 'Cluster',
    'cluster.name': 'Cluster',
    'cluster.type': 'Cluster type',
    namespace: 'Namespace',
    serviceAccount: 'Operator service account',
    resources: 'Resources',
    'resources.requests.cpu': 'CPU request',
    'resources.requests.memory': 'Memory request',
    'resources.limits.cpu': 'CPU limit',
    'resources.limits.memory': 'Memory limit',
    replicas: 'Gateway replicas',
    maxReplicas: 'Maximum replicas (autoscaling)',
    redis: 'Redis',
    'redis.host': 'Redis host',
    'redis.port': 'Redis port',
    'redis.tls': 'TLS',
    'redis.passwordSecretRef': 'Secret holding the password',
    'redis.passwordSecretRef.key': 'Key in that Secret',
    'images.operator': 'Operator image',
    'images.gateway': 'Gateway image',
    'images.registryCredentialsSecret': 'Registry credentials secret',
    annotations: 'Annotations',
    ingress: 'How traffic reaches the gateway',
    'ingress[].className': 'Ingress class / gateway / entry point',
    tls: 'Certificate',
    'tls.issuer': 'Issuer',
    'tls.email': 'Email',
    'tls.dns01.provider': 'DNS provider',
    'tls.dns01.dnsZone': 'DNS zone',
    'tls.dns01.credentialsSecretRef': 'Secret with the DNS API token',
    'tls.dns01.credentialsSecretRef.key': 'Key in that Secret',
    'tls.wildcardSecretName': 'Wildcard certificate Secret',
    domains: 'Base domain',
    'domains.baseDomain': 'Base domain',
    'domains.separator': 'Separator',
    siem: 'SIEM export',
    'siem.endpoint': 'SIEM export',
    'siem.secretRef': "Secret with the SIEM endpoint's token",
    'siem.secretRef.key': 'Key in that Secret',
    delivery: 'How the pool is driven',
    heartbeatStaleSeconds: 'Stale after (seconds without heartbeat)',
  },
  mcpServer: {
    name: 'Name',
    description: 'Description',
    project: 'Project',
    pool: 'Pool',
    prefix: 'Path prefix',
    transport: 'Transport',
    tools: 'Allowed tools',
    source: 'Source',
    'source.image': 'Image',
    'source.port': 'Port',
    'source.url': 'URL',
  },
  aiBackend: {
    name: 'Name',
    description: 'Description',
    project: 'Project',
    pool: 'Pool',
    'spec.groups': 'Provider groups',
    'spec.groups[].providers': 'Providers of this group',
    'spec.groups[].providers[].name': 'Provider name',
    'spec.groups[].providers[].type': 'Provider',
    'spec.groups[].providers[].model': 'Model',
    'spec.groups[].providers[].baseUrl': 'Base URL',
    'spec.groups[].providers[].region': 'Region (Bedrock)',
    'spec.groups[].providers[].deployment': 'Deployment (Azure OpenAI)',
    'spec.groups[].providers[].gcpProject': 'Google Cloud project (Vertex AI)',
    'spec.groups[].providers[].location': 'Location (Vertex AI)',
    'spec.groups[].providers[].credentialsSecretRef': 'API key Secret',
    'spec.groups[].providers[].credentialsSecretRef.key': 'Key',
    'spec.models': 'Model names it serves',
  },
  policy: {
    name: 'Policy name',
    project: 'Project',
    pool: 'Pool',
    'target.kind': 'Attach to',
    'target.name': 'MCP server or AI backend',
    rateLimit: 'Rate limit',
    'rateLimit.unit': 'Rate limit per',
    'rateLimit.requests': 'Limit',
    'rateLimit.tokens': 'Limit',
    promptGuard: 'Reject prompts containing',
    timeouts: 'Request timeout (seconds)',
    retries: 'Retries',
  },
  budget: {
    name: 'Budget name',
    description: 'Description',
    scope: 'What the budget limits',
    'scope.name': 'Team, project or AI backend',
    window: 'Window',
    limit: 'Limit',
    'limit.usd': 'Limit (US dollars)',
    'limit.tokens': 'Limit (tokens)',
    softThresholds: 'Notify the owners at',
    softThresholdsPercent: 'Notify the owners at',
    onExceeded: 'When the limit is reached',
    'onExceeded.model': 'Cheaper model',
  },
};

/** `groups[0].providers[1].model` → `groups[].providers[].model`. */
const generalised = (field: string) => field.replace(/\[\d+\]/g, '[]');

/** The parent of a field path, or undefined at the top. */
function parentOf(field: string): string | undefined {
  const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
  return cut > 0 ? field.slice(0, cut) : undefined;
}

/** The form's words for a field of `kind`, if the templates name it. */
export function fieldLabel(
  kind: FormKind | undefined,
  field: string,
): string | undefined {
  if (!kind) return undefined;
  const labels = FIELD_LABELS[kind];
  for (
    let path: string | undefined = generalised(field);
    path;
    path = parentOf(path)
  ) {
    if (Object.hasOwn(labels, path)) return labels[path];
  }
  return undefined;
}

/** "CPU request (resources.requests.cpu): must be …", one per issue. */
export function describeIssues(
  kind: FormKind | undefined,
  issues: FieldIssue[],
): string {
  return issues
    .map(issue => {
      if (!issue.field) return issue.message;
      const label = fieldLabel(kind, issue.field);
      return `${label ? `${label} (${issue.field})` : issue.field}: ${
        issue.message
      }`;
    })
    .join('; ');
}

/**
 * The task's failure for input the control plane refuses: an InputError that
 * names each field in the form's words, with the issues attached. The
 * scaffolder writes a failed step's `stack` to the task log; for input
 * errors the frames only bury the message, so the stack is the message.
 */
export function formInputError(
  kind: FormKind | undefined,
  issues: FieldIssue[],
  what = 'Check these fields of the form',
): InputError & { issues: FieldIssue[] } {
  const error = Object.assign(
    new InputError(`${what}: ${describeIssues(kind, issues)}`),
    { issues },
  );
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
