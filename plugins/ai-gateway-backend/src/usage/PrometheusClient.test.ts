import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';

type Handler = (
  req: IncomingMessage & { body: string },
  res: ServerResponse,
) => void;

/** A stand-in for Prometheus's HTTP API that answers with `handler` and records requests. */
async function fakePrometheus(handler: Handler) {
  const requests: Array<{
    url?: string;
    headers: IncomingMessage['headers'];
    body: string;
  }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      requests.push({ url: req.url, headers: req.headers, body });
      handler(Object.assign(req, { body }), res);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise(r => server.close(r)),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify(body));

const vector = (value: string) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [{ metric: { team: 'a' }, value: [1, value] }],
  },
});

describe('PrometheusClient', () => {
  let server: Awaited<ReturnType<typeof fakePrometheus>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts the query with the time and reads a vector', async () => {
    server = await fakePrometheus((_req, res) =>
      json(res, 200, vector('42.5')),
    );
    const client = new PrometheusClient({ url: `${server.url}/` });
    const samples = await client.query('sum(x)', new Date(1_700_000_000_500));
    expect(samples).toEqual([{ metric: { team: 'a' }, value: 42.5 }]);
    expect(server.requests[0].url).toBe('/api/v1/query');
    expect(
      Object.fromEntries(new URLSearchParams(server.requests[0].body)),
    ).toEqual({
      query: 'sum(x)',
      time: '1700000000.500',
    });
  });

  it('reads a matrix from query_range', async () => {
    server = await fakePrometheus((_req, res) =>
      json(res, 200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: [
                [10, '1'],
                [20, '3'],
              ],
            },
          ],
        },
      }),
    );
    const client = new PrometheusClient({ url: server.url });
    const series = await client.queryRange(
      'x',
      new Date(10_000),
      new Date(20_000),
      10,
    );
    expect(series).toEqual([
      {
        metric: {},
        values: [
          [10, 1],
          [20, 3],
        ],
      },
    ]);
    expect(server.requests[0].url).toBe('/api/v1/query_range');
    expect(new URLSearchParams(server.requests[0].body).get('step')).toBe('10');
  });

  it('sends a bearer token, or basic auth, and extra headers', async () => {
    server = await fakePrometheus((_req, res) => json(res, 200, vector('1')));
    await new PrometheusClient({
      url: server.url,
      auth: { bearerToken: 'tok' },
      headers: { 'X-Scope-OrgID': 'tenant-1' },
    }).query('x');
    await new PrometheusClient({
      url: server.url,
      auth: { username: 'u', password: 'p:w' },
    }).query('x');
    expect(server.requests[0].headers.authorization).toBe('Bearer tok');
    expect(server.requests[0].headers['x-scope-orgid']).toBe('tenant-1');
    expect(server.requests[1].headers.authorization).toBe(
      `Basic ${Buffer.from('u:p:w').toString('base64')}`,
    );
  });

  it('names the URL when Prometheus is unreachable, after retrying', async () => {
    server = await fakePrometheus(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    const client = new PrometheusClient({
      url,
      retries: 1,
      minRetryDelayMs: 1,
    });
    const error = await client.query('x').catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain(`Prometheus at ${url} is unreachable`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('aiGateway.metrics');
  });

  it('gives up after the timeout', async () => {
    server = await fakePrometheus(() => {
      /* never answers */
    });
    const client = new PrometheusClient({
      url: server.url,
      timeoutMs: 100,
      retries: 0,
    });
    await expect(client.query('x')).rejects.toThrow(
      `Prometheus at ${server.url} is unreachable: no answer within 100 ms`,
    );
  });

  it('retries transient answers and then succeeds', async () => {
    let calls = 0;
    server = await fakePrometheus((_req, res) => {
      calls += 1;
      if (calls < 3)
        json(res, 503, {
          status: 'error',
          errorType: 'unavailable',
          error: 'starting',
        });
      else json(res, 200, vector('7'));
    });
    const client = new PrometheusClient({
      url: server.url,
      retries: 2,
      minRetryDelayMs: 1,
    });
    expect((await client.query('x'))[0].value).toBe(7);
    expect(calls).toBe(3);
  });

  it('does not retry refused credentials and says what to check', async () => {
    server = await fakePrometheus((_req, res) =>
      res.writeHead(401).end('Unauthorized'),
    );
    const client = new PrometheusClient({
      url: server.url,
      retries: 3,
      minRetryDelayMs: 1,
    });
    const error = await client.query('x').catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `Prometheus at ${server.url} refused the backend's credentials (HTTP 401). Check the token or user name and password of aiGateway.metrics.`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('reports a query Prometheus rejects as bad input, with its message and the query', async () => {
    server = await fakePrometheus((_req, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'exceeded maximum resolution of 11,000 points per timeseries',
      }),
    );
    const client = new PrometheusClient({
      url: server.url,
      retries: 3,
      minRetryDelayMs: 1,
    });
    const error = await client.query('sum(y)').catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Prometheus at ${server.url} did not answer /api/v1/query (bad_data: exceeded maximum resolution of 11,000 points per timeseries); query: sum(y)`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('says when the URL is not the Prometheus API', async () => {
    server = await fakePrometheus((_req, res) =>
      res
        .writeHead(404, { 'content-type': 'text/html' })
        .end('<html><body>Grafana</body></html>'),
    );
    const client = new PrometheusClient({ url: server.url, retries: 0 });
    const error = await client.query('x').catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `Prometheus at ${server.url} did not answer /api/v1/query (HTTP 404 Not Found, not the Prometheus API (<html><body>Grafana</body></html>)). Check that aiGateway.metrics (prometheus.url) points at Prometheus's HTTP API.`,
    );
  });
});
