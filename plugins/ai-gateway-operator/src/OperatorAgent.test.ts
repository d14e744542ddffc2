import { KubernetesApiTestServer } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ControlPlaneClient, type PulledBundle } from './ControlPlaneClient';
import { OperatorAgent } from './OperatorAgent';

jest.setTimeout(60_000);

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const labels = {
  'app.kubernetes.io/managed-by': 'ai-gateway',
  'ai-gateway.backstage.io/pool': 'prod',
  'ai-gateway.backstage.io/stage': 'runtime',
};
const bundle = (objects: any[], namespace = 'ai-gateway'): PulledBundle => ({
  pool: 'prod',
  namespace,
  revision: `sha256:${objects.length}${namespace}`,
  objects,
  kinds: [
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  ],
  labelSelector:
    'app.kubernetes.io/managed-by=ai-gateway,ai-gateway.backstage.io/pool=prod,ai-gateway.backstage.io/stage=runtime',
  reseed: false,
});
const configMap = (name: string, namespace = 'ai-gateway') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { a: 'b' },
});

/** A control plane that records heartbeats and serves one bundle. */
async function fakeControlPlane(served: () => PulledBundle | undefined) {
  const heartbeats: any[] = [];
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer aigw_prod_token') {
      res.writeHead(401).end();
      return;
    }
    if (req.url?.startsWith('/api/ai-gateway/agent/v1/heartbeat')) {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        heartbeats.push(JSON.parse(body));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            pool: 'prod',
            phase: 'Active',
            syncRequested: false,
            reseedRequested: false,
          }),
        );
      });
      return;
    }
    const b = served();
    const etag = req.headers['if-none-match']?.replace(/"/g, '');
    if (!b || etag === b.revision) {
      setTimeout(() => res.writeHead(304).end(), 100);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(b));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/ai-gateway`;
  return { url, heartbeats, close: () => new Promise(r => server.close(r)) };
}

describe('OperatorAgent', () => {
  let api: KubernetesApiTestServer;
  beforeEach(async () => {
    api = await KubernetesApiTestServer.start({
      namespaces: ['ai-gateway', 'other'],
    });
  });
  afterEach(async () => {
    await api.stop();
  });

  const agent = (url: string) =>
    new OperatorAgent({
      controlPlane: new ControlPlaneClient({
        baseUrl: url,
        token: 'aigw_prod_token',
      }),
      kubeConfig: api.kubeConfig(),
      namespace: 'ai-gateway',
      logger: quiet,
      pollSeconds: 1,
      backoffMs: 20,
    });

  it('refuses a bundle with a cluster-scoped object or another namespace, before touching anything', async () => {
    const cp = await fakeControlPlane(() => undefined);
    const operator = agent(cp.url);
    try {
      await operator.reconcile(
        bundle([
          configMap('a'),
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'admin', labels },
            rules: [],
          },
        ]),
      );
      expect(api.objects({ kind: 'ConfigMap' })).toEqual([]);
      expect(cp.heartbeats.at(-1).lastApply).toMatchObject({
        succeeded: false,
        message:
          'ClusterRole is cluster-scoped; a pool only manages objects in its namespace',
      });
      await operator.reconcile(bundle([configMap('a', 'other')]));
      expect(api.objects({ kind: 'ConfigMap' })).toEqual([]);
      expect(cp.heartbeats.at(-1).lastApply.message).toBe(
        'refused: ConfigMap/a is in namespace other, but this operator manages only ai-gateway',
      );
      expect(cp.heartbeats.at(-1).runningRevision).toBeNull();
    } finally {
      await cp.close();
    }
  });

  it('pulls, applies, prunes and reports the running revision in its heartbeats', async () => {
    let served = bundle([configMap('a'), configMap('b')]);
    const cp = await fakeControlPlane(() => served);
    const operator = agent(cp.url);
    operator.start();
    try {
      const until = async (check: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error('timed out');
          await new Promise(r => setTimeout(r, 20));
        }
      };
      await until(() =>
        cp.heartbeats.some(h => h.runningRevision === served.revision),
      );
      expect(
        api
          .objects({ kind: 'ConfigMap', namespace: 'ai-gateway' })
          .map(o => o.metadata!.name)
          .sort(),
      ).toEqual(['a', 'b']);
      served = bundle([configMap('a')]);
      await until(() =>
        cp.heartbeats.some(h => h.runningRevision === served.revision),
      );
      expect(
        api
          .objects({ kind: 'ConfigMap', namespace: 'ai-gateway' })
          .map(o => o.metadata!.name),
      ).toEqual(['a']);
      expect(cp.heartbeats.at(-1)).toMatchObject({
        operatorVersion: '0.1.0',
        lastApply: { succeeded: true, objects: 1 },
      });
    } finally {
      await operator.stop();
      await cp.close();
    }
  });

  it('runs as a process against a kubeconfig, with /healthz ready once connected', async () => {
    const served = bundle([configMap('from-process')]);
    const cp = await fakeControlPlane(() => served);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-operator-'));
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
    const healthPort = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, '../bin/ai-gateway-operator')],
      {
        env: {
          ...process.env,
          KUBECONFIG: kubeconfig,
          AIGW_CONTROL_PLANE_URL: cp.url,
          AIGW_ENROLLMENT_TOKEN: 'aigw_prod_token',
          AIGW_NAMESPACE: 'ai-gateway',
          AIGW_POLL_SECONDS: '1',
          AIGW_HEALTH_PORT: String(healthPort),
        },
        stdio: 'pipe',
      },
    );
    let output = '';
    child.stdout!.on('data', d => (output += d));
    child.stderr!.on('data', d => (output += d));
    try {
      const deadline = Date.now() + 45_000;
      for (;;) {
        if (api.get('v1', 'ConfigMap', 'ai-gateway', 'from-process')) break;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`operator did not apply:\n${output}`);
        await new Promise(r => setTimeout(r, 100));
      }
      const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
      await cp.close();
    }
  });
});
