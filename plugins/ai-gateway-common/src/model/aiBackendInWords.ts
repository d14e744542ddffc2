import {
  providersWithoutKey,
  providerTypeLabels,
  type ProviderType,
} from './aiBackend';

/**
 * A provider of an AI backend as a form holds it while it is filled in:
 * any part may still be missing.
 *
 * @public
 */
export type ProviderDraft = {
  name?: string;
  type?: string;
  model?: string;
  baseUrl?: string;
  region?: string;
  gcpProject?: string;
  location?: string;
  deployment?: string;
  apiVersion?: string;
  credentialsSecretRef?: { name?: string; key?: string };
};

/**
 * A provider group as a form holds it while it is filled in.
 *
 * @public
 */
export type ProviderGroupDraft = { providers?: Array<ProviderDraft | null> };

const isProviderType = (type: string | undefined): type is ProviderType =>
  !!type && Object.hasOwn(providerTypeLabels, type);

/** Where the provider's API key comes from, in words. */
function credentialsInWords(p: ProviderDraft): string {
  const ref = p.credentialsSecretRef;
  if (ref?.name || ref?.key) {
    return `API key from Secret ${ref.name || '…'}/${ref.key || '…'}`;
  }
  if (p.type === 'custom') return 'no API key';
  if (isProviderType(p.type) && providersWithoutKey.has(p.type)) {
    return "the cloud's workload identity, no API key";
  }
  return 'no API key Secret yet';
}

/**
 * One provider in words, with every value it holds, such as
 * `openai-main (OpenAI, model gpt-4o, API key from Secret openai-key/api-key)`.
 *
 * @public
 */
export function providerInWords(p: ProviderDraft): string {
  const label = isProviderType(p.type)
    ? providerTypeLabels[p.type]
    : p.type || 'no provider type yet';
  const parts = [p.baseUrl ? `${label} at ${p.baseUrl}` : label];
  if (p.region) parts.push(`region ${p.region}`);
  if (p.gcpProject) parts.push(`project ${p.gcpProject}`);
  if (p.location) parts.push(`location ${p.location}`);
  if (p.deployment) parts.push(`deployment ${p.deployment}`);
  if (p.apiVersion) parts.push(`API version ${p.apiVersion}`);
  if (p.model) parts.push(`model ${p.model}`);
  // An Azure OpenAI deployment decides the model itself.
  else if (p.type !== 'azure-openai') parts.push("the client's model");
  parts.push(credentialsInWords(p));
  return `${p.name || 'unnamed provider'} (${parts.join(', ')})`;
}

/**
 * How an AI backend routes, one line per provider group in priority order:
 * `Group 1 takes the traffic: …`, `Group 2 takes over when group 1 fails: …`.
 *
 * @public
 */
export function providerGroupsInWords(
  groups: Array<ProviderGroupDraft | null> | undefined,
): string[] {
  return (groups ?? []).map((group, i) => {
    const providers = (group?.providers ?? []).filter(
      (p): p is ProviderDraft => !!p,
    );
    const who = providers.length
      ? providers.map(providerInWords).join('; ')
      : 'no provider yet';
    const shared = providers.length > 1 ? ', shared by health and latency' : '';
    return i === 0
      ? `Group 1 takes the traffic${shared}: ${who}`
      : `Group ${i + 1} takes over when group ${i} fails${shared}: ${who}`;
  });
}
