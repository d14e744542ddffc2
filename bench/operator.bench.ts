/*
 * Operator benchmark (issue 3). Prints:
 * 1. rendering time and bundle size for one pool with 1,000 MCP servers,
 *    200 AI backends and 500 policies (target: under 250 ms);
 * 2. apply throughput of a 2,000-object bundle against the Kubernetes API
 *    test server (server-side apply, field manager ai-gateway), first apply,
 *    unchanged re-apply and a prune of half of it;
 * 3. reconcile latency in agent mode: from POST /mcp-servers on a real
 *    backend to the server's AgentgatewayBackend applied in the cluster by the
 *    operator (target: p95 under 5 s; comparable products quote 60 s).
 * Asserts nothing.
 */
import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  bundleToYaml,
  KubernetesApplier,
  objectsOfStage,
  poolLabelSelector,
  RendererRegistry,
  type PoolDesiredState,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AgentgatewayRenderer } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { KubernetesApiTestServer } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  ControlPlaneClient,
  OperatorAgent,
} from '@ai-gateway-backstage/ai-gateway-operator';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { fmt, freePort, startBackend } from './lib';

const RENDER_RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 20);
const RECONCILE_SAMPLES = Number(process.env.BENCH_RECONCILE_SAMPLES ?? 40);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};

const basePool = {
  name: 'bench',
  project: 'bench',
  cluster: { name: 'bench-cluster', type: 'native' },
  namespace: 'ai-gateway',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
  ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
};

function bigState(
  servers: number,
  backends: number,
  policies: number,
): PoolDesiredState {
  const pool = poolSchema.parse(basePool);
  const mcpServers = Array.from({ length: servers }, (_, i) =>
    mcpServerSchema.parse({
      name: `mcp-${i}`,
      project: 'bench',
      pool: 'bench',
      prefix: `p${i}`,
      source:
        i % 4 === 3
          ? { type: 'remote', url: `https://mcp${i}.example.com/mcp` }
          : {
              type: 'image',
              image: `ghcr.io/example/mcp-${i}:1.0`,
              secretEnv: [
                {
                  name: 'TOKEN',
                  secretRef: { name: `mcp-${i}`, key: 'token' },
                },
              ],
            },
      tools:
        i % 5 === 0
          ? { allow: ['get_*', 'list_*'], deny: ['delete_repo'] }
          : {},
    }),
  );
  const aiBackends = Array.from({ length: backends }, (_, i) =>
    aiBackendSchema.parse({
      name: `llm-${i}`,
      project: 'bench',
      pool: 'bench',
      spec: {
        kind: 'ai',
        groups: [
          {
            providers: [
              {
                name: 'openai',
                type: 'openai',
                model: 'gpt-4o',
                credentialsSecretRef: { name: 'openai', key: 'k' },
              },
            ],
          },
          {
            providers: [
              { name: 'bedrock', type: 'bedrock', region: 'eu-central-1' },
            ],
          },
        ],
        models: [`model-${i}-a`, `model-${i}-b`],
      },
    }),
  );
  const targets = [
    ...aiBackends.map(b => b.name),
    ...mcpServers.map(s => s.name),
  ];
  const policyList = Array.from({ length: policies }, (_, i) =>
    policySchema.parse({
      name: `policy-${i}`,
      project: 'bench',
      pool: 'bench',
      target:
        i % 10 === 0
          ? { kind: 'gateway', name: 'bench' }
          : {
              kind: i % 2 ? 'route' : 'backend',
              name: targets[i % targets.length],
            },
      rateLimit: { unit: 'minute', requests: 100 + i },
      ...(i % 3 === 0
        ? { promptGuard: { request: { builtins: ['email'] } } }
        : {}),
      timeouts: { requestSeconds: 60 },
    }),
  );
  return { pool, mcpServers, aiBackends, policies: policyList };
}

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const renderOptions = {
  controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
};

