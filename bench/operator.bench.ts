/*
 * Operator benchmark (issues 3 and 12). Prints:
 * 1. rendering time and bundle size for one pool with 1,000 MCP servers,
 *    200 AI backends and 500 policies (target: under 250 ms);
 * 2. apply throughput of a 2,000-object bundle (server-side apply, field
 *    manager ai-gateway): first apply, unchanged re-apply and a prune of half
 *    of it;
 * 3. reconcile latency in agent mode: from POST /mcp-servers on a real
 *    backend to the server's AgentgatewayBackend applied in the cluster by the
 *    operator (target: p95 under 5 s; comparable products quote 60 s).
 * Sections 2 and 3 run against two targets in the same run: the Kubernetes
 * API test server (in process) and a real kube-apiserver with etcd
 * (scripts/kube.sh, cluster-admin credentials), then a table puts them side
 * by side. Figures go to bench/results/operator-<time>.json. Asserts nothing.
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
  type ApplyFailure,
  type PoolDesiredState,
  type PreflightProblem,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AgentgatewayRenderer } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { KubernetesApiTestServer } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  ControlPlaneClient,
  OperatorAgent,
} from '@ai-gateway-backstage/ai-gateway-operator';
import {
  CoreV1Api,
  KubeConfig,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startRealApiServer } from '../kube/harness/realApiServer';
import { fmt, freePort, repoRoot, startBackend } from './lib';

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
  return {
    objects: bundle.objects.length,
    runs: RENDER_RUNS,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times),
    jsonBytes: json.length,
    yamlBytes: yaml.length,
    yamlMs,
  };
}

const NAMESPACE = 'ai-gateway';
const APPLY_CONCURRENCIES = [8, 32];

const gatewayClass = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'agentgateway' },
  spec: { controllerName: 'agentgateway.dev/agentgateway' },
};

/** A cluster sections 2 and 3 run against, reached with cluster-admin credentials. */
type Target = {
  name: string;
  kubeConfig: KubeConfig;
  stop(): Promise<void>;
};

async function startTestServer(): Promise<Target> {
  const api = await KubernetesApiTestServer.start({ namespaces: [NAMESPACE] });
  api.put(gatewayClass as any);
  return {
    name: 'API test server',
    kubeConfig: api.kubeConfig(),
    stop: () => api.stop(),
  };
}

/**
 * kube-apiserver and etcd (scripts/kube.sh) with the published CRDs and the
 * agentgateway GatewayClass installed, in bench/results/kube-apiserver (its
 * state is removed on stop, its logs stay for a look after a failed run).
 */
