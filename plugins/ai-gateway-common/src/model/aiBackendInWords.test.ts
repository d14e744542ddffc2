import { providerTypeLabels, providerTypes } from './aiBackend';
import { providerGroupsInWords, providerInWords } from './aiBackendInWords';

describe('providerInWords', () => {
  it('names the type, the model and where the API key comes from', () => {
    expect(
      providerInWords({
        name: 'openai-main',
        type: 'openai',
        model: 'gpt-4o',
        credentialsSecretRef: { name: 'openai-key', key: 'api-key' },
      }),
    ).toBe(
      'openai-main (OpenAI, model gpt-4o, API key from Secret openai-key/api-key)',
    );
  });

  it('says what each type runs on, and that a missing model is the client’s', () => {
    expect(
      providerInWords({
        name: 'azure',
        type: 'azure-openai',
        baseUrl: 'https://my.openai.azure.com',
        deployment: 'gpt-4o-prod',
        apiVersion: '2024-10-21',
        credentialsSecretRef: { name: 'azure', key: 'api-key' },
      }),
    ).toBe(
      'azure (Azure OpenAI at https://my.openai.azure.com, deployment gpt-4o-prod, API version 2024-10-21, API key from Secret azure/api-key)',
    );
    expect(
      providerInWords({ name: 'b', type: 'bedrock', region: 'eu-central-1' }),
    ).toBe(
      "b (Amazon Bedrock, region eu-central-1, the client's model, the cloud's workload identity, no API key)",
    );
    expect(
      providerInWords({
        name: 'v',
        type: 'vertex-ai',
        gcpProject: 'research',
        location: 'europe-west4',
        model: 'gemini-1.5-pro',
      }),
    ).toBe(
      "v (Google Vertex AI, project research, location europe-west4, model gemini-1.5-pro, the cloud's workload identity, no API key)",
    );
    expect(
      providerInWords({
        name: 'local',
        type: 'custom',
        baseUrl: 'http://vllm:8000/v1',
      }),
    ).toBe(
      "local (Custom (OpenAI-compatible) at http://vllm:8000/v1, the client's model, no API key)",
    );
  });

  it('reads a provider that is still being filled in', () => {
    expect(providerInWords({ type: 'anthropic' })).toBe(
      "unnamed provider (Anthropic, the client's model, no API key Secret yet)",
    );
    expect(
      providerInWords({ name: 'x', credentialsSecretRef: { name: 'k' } }),
    ).toBe(
      "x (no provider type yet, the client's model, API key from Secret k/…)",
    );
  });

  it('has a label for every provider type', () => {
    expect(Object.keys(providerTypeLabels)).toEqual([...providerTypes]);
    for (const type of providerTypes) {
      expect(providerInWords({ name: 'p', type })).toContain(
        `p (${providerTypeLabels[type]}`,
      );
    }
  });
});

describe('providerGroupsInWords', () => {
  it('reads one line per group in priority order', () => {
    expect(
      providerGroupsInWords([
        {
          providers: [
            {
              name: 'a',
              type: 'openai',
              credentialsSecretRef: { name: 's', key: 'k' },
            },
            {
              name: 'b',
              type: 'anthropic',
              credentialsSecretRef: { name: 's', key: 'k2' },
            },
          ],
        },
        { providers: [{ name: 'c', type: 'bedrock', region: 'us-east-1' }] },
        { providers: [] },
      ]),
    ).toEqual([
      "Group 1 takes the traffic, shared by health and latency: a (OpenAI, the client's model, API key from Secret s/k); b (Anthropic, the client's model, API key from Secret s/k2)",
      "Group 2 takes over when group 1 fails: c (Amazon Bedrock, region us-east-1, the client's model, the cloud's workload identity, no API key)",
      'Group 3 takes over when group 2 fails: no provider yet',
    ]);
  });

  it('reads nothing when there are no groups', () => {
    expect(providerGroupsInWords(undefined)).toEqual([]);
    expect(providerGroupsInWords([null, {}])).toEqual([
      'Group 1 takes the traffic: no provider yet',
      'Group 2 takes over when group 1 fails: no provider yet',
    ]);
  });
});
