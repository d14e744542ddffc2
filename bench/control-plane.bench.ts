/*
 * Control-plane benchmark (issue 2): for 1,000 pools and 10,000 MCP servers on
 * SQLite, measures create throughput through the REST API, the latency of a
 * page of 100 MCP servers filtered by pool at 50 concurrent connections, and
 * the backend's peak RSS; as the peer, the catalog's entities/by-query for a
 * page of 100 of the same objects loaded from a generated YAML location.
 * Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  fetchRetrying,
  fmt,
  freePort,
  load,
  memoryOf,
  pool,
  repoRoot,
  startBackend,
  writeBackendConfig,
} from './lib';

const POOLS = Number(process.env.BENCH_POOLS ?? 1000);
const SERVERS = Number(process.env.BENCH_MCP_SERVERS ?? 10000);
/** Servers are spread over this many pools so a pool holds a full page of 100. */
const POPULATED_POOLS = Math.max(1, Math.ceil(SERVERS / 100));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const CONCURRENCY = 16;

const demo = (file: string) =>
  parse(readFileSync(path.join(repoRoot, 'examples/demo', file), 'utf8'));
const [demoProject] = demo('projects.yaml');
const demoPool = demo('pools.yaml').find((p: any) => p.name === 'research-lab');
const demoServers = demo('mcp-servers.yaml');

const projectNames = ['bench-a', 'bench-b'];
const poolName = (i: number) => `pool-${String(i).padStart(4, '0')}`;
const serverName = (i: number) => `mcp-${String(i).padStart(5, '0')}`;
const projectOf = (poolIndex: number) => projectNames[poolIndex % 2];
const poolOfServer = (i: number) => i % POPULATED_POOLS;

