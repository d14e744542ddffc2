/*
 * Catalog benchmark (issue 4): 1,000 pools, 10,000 MCP servers and 2,000 AI
 * backends. Measures, like for like, the time from a backend's start-up until
 * all entities are visible (stitched) in the catalog API: once through the
 * suite's entity provider (the control plane already holds the objects, the
 * catalog database is fresh) and once, as the peer, for the same entities in
 * a YAML file location (the catalog's standard path). Then the p95 latency
 * from a change in the control plane to the changed entity being served by
 * the catalog. Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { toEntity } from '../plugins/catalog-backend-module-ai-gateway/src/entities';
import {
  fmt,
  freePort,
  pool,
  repoRoot,
  startBackend,
  writeBackendConfig,
} from './lib';

const POOLS = Number(process.env.BENCH_POOLS ?? 1000);
const SERVERS = Number(process.env.BENCH_MCP_SERVERS ?? 10000);
const BACKENDS = Number(process.env.BENCH_AI_BACKENDS ?? 2000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const demo = (file: string) =>
  parse(readFileSync(path.join(repoRoot, 'examples/demo', file), 'utf8'));
const demoPool =
  demo('pools.yaml').find((p: any) => p.delivery?.mode === 'agent') ??
  demo('pools.yaml')[0];
const demoServer = demo('mcp-servers.yaml').find(
  (s: any) => s.source?.type === 'remote',
);
const demoBackend = demo('ai-backends.yaml').find(
  (b: any) => b.spec?.kind === 'ai',
);
const poolName = (i: number) => `pool-${String(i).padStart(4, '0')}`;
const project = 'bench';
const owner = 'group:default/bench-team';
const KINDS = [
  ['project', 'projects'],
  ['pool', 'pools'],
  ['mcpServer', 'mcp-servers'],
  ['aiBackend', 'ai-backends'],
] as const;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-catalog-bench-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('base64url');
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const yamlFile = path.join(dir, 'entities.yaml');
  const dbDir = (name: string) => path.join(dir, `db-${name}`);
  // Every backend gets the same configuration, catalog settings included;
  // only the YAML side lists the file location.
  const config = (name: string, locations: object[]) => {
    mkdirSync(dbDir(name), { recursive: true });
    return writeBackendConfig({
      dir,
      name,
      port,
      token,
      database: {
        client: 'better-sqlite3',
        connection: { directory: dbDir(name) },
      },
      locations,
    });
  };
  const start = async (
    name: string,
    configFile: string,
    env: Record<string, string> = {},
  ) => {
    // BENCH_LOG_LEVEL=info (with BENCH_DEBUG=1) shows e.g. how long the provider's full sync took.
    const logLevel: Record<string, string> = process.env.BENCH_LOG_LEVEL
      ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL }
      : {};
    const backend = await startBackend(configFile, baseUrl, {
      ...env,
      ...logLevel,
    });
    if (process.env.BENCH_CPU_PROF)
      console.log(
        `(${name} backend: pid ${backend.child.pid}, CPU profile in ${process.env.BENCH_CPU_PROF})`,
      );
    return backend;
  };
  const stop = async (backend: Awaited<ReturnType<typeof startBackend>>) => {
    const exited = new Promise(r => backend.child.once('exit', r));
    backend.stop();
    await exited;
  };
  const total = 1 + POOLS + SERVERS + BACKENDS;
  const catalogTotal = async () => {
    let n = 0;
    for (const kind of ['system', 'resource', 'api']) {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`,
        { headers },
      );
      n += res.ok
        ? ((await res.json()) as { totalItems: number }).totalItems
        : 0;
    }
    return n;
  };
  /** Seconds from `started` until the first and until all entities are visible. */
  const waitForCatalog = async (started: number) => {
    let n = 0;
    let firstS: number | undefined;
    while ((n = await catalogTotal()) < total) {
      if (Date.now() - started > 1_800_000)
        throw new Error(`only ${n} of ${total} entities after 30 min`);
      if (n > 0) firstS ??= (Date.now() - started) / 1000;
      if (process.env.BENCH_PROGRESS)
        console.log(
          `  ${fmt((Date.now() - started) / 1000)} s: ${n} of ${total} visible`,
        );
      await new Promise(r => setTimeout(r, 1000));
    }
    const allS = (Date.now() - started) / 1000;
    return { firstS: firstS ?? allS, allS };
  };

  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  console.log(
    'method: like for like, each side timed from the start of a backend (same build, same configuration, catalog module included, fresh catalog database) ' +
      'until all entities are visible; the provider side starts on a control plane that already holds the objects, the YAML side on an empty one with the same entities in a file location.',
  );
  try {
    // 1. The control plane alone (no catalog module): create the objects
    //    through the REST API, then read them back for the YAML peer.
    backend = await start('control-plane', config('control-plane', []));
    const post = async (p: string, body: object) => {
      const res = await fetch(`${baseUrl}/api/ai-gateway${p}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (res.status !== 201)
        throw new Error(`${p}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const createStarted = Date.now();
    await post('/projects', { name: project, title: 'Bench', owner });
    await pool([...Array(POOLS).keys()], 16, i =>
      post('/pools', {
        ...demoPool,
        name: poolName(i),
        project,
        namespace: `ns-${i}`,
      }),
    );
    await pool([...Array(SERVERS).keys()], 16, i =>
      post('/mcp-servers', {
        ...demoServer,
        name: `mcp-${i}`,
        project,
        pool: poolName(i % POOLS),
        prefix: `mcp-${i}`,
      }),
    );
    await pool([...Array(BACKENDS).keys()], 16, i =>
      post('/ai-backends', {
        ...demoBackend,
        name: `llm-${i}`,
        project,
        pool: poolName(i % POOLS),
      }),
    );
    const createdS = (Date.now() - createStarted) / 1000;
    console.log(
      `control plane alone: ${total} objects created through the REST API in ${fmt(
        createdS,
      )} s (16 in flight)`,
    );

    // The peer's YAML holds exactly the entities the provider emits (same
    // mapping code), in the order a person would write them: the system,
    // the pools, then what runs on them.
    const readStarted = Date.now();
    const objects: any[] = [];
    for (const [, plural] of KINDS) {
      let cursor: string | undefined;
      do {
        const res = await fetch(
          `${baseUrl}/api/ai-gateway/${plural}?limit=500${
            cursor ? `&cursor=${cursor}` : ''
          }`,
          { headers },
        );
        const page = (await res.json()) as {
          items: any[];
          nextCursor?: string;
        };
        objects.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
    }
    const readS = (Date.now() - readStarted) / 1000;
    const owners = new Map(
      objects
        .filter(o => o.kind === 'project')
        .map(o => [o.name, o.spec.owner as string]),
    );
    const docs = objects.map(o => {
      const entity = toEntity(o, p => owners.get(p), 'ai-gateway')!;
      // The file location sets where its entities come from itself.
      delete entity.metadata.annotations!['backstage.io/managed-by-location'];
      delete entity.metadata.annotations![
        'backstage.io/managed-by-origin-location'
      ];
      return entity;
    });
    if (docs.length !== total)
      throw new Error(`read back ${docs.length} of ${total} objects`);
    console.log(
      `control plane alone: all ${total} objects read back through the REST API (pages of 500, as the provider's full sync reads them) in ${fmt(
        readS,
      )} s`,
    );
    writeFileSync(yamlFile, docs.map(d => stringify(d)).join('---\n'));
    await stop(backend);
    backend = undefined;

    // 2. Through the entity provider: the control plane's database as
    //    created above, a fresh catalog database. Clock from start-up.
    const providerConfig = config('provider', []);
    for (const file of readdirSync(dbDir('control-plane'))) {
      if (file.startsWith('ai-gateway.sqlite'))
        copyFileSync(
          path.join(dbDir('control-plane'), file),
          path.join(dbDir('provider'), file),
        );
    }
    const providerStarted = Date.now();
    backend = await start('provider', providerConfig, {
      BENCH_CATALOG_MODULE: '1',
    });
    const providerReadyS = backend.startMs / 1000;
    const provider = await waitForCatalog(providerStarted);
    const providerS = provider.allS;
    console.log(
      `provider: all ${total} entities visible ${fmt(
        providerS,
      )} s after start-up (backend ready after ${fmt(
        providerReadyS,
      )} s, first entity visible after ${fmt(provider.firstS)} s)`,
    );

    // 3. Change-to-catalog latency: update an MCP server, poll its entity.
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const name = `mcp-${(i * 197) % SERVERS}`;
      const current = (await (
        await fetch(`${baseUrl}/api/ai-gateway/mcp-servers/${name}`, {
          headers,
        })
      ).json()) as { spec: any; version: number };
      const description = `change ${i} ${Date.now()}`;
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/api/ai-gateway/mcp-servers/${name}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          ...current.spec,
          description,
          version: current.version,
        }),
      });
      if (!res.ok)
        throw new Error(`update ${name}: ${res.status} ${await res.text()}`);
      for (;;) {
        const e = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/api/default/${name}`,
          { headers },
        );
        if (
          e.ok &&
          ((await e.json()) as any).metadata.description === description
        )
          break;
        if (performance.now() - t0 > 120_000)
          throw new Error(`change of ${name} not served after 120 s`);
        await new Promise(r => setTimeout(r, 20));
      }
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[
        Math.min(latencies.length - 1, Math.floor(p * latencies.length))
      ];
    console.log(
      `change -> entity served (${CHANGES} updates, polling every 20 ms): p50 ${fmt(
        q(0.5),
      )} ms, p95 ${fmt(q(0.95))} ms, max ${fmt(
        latencies[latencies.length - 1],
      )} ms`,
    );
    await stop(backend);
    backend = undefined;

    // 4. The peer: the same build and configuration (catalog module included,
    //    its control plane empty), the same entities from a YAML file location.
    //    BENCH_PEER_WITHOUT_MODULE=1 (for analysis only) leaves the module out:
    //    then nothing checks the peer's entities or relates its APIs to their pools.
    const yamlConfig = config('yaml', [{ type: 'file', target: yamlFile }]);
    const yamlStarted = Date.now();
    backend = await start(
      'yaml',
      yamlConfig,
      process.env.BENCH_PEER_WITHOUT_MODULE
        ? {}
        : { BENCH_CATALOG_MODULE: '1' },
    );
    const yamlReadyS = backend.startMs / 1000;
    const yaml = await waitForCatalog(yamlStarted);
    const yamlS = yaml.allS;
    console.log(
      `peer (YAML file location${
        process.env.BENCH_PEER_WITHOUT_MODULE
          ? ', without the catalog module'
          : ''
      }): all ${total} entities visible ${fmt(
        yamlS,
      )} s after start-up (backend ready after ${fmt(
        yamlReadyS,
      )} s, first entity visible after ${fmt(yaml.firstS)} s)`,
    );
    console.log(
      `ratio YAML location / provider: ${fmt(
        yamlS / providerS,
        2,
      )}x (target >= 2x); change latency p95 ${fmt(
        q(0.95),
      )} ms (target < 2000 ms)`,
    );
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      path.join(
        __dirname,
        'results',
        `catalog-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      ),
      JSON.stringify(
        {
          total,
          createdS,
          readS,
          providerS,
          providerReadyS,
          providerFirstS: provider.firstS,
          yamlS,
          yamlReadyS,
          yamlFirstS: yaml.firstS,
          ratio: yamlS / providerS,
          latencyP50: q(0.5),
          latencyP95: q(0.95),
        },
        null,
        2,
      ),
    );
  } finally {
    if (backend) await stop(backend);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
