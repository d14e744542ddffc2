import { aiGatewayKinds } from '../model/resourceKinds';
import { AiGatewayRestClient, kindOperations } from '.';

describe('kindOperations', () => {
  const calls: string[] = [];
  const api = new AiGatewayRestClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backstage/api/${id}`,
    },
    fetchApi: {
      fetch: (async (url: string, init: RequestInit) => {
        const auth = new Headers(init.headers).get('authorization');
        calls.push(
          `${init.method} ${url}${init.body ? ` ${init.body}` : ''}${
            auth ? ` (${auth})` : ''
          }`,
        );
        return new Response('{}');
      }) as typeof fetch,
    },
  });

  it.each(aiGatewayKinds.map(d => [d.kind, d.plural] as const))(
    "calls %s's generated operations at /%s",
    async (kind, plural) => {
      calls.length = 0;
      const ops = kindOperations(api, kind);
      await ops.list({ limit: 2, cursor: 'YQ' }, { token: 't' });
      await ops.get('a b');
      await ops.create({ name: 'x' });
      await ops.events('x', { limit: 5 });
      const base = `http://backstage/api/ai-gateway/${plural}`;
      expect(calls).toEqual([
        `GET ${base}?limit=2&cursor=YQ (Bearer t)`,
        `GET ${base}/a%20b`,
        `POST ${base} {"name":"x"}`,
        `GET ${base}/x/events?limit=5`,
      ]);
    },
  );

  it("passes a kind's filters on", async () => {
    calls.length = 0;
    await kindOperations(api, 'mcpServer').list({ pool: 'prod', prefix: 'gh' });
    await kindOperations(api, 'project').list({
      owner: 'group:default/team-a',
    });
    expect(calls).toEqual([
      'GET http://backstage/api/ai-gateway/mcp-servers?pool=prod&prefix=gh',
      'GET http://backstage/api/ai-gateway/projects?owner=group%3Adefault%2Fteam-a',
    ]);
  });
});
