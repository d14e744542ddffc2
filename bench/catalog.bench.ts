/*
 * Catalog benchmark (issue 4): 1,000 pools, 10,000 MCP servers and 2,000 AI
 * backends. Measures the time until all are visible (stitched) in the catalog
 * API through the suite's entity provider, and, as the peer in the same run,
 * the time for the same entities registered as a YAML file location; then the
 * p95 latency from a change in the control plane to the changed entity being
 * served by the catalog. Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { fmt, freePort, pool, repoRoot, startBackend } from './lib';

const POOLS = Number(process.env.BENCH_POOLS ?? 1000);
const SERVERS = Number(process.env.BENCH_MCP_SERVERS ?? 10000);
const BACKENDS = Number(process.env.BENCH_AI_BACKENDS ?? 2000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const demo = (file: string) => parse(readFileSync(path.join(repoRoot, 'examples/demo', file), 'utf8'));
const demoPool = demo('pools.yaml').find((p: any) => p.delivery?.mode === 'agent') ?? demo('pools.yaml')[0];
const demoServer = demo('mcp-servers.yaml').find((s: any) => s.source?.type === 'remote');
const demoBackend = demo('ai-backends.yaml').find((b: any) => b.spec?.kind === 'ai');
const poolName = (i: number) => `pool-${String(i).padStart(4, '0')}`;
const project = 'bench';
const owner = 'group:default/bench-team';

function yamlEntities(): string {
  const docs: object[] = [{ apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: project }, spec: { owner } }];
  for (let i = 0; i < POOLS; i++) {
    docs.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: poolName(i) }, spec: { type: 'ai-gateway-pool', owner, system: project } });
  }
  for (let i = 0; i < SERVERS; i++) {
    const p = poolName(i % POOLS);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: `mcp-${i}` },
      spec: { type: 'mcp-server', lifecycle: 'production', owner, system: project, definition: 'x', remotes: [{ type: 'streamable-http', url: `https://mcp.example.com/mcp-${i}/mcp` }], dependsOn: [`resource:default/${p}`] },
    });
  }
  for (let i = 0; i < BACKENDS; i++) {
    docs.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: `llm-${i}` }, spec: { type: 'ai-backend', owner, system: project, dependsOn: [`resource:default/${poolName(i % POOLS)}`] } });
  }
  return docs.map(d => stringify(d)).join('---\n');
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-catalog-bench-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('base64url');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const yamlFile = path.join(dir, 'entities.yaml');
  writeFileSync(yamlFile, yamlEntities());
  const config = (name: string, locations: object[]) => {
    const dbDir = path.join(dir, `db-${name}`);
    mkdirSync(dbDir);
    const file = path.join(dir, `app-config.${name}.yaml`);
    writeFileSync(file, stringify({
      app: { baseUrl: 'http://127.0.0.1:3000' },
      backend: { baseUrl, listen: { port, host: '127.0.0.1' }, database: { client: 'better-sqlite3', connection: { directory: dbDir } }, auth: { externalAccess: [{ type: 'static', options: { token, subject: 'bench' } }] } },
      permission: { enabled: true },
      catalog: { rules: [{ allow: ['Group', 'System', 'Resource', 'API', 'Location'] }], locations },
      aiGateway: { demoData: { enabled: false } },
    }));
    return file;
  };
  const total = 1 + POOLS + SERVERS + BACKENDS;
  const catalogTotal = async () => {
    let n = 0;
    for (const kind of ['system', 'resource', 'api']) {
      const res = await fetch(`${baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`, { headers });
      n += res.ok ? ((await res.json()) as { totalItems: number }).totalItems : 0;
    }
    return n;
  };
  const waitForCatalog = async (started: number) => {
    let n = 0;
    while ((n = await catalogTotal()) < total) {
      if (Date.now() - started > 1_800_000) throw new Error(`only ${n} of ${total} entities after 30 min`);
      await new Promise(r => setTimeout(r, 1000));
    }
    return (Date.now() - started) / 1000;
  };

  // 1. Through the entity provider: objects created through the REST API.
  let backend = await startBackend(config('provider', []), baseUrl, { BENCH_CATALOG_MODULE: '1' });
  try {
    const post = async (p: string, body: object) => {
      const res = await fetch(`${baseUrl}/api/ai-gateway${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const started = Date.now();
    await post('/projects', { name: project, title: 'Bench', owner });
    await pool([...Array(POOLS).keys()], 16, i => post('/pools', { ...demoPool, name: poolName(i), project, namespace: `ns-${i}` }));
    await pool([...Array(SERVERS).keys()], 16, i => post('/mcp-servers', { ...demoServer, name: `mcp-${i}`, project, pool: poolName(i % POOLS), prefix: `mcp-${i}` }));
    await pool([...Array(BACKENDS).keys()], 16, i => post('/ai-backends', { ...demoBackend, name: `llm-${i}`, project, pool: poolName(i % POOLS) }));
    const createdS = (Date.now() - started) / 1000;
    const providerS = await waitForCatalog(started);
    console.log(`provider: ${total} objects created in ${fmt(createdS)} s; all visible in the catalog ${fmt(providerS)} s after the first create`);

    // 2. Change-to-catalog latency: update an MCP server, poll its entity.
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const name = `mcp-${(i * 197) % SERVERS}`;
      const current = (await (await fetch(`${baseUrl}/api/ai-gateway/mcp-servers/${name}`, { headers })).json()) as { spec: any; version: number };
      const description = `change ${i} ${Date.now()}`;
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/api/ai-gateway/mcp-servers/${name}`, { method: 'PUT', headers, body: JSON.stringify({ ...current.spec, description, version: current.version }) });
      if (!res.ok) throw new Error(`update ${name}: ${res.status} ${await res.text()}`);
      for (;;) {
        const e = await fetch(`${baseUrl}/api/catalog/entities/by-name/api/default/${name}`, { headers });
        if (e.ok && ((await e.json()) as any).metadata.description === description) break;
        if (performance.now() - t0 > 120_000) throw new Error(`change of ${name} not served after 120 s`);
        await new Promise(r => setTimeout(r, 20));
      }
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    console.log(`change -> entity served (${CHANGES} updates, polling every 20 ms): p50 ${fmt(q(0.5))} ms, p95 ${fmt(q(0.95))} ms, max ${fmt(latencies[latencies.length - 1])} ms`);
    backend.stop();
    await new Promise(r => backend.child.once('exit', r));

    // 3. The peer: the same entities from a YAML file location.
    const peerStarted = Date.now();
    backend = await startBackend(config('yaml', [{ type: 'file', target: yamlFile }]), baseUrl);
    const yamlS = await waitForCatalog(peerStarted);
    console.log(`peer (YAML file location): all ${total} entities visible ${fmt(yamlS)} s after start-up`);
    console.log(`ratio YAML location / provider: ${fmt(yamlS / providerS, 2)}x (target >= 2x); change latency p95 ${fmt(q(0.95))} ms (target < 2000 ms)`);
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      path.join(__dirname, 'results', `catalog-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify({ total, createdS, providerS, yamlS, ratio: yamlS / providerS, latencyP50: q(0.5), latencyP95: q(0.95) }, null, 2),
    );
  } finally {
    backend.stop();
    await new Promise(r => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
