import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubernetesFaultProxy } from './KubernetesFaultProxy';

/** A self-signed certificate for 127.0.0.1 (its own CA), as kube-apiserver makes one. */
function selfSignedCertificate(dir: string, name: string) {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

type Received = {
  method: string;
  url: string;
  authorization?: string;
  body: string;
};

/**
 * A stand-in API server over TLS: answers a ConfigMap for any GET, echoes
 * what it received for other methods, and streams a watch (`?watch=1`):
 * headers at once, events when the test sends them.
 */
async function startTarget(tls: { key: Buffer; cert: Buffer }) {
  const received: Received[] = [];
  const watches = new Set<(line: string) => void>();
  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const entry: Received = {
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      const url = new URL(req.url!, 'https://target');
      if (url.searchParams.get('watch') === '1') {
        // As the API server does: headers at once, events when they happen.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        const send = (line: string) => res.write(`${line}\n`);
        watches.add(send);
        res.on('close', () => watches.delete(send));
        return;
      }
      const name = url.pathname.split('/').pop();
      const body =
        req.method === 'GET'
          ? {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name, namespace: 'ns' },
              data: { authorization: req.headers.authorization ?? '' },
            }
          : entry;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caData: tls.cert.toString('base64'),
    received,
    /** Sends a line on every open watch. */
    event: (line: string) => watches.forEach(send => send(line)),
    openWatches: () => watches.size,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function failureOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException)
      return {
        code: error.code,
        headers: error.headers,
        status:
          typeof error.body === 'string' ? JSON.parse(error.body) : error.body,
      };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Reads a streamed response until `done` says it has what it waits for. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) throw new Error(`stream ended after ${JSON.stringify(text)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('KubernetesFaultProxy', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fault-proxy-'));
  const tls = selfSignedCertificate(dir, 'target');
  let target: Awaited<ReturnType<typeof startTarget>>;
  let proxy: KubernetesFaultProxy;

  beforeEach(async () => {
    target = await startTarget(tls);
    proxy = await KubernetesFaultProxy.start({
      target: { url: target.url, caData: target.caData },
    });
  });
  afterEach(async () => {
    await proxy.stop();
    await target.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const configMaps = () =>
    proxy.kubeConfig('token-of-the-client').makeApiClient(CoreV1Api);

  it("forwards to the API server over TLS with its CA: path, query, body and the client's own Authorization", async () => {
    const read = await configMaps().readNamespacedConfigMap({
      name: 'a',
      namespace: 'ns',
    });
    expect(read.data).toEqual({ authorization: 'Bearer token-of-the-client' });

    const patched = await fetch(
      `${proxy.url}/api/v1/namespaces/ns/configmaps/a?fieldManager=m&force=true`,
      {
        method: 'PATCH',
        headers: {
          Authorization: 'Bearer other',
          'Content-Type': 'application/apply-patch+yaml',
        },
        body: '{"data":{"k":"v"}}',
      },
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({
      method: 'PATCH',
      url: '/api/v1/namespaces/ns/configmaps/a?fieldManager=m&force=true',
      authorization: 'Bearer other',
      body: '{"data":{"k":"v"}}',
    });
    expect(proxy.requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/namespaces/ns/configmaps/a',
        status: 200,
      },
      {
        method: 'PATCH',
        path: '/api/v1/namespaces/ns/configmaps/a',
        query: 'fieldManager=m&force=true',
        status: 200,
      },
    ]);
  });

  it('does not forward to a server whose certificate its CA does not sign', async () => {
    const other = selfSignedCertificate(dir, 'other');
    const strict = await KubernetesFaultProxy.start({
      target: { url: target.url, caData: other.cert.toString('base64') },
    });
    try {
      const failure = await failureOf(
        strict
          .kubeConfig('t')
          .makeApiClient(CoreV1Api)
          .readNamespacedConfigMap({ name: 'a', namespace: 'ns' }),
      );
      expect(failure).toMatchObject({
        code: 502,
        status: {
          kind: 'Status',
          code: 502,
          message: expect.stringMatching(
            new RegExp(`^the fault proxy cannot reach ${target.url}: .+`),
          ),
        },
      });
      expect(target.received).toEqual([]);
    } finally {
      await strict.stop();
    }
  });

  it('answers the next matching requests with a Status and forwards the rest', async () => {
    proxy.failNext(2, {
      code: 409,
      message: 'the object has been modified',
      matching: { method: 'get', kind: 'ConfigMap', name: 'a' },
    });
    const api = configMaps();
    // Another name and discovery do not match.
    await expect(
      api.readNamespacedConfigMap({ name: 'b', namespace: 'ns' }),
    ).resolves.toMatchObject({ metadata: { name: 'b' } });
    expect((await fetch(`${proxy.url}/api/v1`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect(
        await failureOf(
          api.readNamespacedConfigMap({ name: 'a', namespace: 'ns' }),
        ),
      ).toMatchObject({
        code: 409,
        status: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Conflict',
          message: 'the object has been modified',
          details: { name: 'a', group: '', kind: 'configmaps' },
          code: 409,
        },
      });
    }
    await expect(
      api.readNamespacedConfigMap({ name: 'a', namespace: 'ns' }),
    ).resolves.toMatchObject({ metadata: { name: 'a' } });
    expect(target.received.map(r => r.url)).toEqual([
      '/api/v1/namespaces/ns/configmaps/b',
      '/api/v1',
      '/api/v1/namespaces/ns/configmaps/a',
    ]);
    expect(
      proxy.requests.map(r => [r.path, r.status, r.injected ?? false]),
    ).toEqual([
      ['/api/v1/namespaces/ns/configmaps/b', 200, false],
      ['/api/v1', 200, false],
      ['/api/v1/namespaces/ns/configmaps/a', 409, true],
      ['/api/v1/namespaces/ns/configmaps/a', 409, true],
      ['/api/v1/namespaces/ns/configmaps/a', 200, false],
    ]);
  });

  it("matches a kind by Kubernetes' own plural, a resource as written, and a namespace; 429 says when to retry", async () => {
    proxy.failNext(1, { code: 429, matching: { kind: 'NetworkPolicy' } });
    proxy.failNext(1, {
      code: 500,
      matching: { resource: 'endpoints', namespace: 'ns' },
    });
    const policy = await fetch(
      `${proxy.url}/apis/networking.k8s.io/v1/namespaces/ns/networkpolicies/p`,
    );
    expect(policy.status).toBe(429);
    expect(policy.headers.get('retry-after')).toBe('1');
    expect(await policy.json()).toMatchObject({
      reason: 'TooManyRequests',
      message: 'injected failure (429)',
      details: {
        name: 'p',
        group: 'networking.k8s.io',
        kind: 'networkpolicies',
        retryAfterSeconds: 1,
      },
    });
    // Another namespace does not match; then the one asked for does.
    expect(
      (await fetch(`${proxy.url}/api/v1/namespaces/other/endpoints`)).status,
    ).toBe(200);
    const endpoints = await fetch(
      `${proxy.url}/api/v1/namespaces/ns/endpoints`,
    );
    expect(endpoints.status).toBe(500);
    expect(await endpoints.json()).toMatchObject({ reason: 'InternalError' });
    // Both faults are used up.
    expect(
      (await fetch(`${proxy.url}/api/v1/namespaces/ns/endpoints`)).status,
    ).toBe(200);
  });

  it('holds matching requests back; one whose client gives up never reaches the server', async () => {
    proxy.delayNext(1, 300, { method: 'GET', name: 'slow' });
    const started = Date.now();
    await configMaps().readNamespacedConfigMap({
      name: 'slow',
      namespace: 'ns',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const fast = Date.now();
    await configMaps().readNamespacedConfigMap({
      name: 'slow',
      namespace: 'ns',
    });
    expect(Date.now() - fast).toBeLessThan(300);

    proxy.delayNext(1, 5_000, { name: 'abandoned' });
    await expect(
      fetch(`${proxy.url}/api/v1/namespaces/ns/configmaps/abandoned`, {
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(target.received.map(r => r.url)).toEqual([
      '/api/v1/namespaces/ns/configmaps/slow',
      '/api/v1/namespaces/ns/configmaps/slow',
    ]);
    expect(proxy.requests.map(r => [r.status, r.delayedMs])).toEqual([
      [200, 300],
      [200, undefined],
      [0, 5_000],
    ]);
  });

  it('streams a watch as the server sends it and ends it when the client leaves', async () => {
    const abort = new AbortController();
    const watch = await fetch(
      `${proxy.url}/api/v1/namespaces/ns/configmaps?watch=1`,
      { signal: abort.signal },
    );
    // Answered before any event, as a watch client expects.
    expect(watch.status).toBe(200);
    const reader = watch.body!.getReader();
    for (const n of [1, 2]) {
      target.event(`{"type":"ADDED","object":{"n":${n}}}`);
      expect(await readUntil(reader, t => t.includes('\n'))).toBe(
        `{"type":"ADDED","object":{"n":${n}}}\n`,
      );
    }
    expect(target.openWatches()).toBe(1);
    abort.abort();
    for (let i = 0; i < 50 && target.openWatches(); i++)
      await new Promise(resolve => setTimeout(resolve, 20));
    expect(target.openWatches()).toBe(0);
  });

  it('unreachable: refuses connections and cuts open watches; reachable again on the same URL', async () => {
    const watch = await fetch(
      `${proxy.url}/api/v1/namespaces/ns/configmaps?watch=1`,
    );
    const reader = watch.body!.getReader();
    target.event('{"type":"ADDED"}');
    await readUntil(reader, t => t.includes('\n'));

    await proxy.setUnreachable(true);
    await expect(reader.read()).rejects.toThrow();
    const refused = await configMaps()
      .readNamespacedConfigMap({ name: 'a', namespace: 'ns' })
      .then(
        () => undefined,
        error => error,
      );
    expect(String(refused?.cause?.code ?? refused?.code)).toBe('ECONNREFUSED');

    await proxy.setUnreachable(false);
    await expect(
      configMaps().readNamespacedConfigMap({ name: 'a', namespace: 'ns' }),
    ).resolves.toMatchObject({ metadata: { name: 'a' } });
    // Only requests received while reachable are logged.
    expect(proxy.requests.map(r => r.query ?? r.path)).toEqual([
      'watch=1',
      '/api/v1/namespaces/ns/configmaps/a',
    ]);
  });
});