function catalogYaml(): string {
  const docs: object[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'bench-team' },
      spec: { type: 'team', children: [] },
    },
    ...projectNames.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name },
      spec: { owner: 'group:default/bench-team' },
    })),
  ];
  for (let i = 0; i < POOLS; i++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: poolName(i) },
      spec: {
        type: 'ai-gateway-pool',
        owner: 'group:default/bench-team',
        system: projectOf(i),
      },
    });
  }
  for (let i = 0; i < SERVERS; i++) {
    const p = poolOfServer(i);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      // The pool is a label so the catalog can filter by it like our API does.
      metadata: {
        name: serverName(i),
        description: 'Benchmark MCP server',
        labels: { 'ai-gateway.io/pool': poolName(p) },
      },
      spec: {
        type: 'mcp-server',
        lifecycle: 'production',
        owner: 'group:default/bench-team',
        system: projectOf(p),
        definition: `https://mcp.example.com/${serverName(i)}/mcp`,
      },
    });
  }
  return docs.map(d => stringify(d)).join('---\n');
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-bench-'));
  // A port (and base URL) per backend: the second backend never answers on a
  // connection the client kept alive to the first (a stale keep-alive socket
  // to a restarted server ends in ECONNRESET).
  const controlPlanePort = await freePort();
  const catalogPort = await freePort();
  let baseUrl = `http://127.0.0.1:${controlPlanePort}`;
  const token = randomBytes(24).toString('base64url');
  const catalogFile = path.join(dir, 'catalog.yaml');
  writeFileSync(catalogFile, catalogYaml());
  // Two backends of the same build, one after the other: the first measures
  // the control plane (its catalog is empty, so the catalog's processing loop
  // does not compete for the CPU), the second the catalog with the same
  // objects from a YAML location.
  const writeConfig = (
    name: string,
    port: number,
    dbDir: string,
    locations: object[],
  ) => {
    mkdirSync(dbDir, { recursive: true });
    return writeBackendConfig({
      dir,
      name,
      port,
      token,
      database: { client: 'better-sqlite3', connection: { directory: dbDir } },
      locations,
    });
  };
  const controlPlaneConfig = writeConfig(
    'control-plane',
    controlPlanePort,
    path.join(dir, 'db-control-plane'),
    [],
  );
  const catalogConfig = writeConfig(
    'catalog',
    catalogPort,
    path.join(dir, 'db-catalog'),
    [{ type: 'file', target: catalogFile }],
  );

  let backend = await startBackend(controlPlaneConfig, baseUrl);
  let backendStarted = Date.now();
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memoryOf(backend.child.pid!).peakMb);
    } catch {
      // process gone
    }
  }, 500);
  let catalogPeakRss = 0;
  const api = (p: string, body: unknown) =>
    fetch(`${baseUrl}/api/ai-gateway${p}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });

  try {
    console.log(
      `backend ready in ${fmt(
        backend.startMs / 1000,
      )} s (SQLite files in ${dir})`,
    );
    // 1. Create throughput through the REST API.
    let failures = 0;
    let firstError = '';
    const post = async (p: string, body: unknown) => {
      const res = await api(p, body);
      if (res.status !== 201) {
        failures++;
        firstError ||= `${p} ${res.status} ${await res.text()}`;
      } else {
        await res.arrayBuffer();
      }
    };
    for (const name of projectNames)
      await post('/projects', {
        ...demoProject,
        name,
        owner: 'group:default/bench-team',
      });
    let t0 = performance.now();
    await pool([...Array(POOLS).keys()], CONCURRENCY, i =>
      post('/pools', {
        ...demoPool,
        name: poolName(i),
        project: projectOf(i),
        namespace: `ns-${poolName(i)}`,
      }),
    );
    const poolSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await pool([...Array(SERVERS).keys()], CONCURRENCY, i => {
      const template = demoServers[i % demoServers.length];
      const p = poolOfServer(i);
      return post('/mcp-servers', {
        ...template,
        name: serverName(i),
        project: projectOf(p),
        pool: poolName(p),
        prefix: serverName(i),
      });
    });
    const serverSeconds = (performance.now() - t0) / 1000;
    const created = {
      pools: POOLS / poolSeconds,
      mcpServers: SERVERS / serverSeconds,
      overall: (POOLS + SERVERS) / (poolSeconds + serverSeconds),
    };
    console.log(
      `create: ${POOLS} pools in ${fmt(poolSeconds, 2)} s (${fmt(
        created.pools,
      )}/s), ${SERVERS} MCP servers in ${fmt(serverSeconds, 2)} s (${fmt(
        created.mcpServers,
      )}/s), overall ${fmt(created.overall)}/s, ${failures} failures${
        firstError ? `; first: ${firstError.slice(0, 300)}` : ''
      }`,
    );

    // 2. Our list under load: pages of 100 MCP servers filtered by pool.
    const pools = [...Array(POPULATED_POOLS).keys()].map(poolName);
    const ours = await load({
      baseUrl,
      token,
      connections: CONNECTIONS,
      durationS: DURATION,
      paths: pools.map(p => `/api/ai-gateway/mcp-servers?pool=${p}&limit=100`),
    });
    const check = (await (
      await fetchRetrying(
        `${baseUrl}/api/ai-gateway/mcp-servers?pool=${pools[0]}&limit=100`,
        { headers: { authorization: `Bearer ${token}` } },
      )
    ).json()) as { items: unknown[] };
    peakRss = Math.max(peakRss, memoryOf(backend.child.pid!).peakMb);
    const controlPlanePeakRss = peakRss;
    console.log(
      `ai-gateway list: p50 ${fmt(ours.p50)} ms, p99 ${fmt(ours.p99)} ms, ${fmt(
        ours.rps,
        0,
      )} req/s; peak RSS ${fmt(peakRss)} MB`,
    );
    if (process.env.BENCH_ONLY_CONTROL_PLANE) return;
    backend.stop();
    await backend.exited;

    // 3. The peer: the same objects as catalog entities from a YAML location.
    peakRss = 0;
    baseUrl = `http://127.0.0.1:${catalogPort}`;
    backend = await startBackend(catalogConfig, baseUrl);
    backendStarted = Date.now();
    // Wait until the catalog has stitched every API entity.
    // A busy backend may drop a connection: that poll counts as nothing seen.
    const catalogCount = async () => {
      try {
        const res = await fetchRetrying(
          `${baseUrl}/api/catalog/entities/by-query?filter=kind=api&limit=1`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        return res.ok
          ? ((await res.json()) as { totalItems: number }).totalItems
          : 0;
      } catch {
        return 0;
      }
    };
    let count = 0;
    while ((count = await catalogCount()) < SERVERS) {
      if (Date.now() - backendStarted > 900_000)
        throw new Error(
          `catalog has only ${count} of ${SERVERS} APIs after 15 min`,
        );
      await new Promise(r => setTimeout(r, 1000));
    }
    console.log(
      `catalog: ${count} API entities from the YAML location visible ${fmt(
        (Date.now() - backendStarted) / 1000,
      )} s after start-up`,
    );

    const peer = await load({
      baseUrl,
      token,
      connections: CONNECTIONS,
      durationS: DURATION,
      paths: pools.map(
        p =>
          `/api/catalog/entities/by-query?filter=kind=api,metadata.labels.ai-gateway.io/pool=${p}&limit=100`,
      ),
    });
    const peerCheck = (await (
      await fetchRetrying(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=api,metadata.labels.ai-gateway.io/pool=${pools[0]}&limit=100`,
        { headers: { authorization: `Bearer ${token}` } },
      )
    ).json()) as { items: unknown[] };
    catalogPeakRss = Math.max(peakRss, memoryOf(backend.child.pid!).peakMb);
    const row = (name: string, r: typeof ours, items: number) =>
      `${name.padEnd(34)} ${fmt(r.p50).padStart(8)} ${fmt(r.p90).padStart(
        8,
      )} ${fmt(r.p99).padStart(8)} ${fmt(r.rps, 0).padStart(9)} ${String(
        r.non2xx + r.errors,
      ).padStart(7)} ${String(items).padStart(6)}`;
    console.log(
      `\nlist, page of 100 filtered by pool, ${CONNECTIONS} connections, ${DURATION} s each (latency in ms)`,
    );
    console.log(
      `${'endpoint'.padEnd(34)} ${'p50'.padStart(8)} ${'p90'.padStart(
        8,
      )} ${'p99'.padStart(8)} ${'req/s'.padStart(9)} ${'errors'.padStart(
        7,
      )} ${'items'.padStart(6)}`,
    );
    console.log(row('ai-gateway /mcp-servers', ours, check.items.length));
    console.log(
      row('catalog /entities/by-query (peer)', peer, peerCheck.items.length),
    );
    const ratioP99 = peer.p99 / Math.max(ours.p99, 0.001);
    const ratioP50 = peer.p50 / Math.max(ours.p50, 0.001);
    console.log(
      `\nbackend peak RSS: ${fmt(
        controlPlanePeakRss,
      )} MB with the control plane loaded (1 process: events, catalog, permission, ai-gateway); ${fmt(
        catalogPeakRss,
      )} MB for the peer's backend with the catalog loaded`,
    );
    console.log(
      `ratio catalog/ai-gateway: p50 ${fmt(ratioP50, 2)}x, p99 ${fmt(
        ratioP99,
        2,
      )}x`,
    );
    const targets = [
      {
        target: 'list p99 < 300 ms',
        figure: `${fmt(ours.p99)} ms`,
        met: ours.p99 < 300,
      },
      {
        target: 'create >= 300/s (pools and MCP servers)',
        figure: `${fmt(created.overall)}/s`,
        met: created.overall >= 300,
      },
      {
        target: 'catalog p99 / ai-gateway p99 >= 3x',
        figure: `${fmt(ratioP99, 2)}x`,
        met: ratioP99 >= 3,
      },
    ];
    console.log('\ntargets:');
    for (const t of targets)
      console.log(
        `  ${t.target.padEnd(42)} ${t.figure.padStart(10)}  ${
          t.met ? 'met' : 'NOT met'
        }`,
      );

    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    const out = path.join(
      __dirname,
      'results',
      `control-plane-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      out,
      JSON.stringify(
        {
          pools: POOLS,
          mcpServers: SERVERS,
          created,
          failures,
          ours,
          peer,
          ratioP50,
          ratioP99,
          peakRssMb: controlPlanePeakRss,
          catalogPeakRssMb: catalogPeakRss,
          targets,
          node: process.version,
          cpus: os.cpus().length,
        },
        null,
        2,
      ),
    );
    console.log(`results: ${path.relative(repoRoot, out)}`);
  } finally {
    clearInterval(sampler);
    backend.stop();
    await new Promise(r => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