function benchRender() {
  const state = bigState(1000, 200, 500);
  for (let i = 0; i < 3; i++) registry.renderBundle(state, renderOptions);
  const times: number[] = [];
  let bundle = registry.renderBundle(state, renderOptions);
  for (let i = 0; i < RENDER_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    bundle = registry.renderBundle(state, renderOptions);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const t0 = process.hrtime.bigint();
  const yaml = bundleToYaml(bundle);
  const yamlMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const json = JSON.stringify(bundle.objects);
  console.log(
    `render: 1,000 MCP servers, 200 AI backends, 500 policies -> ${bundle.objects.length} objects`,
  );
  console.log(
    `  render + canonicalise + revision: p50 ${fmt(
      percentile(times, 50),
    )} ms, p95 ${fmt(percentile(times, 95))} ms, max ${fmt(
      Math.max(...times),
    )} ms over ${RENDER_RUNS} runs (target < 250 ms: ${
      percentile(times, 95) < 250 ? 'met' : 'NOT met'
    })`,
  );
  console.log(
    `  bundle size: JSON ${fmt(json.length / 1024 / 1024, 2)} MB, YAML ${fmt(
      yaml.length / 1024 / 1024,
      2,
    )} MB (YAML serialisation ${fmt(yamlMs)} ms)`,
  );
}

async function benchApply() {
  const api = await KubernetesApiTestServer.start({
    namespaces: ['ai-gateway'],
  });
  api.put({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'agentgateway' },
    spec: { controllerName: 'agentgateway.dev/agentgateway' },
  } as any);
  try {
    // 397 image MCP servers (5 objects each) plus the pool's own objects: 2,000.
    const full = registry.renderBundle(
      { ...bigState(0, 0, 0), mcpServers: bigState(530, 0, 0).mcpServers },
      renderOptions,
    );
    const objects = objectsOfStage(full, 'runtime').slice(0, 2000);
    const applier = new KubernetesApplier(api.kubeConfig(), {
      namespace: 'ai-gateway',
    });
    for (const concurrency of [8, 32]) {
      await applier.apply([], {
        prune: {
          labelSelector: poolLabelSelector('bench', 'runtime'),
          kinds: full.kinds,
        },
      });
      const first = await applier.apply(objects, { concurrency });
      const again = await applier.apply(objects, { concurrency });
      console.log(
        `apply ${
          objects.length
        } objects, concurrency ${concurrency}: first ${fmt(
          first.durationMs / 1000,
          2,
        )} s (${fmt(
          objects.length / (first.durationMs / 1000),
          0,
        )} objects/s), unchanged re-apply ${fmt(
          again.durationMs / 1000,
          2,
        )} s (${fmt(
          objects.length / (again.durationMs / 1000),
          0,
        )} objects/s), failed ${first.failed.length + again.failed.length}`,
      );
    }
    const half = objects.slice(0, 1000);
    const pruned = await applier.apply(half, {
      concurrency: 32,
      prune: {
        labelSelector: poolLabelSelector('bench', 'runtime'),
        kinds: full.kinds,
      },
    });
    console.log(
      `  prune to 1,000 objects: ${pruned.pruned.length} deleted, ${fmt(
        pruned.durationMs / 1000,
        2,
      )} s`,
    );
  } finally {
    await api.stop();
  }
}

async function benchReconcile() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-bench-operator-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('base64url');
  const dbDir = path.join(dir, 'db');
  mkdirSync(dbDir);
  const configFile = path.join(dir, 'app-config.yaml');
  writeFileSync(
    configFile,
    stringify({
      app: { baseUrl: 'http://127.0.0.1:3000' },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: {
          client: 'better-sqlite3',
          connection: { directory: dbDir },
        },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
      permission: { enabled: true },
      aiGateway: { demoData: { enabled: false } },
    }),
  );
  const backend = await startBackend(configFile, baseUrl);
  const api = await KubernetesApiTestServer.start({
    namespaces: ['ai-gateway'],
  });
  api.put({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'agentgateway' },
    spec: { controllerName: 'agentgateway.dev/agentgateway' },
  } as any);
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${baseUrl}/api/ai-gateway${p}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 201)
      throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  let operator: OperatorAgent | undefined;
  try {
    await post('/projects', {
      name: 'bench',
      title: 'Bench',
      owner: 'group:default/bench-team',
    });
    const created = await post('/pools', {
      ...basePool,
      delivery: { mode: 'agent' },
    });
    operator = new OperatorAgent({
      controlPlane: new ControlPlaneClient({
        baseUrl: `${baseUrl}/api/ai-gateway`,
        token: created.enrollmentToken,
      }),
      kubeConfig: api.kubeConfig(),
      namespace: 'ai-gateway',
      pollSeconds: 15,
      logger: {
        info: () => {},
        warn: m => console.warn(m),
        error: m => console.error(m),
      },
    });
    operator.start();
    const waitFor = async (check: () => unknown, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise(r => setTimeout(r, 2));
      }
    };
    await waitFor(() =>
      api.get('gateway.networking.k8s.io/v1', 'Gateway', 'ai-gateway', 'bench'),
    );
    const latencies: number[] = [];
    for (let i = 0; i < RECONCILE_SAMPLES; i++) {
      const started = Date.now();
      await post('/mcp-servers', {
        name: `mcp-${i}`,
        project: 'bench',
        pool: 'bench',
        prefix: `p${i}`,
        source: { type: 'image', image: `ghcr.io/example/mcp-${i}:1.0` },
      });
      await waitFor(() =>
        api.get(
          'agentgateway.dev/v1alpha1',
          'AgentgatewayBackend',
          'ai-gateway',
          `mcp-mcp-${i}`,
        ),
      );
      latencies.push(Date.now() - started);
    }
    const p95 = percentile(latencies, 95);
    console.log(
      `reconcile latency (agent mode, POST /mcp-servers -> AgentgatewayBackend applied), ${RECONCILE_SAMPLES} samples: p50 ${percentile(
        latencies,
        50,
      )} ms, p95 ${p95} ms, max ${Math.max(
        ...latencies,
      )} ms (target p95 < 5,000 ms: ${p95 < 5000 ? 'met' : 'NOT met'}; ${fmt(
        60_000 / p95,
        0,
      )}x faster than the 60 s comparable products quote)`,
    );
  } finally {
    await operator?.stop();
    await api.stop();
    backend.stop();
  }
}

async function main() {
  benchRender();
  await benchApply();
  await benchReconcile();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