async function startRealServer(): Promise<Target> {
  const dir = path.join(__dirname, 'results', 'kube-apiserver');
  mkdirSync(dir, { recursive: true });
  const real = await startRealApiServer(dir);
  // Started in the background by a shell, etcd and kube-apiserver would
  // outlive an interrupted bench: stop them on exit and on signals too.
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    real.stop();
  };
  const onSignal = () => {
    stop();
    process.exit(130);
  };
  process.once('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(real.kubeconfig);
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NAMESPACE } } });
    const version = await kubeConfig.makeApiClient(VersionApi).getCode();
    return {
      name: `kube-apiserver ${version.gitVersion}`,
      kubeConfig,
      stop: async () => stop(),
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** 397 image MCP servers (5 objects each) plus the pool's own objects: 2,000. */
function applyBundle() {
  const full = registry.renderBundle(
    { ...bigState(0, 0, 0), mcpServers: bigState(530, 0, 0).mcpServers },
    renderOptions,
  );
  const objects = objectsOfStage(full, 'runtime').slice(0, 2000);
  const kinds: Record<string, number> = {};
  for (const o of objects) {
    const key = `${o.kind} (${o.apiVersion})`;
    kinds[key] = (kinds[key] ?? 0) + 1;
  }
  return {
    objects,
    kinds,
    prune: {
      labelSelector: poolLabelSelector('bench', 'runtime'),
      kinds: full.kinds,
    },
  };
}

type Refusal = { kind: string; code: number; message: string; refs: string[] };

/** Failures grouped by kind and message (the message of the first of each group). */
function groupFailures(failures: ApplyFailure[]): Refusal[] {
  const groups = new Map<string, Refusal>();
  for (const f of failures) {
    // Messages name the object; group on the message without its name.
    const key = `${f.kind}\u0000${f.code}\u0000${f.message.replaceAll(
      f.name,
      '<name>',
    )}`;
    const group = groups.get(key) ?? {
      kind: f.kind,
      code: f.code,
      message: f.message,
      refs: [],
    };
    group.refs.push(f.ref);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function printRefusals(indent: string, refusals: Refusal[]) {
  for (const r of refusals)
    console.log(
      `${indent}${r.refs.length} x ${r.kind}, e.g. ${r.refs[0]}: HTTP ${r.code} ${r.message}`,
    );
}

type ApplyFigures = {
  objects: number;
  /** Problems the applier's preflight found (kinds not served, namespace, GatewayClass). */
  preflight: PreflightProblem[];
  /** A server-side dry run of every object, later waves too: what the server refuses. */
  refused: Refusal[];
  runs: Array<{
    concurrency: number;
    firstMs: number;
    firstObjectsPerSecond: number;
    unchangedMs: number;
    unchangedObjectsPerSecond: number;
    failed: Refusal[];
    skipped: number;
  }>;
  prune: {
    deleted: number;
    /** The whole call: server-side apply of the 1,000 kept, then the prune. */
    totalMs: number;
    /** From the last kept object applied to the end: listing and deleting. */
    pruneMs: number;
    objectsPerSecond: number;
    failed: Refusal[];
  };
};

async function benchApply(
  target: Target,
  bundle: ReturnType<typeof applyBundle>,
): Promise<ApplyFigures> {
  const { objects, prune } = bundle;
  const applier = new KubernetesApplier(target.kubeConfig, {
    namespace: NAMESPACE,
  });
  const label = `  [${target.name}]`;

  const preflight = await applier.preflight(objects);
  const dryRun = await applier.apply(objects, {
    dryRun: true,
    continueOnFailure: true,
    concurrency: 32,
    attempts: 1,
  });
  const refused = groupFailures(dryRun.failed);
  console.log(
    `${label} kinds and schemas: preflight ${
      preflight.length
        ? `found ${preflight.map(p => `${p.code}: ${p.message}`).join('; ')}`
        : 'ok'
    }; server-side dry run (fieldValidation=Strict) of ${
      objects.length
    } objects: ${
      dryRun.failed.length
        ? `${dryRun.failed.length} REFUSED`
        : `all ${dryRun.applied.length} accepted`
    }`,
  );
  printRefusals(`${label}   `, refused);

  const runs: ApplyFigures['runs'] = [];
  for (const concurrency of APPLY_CONCURRENCIES) {
    await applier.apply([], { prune });
    const first = await applier.apply(objects, { concurrency });
    const again = await applier.apply(objects, { concurrency });
    const run = {
      concurrency,
      firstMs: first.durationMs,
      firstObjectsPerSecond: first.applied.length / (first.durationMs / 1000),
      unchangedMs: again.durationMs,
      unchangedObjectsPerSecond:
        again.applied.length / (again.durationMs / 1000),
      failed: groupFailures([...first.failed, ...again.failed]),
      skipped: first.skipped.length + again.skipped.length,
    };
    runs.push(run);
    console.log(
      `${label} apply ${
        objects.length
      } objects, concurrency ${concurrency}: first ${fmt(
        run.firstMs / 1000,
        2,
      )} s (${fmt(
        run.firstObjectsPerSecond,
        0,
      )} objects/s), unchanged re-apply ${fmt(
        run.unchangedMs / 1000,
        2,
      )} s (${fmt(run.unchangedObjectsPerSecond, 0)} objects/s), failed ${
        first.failed.length + again.failed.length
      }, skipped ${run.skipped}`,
    );
    printRefusals(`${label}   `, run.failed);
  }

  const started = Date.now();
  let lastApplied = started;
  const pruned = await applier.apply(objects.slice(0, 1000), {
    concurrency: 32,
    prune,
    onProgress: event => {
      if (event.type === 'applied') lastApplied = Date.now();
    },
  });
  const pruneMs = started + pruned.durationMs - lastApplied;
  const pruneFigures = {
    deleted: pruned.pruned.length,
    totalMs: pruned.durationMs,
    pruneMs,
    objectsPerSecond: pruned.pruned.length / (pruneMs / 1000),
    failed: groupFailures(pruned.failed),
  };
  console.log(
    `${label} prune to 1,000 objects: ${pruned.pruned.length} deleted in ${fmt(
      pruneMs / 1000,
      2,
    )} s (${fmt(pruneFigures.objectsPerSecond, 0)} objects/s; ${fmt(
      pruned.durationMs / 1000,
      2,
    )} s with the re-apply of the 1,000 kept), failed ${pruned.failed.length}`,
  );
  printRefusals(`${label}   `, pruneFigures.failed);

  // Section 3 starts from an empty namespace.
  await applier.apply([], { prune });
  return {
    objects: objects.length,
    preflight,
    refused,
    runs,
    prune: pruneFigures,
  };
}

/**
 * When each object of a collection was first seen, through a watch: the
 * same observer for both targets (the test server's in-memory store would
 * be quicker to ask, the real server's is not in this process).
 */
async function watchArrivals(kubeConfig: KubeConfig, collectionPath: string) {
  const seen = new Map<string, number>();
  let waiting: { name: string; arrived: (at: number) => void } | undefined;
  let ended: unknown;
  const controller = await new Watch(kubeConfig).watch(
    collectionPath,
    {},
    (type, object) => {
      const name: string | undefined = object?.metadata?.name;
      if (
        (type === 'ADDED' || type === 'MODIFIED') &&
        name &&
        !seen.has(name)
      ) {
        const at = Date.now();
        seen.set(name, at);
        if (waiting?.name === name) waiting.arrived(at);
      }
    },
    error => {
      ended = error ?? 'closed by the server';
    },
  );
  return {
    arrival(name: string, timeoutMs = 60_000): Promise<number> {
      const at = seen.get(name);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `${name} not seen after ${timeoutMs} ms${
                  ended ? ` (watch ended: ${ended})` : ''
                }`,
              ),
            ),
          timeoutMs,
        );
        waiting = {
          name,
          arrived: t => {
            clearTimeout(timer);
            waiting = undefined;
            resolve(t);
          },
        };
      });
    },
    close: () => controller.abort(),
  };
}

type ReconcileFigures = {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  latenciesMs: number[];
};

async function benchReconcile(target: Target): Promise<ReconcileFigures> {
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
  const applier = new KubernetesApplier(target.kubeConfig, {
    namespace: NAMESPACE,
  });
  let operator: OperatorAgent | undefined;
  let backends: Awaited<ReturnType<typeof watchArrivals>> | undefined;
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
      kubeConfig: target.kubeConfig,
      namespace: NAMESPACE,
      pollSeconds: 15,
      logger: {
        info: () => {},
        warn: m => console.warn(m),
        error: m => console.error(m),
      },
    });
    operator.start();
    const deadline = Date.now() + 60_000;
    while (
      !(await applier.read({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'bench' },
      }))
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `[${target.name}] the pool's Gateway not applied in 60 s`,
        );
      await new Promise(r => setTimeout(r, 50));
    }
    backends = await watchArrivals(
      target.kubeConfig,
      `/apis/agentgateway.dev/v1alpha1/namespaces/${NAMESPACE}/agentgatewaybackends`,
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
      latencies.push((await backends.arrival(`mcp-mcp-${i}`)) - started);
    }
    const figures = {
      samples: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      latenciesMs: latencies,
    };
    console.log(
      `  [${
        target.name
      }] reconcile latency (agent mode, POST /mcp-servers -> AgentgatewayBackend seen by a watch), ${
        figures.samples
      } samples: p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, max ${
        figures.maxMs
      } ms (target p95 < 5,000 ms: ${
        figures.p95Ms < 5000 ? 'met' : 'NOT met'
      }; ${fmt(
        60_000 / figures.p95Ms,
        0,
      )}x faster than the 60 s comparable products quote)`,
    );
    return figures;
  } finally {
    backends?.close();
    await operator?.stop();
    backend.stop();
    await backend.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

type TargetResult = {
  target: string;
  apply?: ApplyFigures;
  reconcile?: ReconcileFigures;
  error?: string;
};

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

function summarise(results: TargetResult[]) {
  const perConcurrency = (
    apply: ApplyFigures | undefined,
    figure: (run: ApplyFigures['runs'][number]) => number,
  ) => (apply ? apply.runs.map(r => fmt(figure(r), 0)).join(' / ') : '-');
  console.log(
    `\noperator against both targets (apply with cluster-admin credentials: what is measured is the API server, not RBAC; the real server's etcd runs without fsync):`,
  );
  printTable(
    [
      'target',
      `first apply objects/s (c${APPLY_CONCURRENCIES.join(' / c')})`,
      `unchanged objects/s (c${APPLY_CONCURRENCIES.join(' / c')})`,
      'prune 1,000',
      'reconcile p50',
      'p95',
      'samples',
    ],
    results.map(({ target, apply, reconcile, error }) => [
      target,
      perConcurrency(apply, r => r.firstObjectsPerSecond),
      perConcurrency(apply, r => r.unchangedObjectsPerSecond),
      apply
        ? `${fmt(apply.prune.pruneMs / 1000, 2)} s (${fmt(
            apply.prune.objectsPerSecond,
            0,
          )} objects/s)`
        : '-',
      reconcile ? `${reconcile.p50Ms} ms` : '-',
      reconcile ? `${reconcile.p95Ms} ms` : '-',
      reconcile
        ? String(reconcile.samples)
        : error
        ? `failed: ${error.split('\n')[0]}`
        : '-',
    ]),
  );
  const refused = results.flatMap(r =>
    (r.apply?.refused ?? []).map(x => ({ target: r.target, ...x })),
  );
  if (refused.length) {
    console.log('objects refused (server-side dry run):');
    for (const r of refused)
      console.log(
        `  [${r.target}] ${r.refs.length} x ${r.kind}: HTTP ${r.code} ${r.message}`,
      );
  }
}

async function main() {
  const render = benchRender();
  const bundle = applyBundle();
  console.log(
    `\napply and reconcile against two targets, one after the other, each with cluster-admin credentials (what is measured is the API server, not RBAC): the API test server in this process, then kube-apiserver with etcd (scripts/kube.sh; etcd without fsync)`,
  );
  console.log(
    `  bundle: ${bundle.objects.length} objects: ${Object.entries(bundle.kinds)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')}`,
  );
  const results: TargetResult[] = [];
  for (const [name, start] of [
    ['API test server', startTestServer],
    ['kube-apiserver', startRealServer],
  ] as const) {
    const result: TargetResult = { target: name };
    results.push(result);
    let target: Target | undefined;
    try {
      target = await start();
      result.target = target.name;
      result.apply = await benchApply(target, bundle);
      result.reconcile = await benchReconcile(target);
    } catch (error) {
      // The other target's figures are still worth printing.
      console.error(`[${result.target}] failed:`, error);
      result.error = String((error as Error)?.message ?? error);
    } finally {
      await target?.stop();
    }
  }
  summarise(results);

  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const out = path.join(
    __dirname,
    'results',
    `operator-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(
    out,
    JSON.stringify(
      {
        render,
        apply: {
          objects: bundle.objects.length,
          kinds: bundle.kinds,
          concurrencies: APPLY_CONCURRENCIES,
          credentials: 'cluster-admin',
        },
        reconcileSamples: RECONCILE_SAMPLES,
        targets: results,
        realApiServer: { etcd: '--unsafe-no-fsync' },
        node: process.version,
        cpus: os.cpus().length,
      },
      null,
      2,
    ),
  );
  console.log(`results: ${path.relative(repoRoot, out)}`);
  if (results.some(r => r.error)) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
