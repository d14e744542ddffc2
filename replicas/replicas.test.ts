/*
 * Two replicas of the portal's backend (packages/backend) on one PostgreSQL,
 * behind a round-robin load balancer, as a Kubernetes Deployment with two
 * pods behind a Service runs it. The checks run in order on the same pair:
 *   5. both started at the same moment on an empty database: clean start,
 *      demo data loaded exactly once;
 *   1. a change through one replica is in the other's manifests and wakes
 *      the other's long polls in under a second;
 *   2. concurrent updates of one version across replicas: exactly one wins;
 *   3. concurrent creates with colliding names, MCP prefixes and namespaces:
 *      only 201/409/422, no duplicates;
 *   4. deletes racing creates across replicas: no orphans;
 *   6. the real operator, through the load balancer, when the replica it
 *      long-polls (then the one that served the bundle it applies) is killed
 *      with SIGKILL: it reconnects, nothing is applied twice or lost.
 * Figures go to test-output/replicas/figures.json, logs next to it.
 */
import {
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  type AiGatewayApi,
  type ApiResponse,
  eventually,
  sleep,
  tally,
} from './harness/api';
import { KubernetesGate } from './harness/KubernetesGate';
import type { ProxiedRequest } from './harness/LoadBalancer';
import { OperatorProcess } from './harness/OperatorProcess';
import { outputDir, repoRoot } from './harness/paths';
import { freePort } from './harness/ports';
import { startTier, type Tier } from './harness/tier';
import {
  startRealApiServer,
  type RealApiServer,
} from '../kube/harness/realApiServer';
import { ControllerStatusWriter } from './harness/ControllerStatusWriter';

jest.setTimeout(300_000);

let tier: Tier;
/** Measured figures of every check, written to test-output/replicas/figures.json. */
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  tier = await startTier();
}, 420_000);

afterAll(async () => {
  writeFileSync(
    path.join(outputDir, 'figures.json'),
    JSON.stringify(figures, null, 2),
  );
  await tier?.stop();
});

const range = (n: number) => [...Array(n).keys()];
const sorted = (values: string[]) => [...values].sort();
/** The replica `i` requests go to when they are split over both: a, b, a, b... */
const split = (i: number) => tier.direct[i % 2];

async function created(api: AiGatewayApi, kind: string, body: unknown) {
  const res = await api.post(`/${kind}`, body);
  if (res.status !== 201) {
    throw new Error(
      `POST /${kind} on ${api.label}: ${res.status} ${
        res.error ?? JSON.stringify(res.body)
      }`,
    );
  }
  return res.body;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter(v => (seen.has(v) ? true : (seen.add(v), false)));
}

function expectOnlyStatuses(responses: ApiResponse[], allowed: number[]) {
  const unexpected = responses
    .filter(r => !allowed.includes(r.status))
    .map(
      r =>
        `${r.status || r.error} ${JSON.stringify(
          r.body?.error?.message ?? '',
        )}`,
    );
  expect(unexpected).toEqual([]);
}

describe('5. both replicas started at the same moment on an empty database', () => {
  const demoFiles: Array<[string, string]> = [
    ['projects', 'projects.yaml'],
    ['pools', 'pools.yaml'],
    ['mcp-servers', 'mcp-servers.yaml'],
    ['ai-backends', 'ai-backends.yaml'],
    ['policies', 'policies.yaml'],
  ];

  it('start cleanly', async () => {
    figures.startup = tier.startup;
    expect(tier.startup.failures).toEqual([]);
    expect(tier.startup.errorLines).toEqual({ a: [], b: [] });
  });

  // On the databases the replicas run on: those they started on together,
  // or, when that failed, those they started on one after the other.
  it('load the demo data exactly once', async () => {
    const counts: Record<string, { expected: number; found: number }> = {};
    for (const [kind, file] of demoFiles) {
      const expected = (
        parse(
          readFileSync(path.join(repoRoot, 'examples', 'demo', file), 'utf8'),
        ) as Array<{ name: string }>
      ).map(o => o.name);
      const found = (await tier.api.listAll(`/${kind}`)).map(o => o.name);
      counts[kind] = { expected: expected.length, found: found.length };
      expect({ kind, names: sorted(found) }).toEqual({
        kind,
        names: sorted(expected),
      });
      // Created once: one `created` entry in each object's event log.
      for (const name of expected) {
        const events = await tier.api.get(`/${kind}/${name}/events?limit=100`);
        expect(events.status).toBe(200);
        const creations = events.body.items.filter(
          (e: { action: string }) => e.action === 'created',
        );
        expect({ kind, name, creations: creations.length }).toEqual({
          kind,
          name,
          creations: 1,
        });
      }
    }
    figures.demoData = counts;
    // Loaded by one replica (the plugin logs "Loaded <n> demo objects").
    const total = Object.values(counts).reduce((n, c) => n + c.expected, 0);
    const loads = tier.replicas.flatMap(r =>
      [...r.log().matchAll(/Loaded (\d+) demo objects/g)].map(
        m => `${r.name}: ${m[1]}`,
      ),
    );
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatch(new RegExp(`: ${total}$`));
  });
});

describe('1. a change through one replica reaches the other', () => {
  it("is in the other replica's manifests and wakes its long polls in under 1 s", async () => {
    const [a] = tier.direct;
    await created(a, 'projects', aProject('rep-c1', 'group:default/rep'));
    const pool = await created(
      a,
      'pools',
      aPool('c1-pool', 'rep-c1', { namespace: 'aigw-c1' }),
    );
    const token: string = pool.enrollmentToken;
    const rounds: Array<Record<string, unknown>> = [];
    // Round 0 is a warm-up: the first render and notification after start-up
    // run cold code on both replicas (reported, bounded at 5 s).
    for (const i of range(7)) {
      const writer = tier.direct[i % 2];
      const reader = tier.direct[(i + 1) % 2];
      const before = await reader.get('/pools/c1-pool/manifests');
      expect(before.status).toBe(200);
      const revision: string = before.body.revision;
      // The reader's long poll, parked on the revision it serves now.
      const longPoll = fetch(
        `${reader.baseUrl}/api/ai-gateway/agent/v1/bundle?wait=30`,
        {
          headers: {
            Authorization: `Bearer ${token}`,
            'If-None-Match': `"${revision}"`,
          },
          signal: AbortSignal.timeout(5000),
        },
      ).then(
        async res => ({
          status: res.status,
          revision: res.status === 200 ? (await res.json()).revision : '',
          at: Date.now(),
        }),
        () => ({ status: 0, revision: '', at: Date.now() }),
      );
      await sleep(300);
      const change = await writer.post(
        '/mcp-servers',
        anMcpServer(`c1-s${i}`, 'rep-c1', 'c1-pool'),
      );
      const committedAt = Date.now();
      expect(change.status).toBe(201);
      const expected: string = (await writer.get('/pools/c1-pool/manifests'))
        .body.revision;
      // Polled every 20 ms for up to 3 s.
      let visibleMs: number | undefined;
      while (Date.now() - committedAt < 3000) {
        const now = await reader.get('/pools/c1-pool/manifests');
        if (now.body?.revision === expected) {
          visibleMs = Date.now() - committedAt;
          break;
        }
        await sleep(20);
      }
      const pulled = await longPoll;
      const woke = pulled.status === 200 && pulled.revision === expected;
      rounds.push({
        ...(i === 0 ? { warmUp: true } : {}),
        writer: writer.label,
        reader: reader.label,
        visibleInManifestsMs: visibleMs ?? 'not within 3000',
        longPollWokenMs: woke
          ? pulled.at - committedAt
          : `not woken: ${
              pulled.status === 0
                ? 'still waiting after 5 s'
                : `${pulled.status} ${pulled.revision} after ${
                    pulled.at - committedAt
                  } ms, expected ${expected}`
            }`,
      });
    }
    figures.changeAcrossReplicas = rounds;
    const slow = rounds.filter(r => {
      const bound = r.warmUp ? 5000 : 1000;
      return !(
        typeof r.visibleInManifestsMs === 'number' &&
        r.visibleInManifestsMs < bound &&
        typeof r.longPollWokenMs === 'number' &&
        r.longPollWokenMs < bound
      );
    });
    expect(slow).toEqual([]);
  });
});

describe('2. concurrent updates of the same version across replicas', () => {
  it('exactly one of 20 wins, the others get 409', async () => {
    const [a] = tier.direct;
    await created(a, 'projects', aProject('rep-c2', 'group:default/rep'));
    await created(a, 'pools', aPool('c2-pool', 'rep-c2', { namespace: 'c2' }));
    await created(a, 'mcp-servers', anMcpServer('c2-mcp', 'rep-c2', 'c2-pool'));
    await created(a, 'ai-backends', anAiBackend('c2-ai', 'rep-c2', 'c2-pool'));
    const outcomes: Record<string, unknown> = {};
    for (const [kind, name] of [
      ['mcp-servers', 'c2-mcp'],
      ['pools', 'c2-pool'],
      ['ai-backends', 'c2-ai'],
    ]) {
      const current = (await a.get(`/${kind}/${name}`)).body;
      const { version, spec } = current;
      // Half send the version in the body, half in If-Match; a, b, a, b...
      const responses = await Promise.all(
        range(20).map(i =>
          split(i).request('PUT', `/${kind}/${name}`, {
            body: {
              ...spec,
              description: `update ${i}`,
              ...(i < 10 ? { version } : {}),
            },
            headers: i < 10 ? {} : { 'If-Match': `"${version}"` },
          }),
        ),
      );
      outcomes[kind] = tally(responses);
      expect({ kind, statuses: tally(responses) }).toEqual({
        kind,
        statuses: { 200: 1, 409: 19 },
      });
      const winner = responses.findIndex(r => r.status === 200);
      const after = (await tier.direct[1].get(`/${kind}/${name}`)).body;
      expect(after.version).toBe(version + 1);
      expect(after.spec.description).toBe(`update ${winner}`);
      const events = (await a.get(`/${kind}/${name}/events?limit=100`)).body
        .items as Array<{ action: string }>;
      expect(events.filter(e => e.action === 'updated')).toHaveLength(1);
    }
    figures.concurrentUpdates = outcomes;
  });
});

describe('3. concurrent creates with colliding names across replicas', () => {
  it('200 MCP servers with colliding names and prefixes: only 201/409/422, no duplicates', async () => {
    const [a] = tier.direct;
    await created(a, 'projects', aProject('rep-c3', 'group:default/rep'));
    await created(a, 'pools', aPool('c3-pool', 'rep-c3', { namespace: 'c3' }));
    // 80 names and 50 prefixes over 200 requests: most collide on one or both.
    const wanted = range(200).map(i => ({
      name: `c3-s${i % 80}`,
      prefix: `c3-p${(i * 7) % 50}`,
    }));
    const started = Date.now();
    const responses = await Promise.all(
      wanted.map((w, i) =>
        split(i).post(
          '/mcp-servers',
          anMcpServer(w.name, 'rep-c3', 'c3-pool', { prefix: w.prefix }),
        ),
      ),
    );
    figures.concurrentCreates = {
      mcpServers: tally(responses),
      ms: Date.now() - started,
    };
    expectOnlyStatuses(responses, [201, 409, 422]);
    const listed = await tier.api.listAll('/mcp-servers?pool=c3-pool');
    expect(duplicates(listed.map(s => s.name))).toEqual([]);
    expect(duplicates(listed.map(s => s.spec.prefix))).toEqual([]);
    // Each stored server is exactly the one request that got 201 for it.
    const winners = wanted.filter((_, i) => responses[i].status === 201);
    expect(sorted(listed.map(s => `${s.name} ${s.spec.prefix}`))).toEqual(
      sorted(winners.map(w => `${w.name} ${w.prefix}`)),
    );
  });

  it('40 pools with colliding names and cluster namespaces: only 201/409/422, no duplicates', async () => {
    const wanted = range(40).map(i => ({
      name: `c3-pool-${i % 10}`,
      namespace: `c3-ns-${i % 7}`,
    }));
    const responses = await Promise.all(
      wanted.map((w, i) =>
        split(i).post(
          '/pools',
          aPool(w.name, 'rep-c3', {
            namespace: w.namespace,
            cluster: { name: 'c3-cluster', type: 'eks' },
          }),
        ),
      ),
    );
    figures.concurrentPoolCreates = tally(responses);
    expectOnlyStatuses(responses, [201, 409, 422]);
    const listed = (await tier.api.listAll('/pools?project=rep-c3')).filter(
      p => p.spec.cluster.name === 'c3-cluster',
    );
    expect(duplicates(listed.map(p => p.name))).toEqual([]);
    expect(duplicates(listed.map(p => p.spec.namespace))).toEqual([]);
    const winners = wanted.filter((_, i) => responses[i].status === 201);
    expect(sorted(listed.map(p => `${p.name} ${p.spec.namespace}`))).toEqual(
      sorted(winners.map(w => `${w.name} ${w.namespace}`)),
    );
  });
});

describe('4. deletes racing creates across replicas', () => {
  async function orphans() {
    const [projects, pools, mcpServers, aiBackends, policies] =
      await Promise.all(
        ['projects', 'pools', 'mcp-servers', 'ai-backends', 'policies'].map(
          kind => tier.api.listAll(`/${kind}`),
        ),
      );
    const projectNames = new Set(projects.map(p => p.name));
    const poolNames = new Set(pools.map(p => p.name));
    return [
      ...pools
        .filter(p => !projectNames.has(p.spec.project))
        .map(p => `pool ${p.name} of missing project ${p.spec.project}`),
      ...[...mcpServers, ...aiBackends, ...policies]
        .filter(o => !poolNames.has(o.spec.pool))
        .map(o => `${o.kind} ${o.name} in missing pool ${o.spec.pool}`),
    ];
  }

  it('a pool deleted while MCP servers and AI backends are created in it leaves no orphans', async () => {
    await created(
      tier.direct[0],
      'projects',
      aProject('rep-c4', 'group:default/rep'),
    );
    const rounds: Array<Record<string, unknown>> = [];
    // `count` creates, one every `gapMs`; the delete `deleteAtMs` into them.
    // Dense: a cascade delete competes with creates committing while it
    // runs. Sparse: it has room to win, and later creates find no pool.
    const plans = [
      { cascade: true, deleteAtMs: 0, gapMs: 20, count: 50 },
      { cascade: false, deleteAtMs: 250, gapMs: 20, count: 50 },
      { cascade: true, deleteAtMs: 500, gapMs: 20, count: 50 },
      { cascade: true, deleteAtMs: 300, gapMs: 100, count: 30 },
      { cascade: true, deleteAtMs: 250, gapMs: 500, count: 8 },
    ];
    for (const [round, plan] of plans.entries()) {
      const { cascade, deleteAtMs, gapMs, count } = plan;
      const pool = `c4-pool-${round}`;
      await created(
        tier.direct[round % 2],
        'pools',
        aPool(pool, 'rep-c4', { namespace: `c4-${round}` }),
      );
      const creates = range(count).map(i =>
        sleep(i * gapMs).then(() =>
          i % 5 === 4
            ? split(i).post(
                '/ai-backends',
                anAiBackend(`c4-r${round}-ai${i}`, 'rep-c4', pool),
              )
            : split(i).post(
                '/mcp-servers',
                anMcpServer(`c4-r${round}-s${i}`, 'rep-c4', pool),
              ),
        ),
      );
      const deletion = sleep(deleteAtMs).then(() =>
        split(round + 1).request('DELETE', `/pools/${pool}?cascade=${cascade}`),
      );
      const [deleted, ...createResponses] = await Promise.all([
        deletion,
        ...creates,
      ]);
      rounds.push({
        pool,
        cascade,
        deleteAtMs,
        gapMs,
        delete: deleted.status
          ? `${deleted.status} ${deleted.body?.error?.message ?? ''}`.trim()
          : deleted.error,
        creates: tally(createResponses),
      });
      expectOnlyStatuses(createResponses, [201, 404, 409, 422]);
      // A cascade delete locks the pool: creates wait for it and then get
      // 422, instead of the delete losing to them with 409 for ever.
      expectOnlyStatuses([deleted], cascade ? [200] : [200, 409]);
      if (deleted.status === 409) {
        const cleanup = await tier.api.request(
          'DELETE',
          `/pools/${pool}?cascade=true`,
        );
        expect(cleanup.status).toBe(200);
      }
      expect(await orphans()).toEqual([]);
    }
    figures.deleteRacingCreate = rounds;
  });

  it('a project deleted while pools are created in it leaves no orphans', async () => {
    await created(
      tier.direct[1],
      'projects',
      aProject('rep-c4-gone', 'group:default/rep'),
    );
    await created(
      tier.direct[1],
      'pools',
      aPool('c4-gone-0', 'rep-c4-gone', { namespace: 'c4-gone-0' }),
    );
    const creates = range(20).map(i =>
      sleep(i * 30).then(() =>
        split(i).post(
          '/pools',
          aPool(`c4-gone-${i + 1}`, 'rep-c4-gone', {
            namespace: `c4-gone-${i + 1}`,
          }),
        ),
      ),
    );
    const deletion = sleep(300).then(() =>
      tier.direct[0].request('DELETE', '/projects/rep-c4-gone?cascade=true'),
    );
    const [deleted, ...createResponses] = await Promise.all([
      deletion,
      ...creates,
    ]);
    figures.projectDeleteRacingPoolCreate = {
      delete: deleted.status
        ? `${deleted.status} ${deleted.body?.error?.message ?? ''}`.trim()
        : deleted.error,
      creates: tally(createResponses),
    };
    expectOnlyStatuses(createResponses, [201, 404, 409, 422]);
    expectOnlyStatuses([deleted], [200]);
    expect(await orphans()).toEqual([]);
  });
});

describe('6. a replica killed (SIGKILL) under a running operator', () => {
  const NAMESPACE = 'aigw-c6';
  const POOL = 'c6-pool';
  // A real API server (scripts/kube.sh): the operator applies with strict
  // field validation and the cluster's own server-side apply.
  let cluster: RealApiServer;
  let kubeConfig: KubeConfig;
  let controllers: ControllerStatusWriter;
  let gate: KubernetesGate;
  let operator: OperatorProcess;
  const failover: Record<string, unknown> = {};

  const isPull = (r: ProxiedRequest) =>
    r.url.startsWith('/api/ai-gateway/agent/v1/bundle');
  const holder = (r: ProxiedRequest) => r.tried[r.tried.length - 1];
  const survivorOf = (name: string) =>
    tier.replicas.find(r => r.name !== name)!;
  const applied = (server: string) =>
    eventually(
      `MCP server ${server} applied to the cluster`,
      async () =>
        kubeConfig
          .makeApiClient(CustomObjectsApi)
          .getNamespacedCustomObject({
            group: 'agentgateway.dev',
            version: 'v1alpha1',
            namespace: NAMESPACE,
            plural: 'agentgatewaybackends',
            name: `mcp-${server}`,
          })
          .catch(() => undefined),
      30_000,
    );
  /**
   * A long poll parked at the load balancer: open for more than 0.5 s, and
   * with at least 5 s of its 20 s wait left, so it is not about to end.
   */
  const parkedLongPoll = () =>
    eventually(
      'a long poll of the operator parked at a replica',
      async () =>
        tier.lb.inFlight(r => {
          const open = Date.now() - r.startedAt;
          return isPull(r) && open > 500 && open < 15_000;
        })[0],
      40_000,
    );
  /** Both replicas up, whatever an earlier check left. */
  const bothRunning = async () => {
    for (const replica of tier.replicas) {
      if (!replica.running) {
        replica.start();
        await replica.waitUntilReady();
      }
    }
  };
  const active = () =>
    eventually(
      `pool ${POOL} Active with the desired revision running`,
      async () => {
        const res = await tier.api.get(`/pools/${POOL}/status`);
        const s = res.body;
        return res.status === 200 &&
          s.phase === 'Active' &&
          s.heartbeat?.runningRevision === s.desiredRevision
          ? s
          : undefined;
      },
      60_000,
      250,
    );

  beforeAll(async () => {
    // Builds kube-apiserver and etcd once (cached), starts them with the
    // CRDs and the GatewayClass every bundle needs.
    cluster = await startRealApiServer(path.join(outputDir, 'cluster'));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfig);
    kubeConfig.setCurrentContext('local');
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NAMESPACE } } });
    // No controllers run here: write the status they would, so the pool can be Active.
    controllers = ControllerStatusWriter.start(kubeConfig, NAMESPACE);
    gate = await KubernetesGate.start(cluster.server, {
      caData: cluster.caData,
    });
    await created(
      tier.api,
      'projects',
      aProject('rep-c6', 'group:default/rep'),
    );
    const pool = await created(
      tier.api,
      'pools',
      aPool(POOL, 'rep-c6', {
        namespace: NAMESPACE,
        cluster: { name: 'test-cluster', type: 'native' },
      }),
    );
    operator = new OperatorProcess({
      controlPlaneUrl: `${tier.lb.url}/api/ai-gateway`,
      enrollmentToken: pool.enrollmentToken,
      namespace: NAMESPACE,
      kubernetesUrl: gate.url,
      // The cluster's admin: this check is about replicas, RBAC is the kube tier's.
      kubernetesToken: kubeConfig.getCurrentUser()!.token!,
      pollSeconds: 20,
      healthPort: await freePort(),
    });
    const started = Date.now();
    await active();
    failover.firstActiveMs = Date.now() - started;
    // A first run on a machine builds kube-apiserver and etcd (minutes); later runs take the cache.
  }, 900_000);

  afterAll(async () => {
    figures.operatorFailover = failover;
    await operator?.stop();
    await gate?.stop();
    await controllers?.stop();
    cluster?.stop();
  });

  it('killed mid long poll: the operator reconnects to the other replica and applies a later change', async () => {
    await bothRunning();
    const poll = await parkedLongPoll();
    const victim = tier.replica(holder(poll));
    const survivor = survivorOf(victim.name);
    const killedAt = Date.now();
    await victim.killHard();
    await eventually('the long poll reset', async () => poll.outcome, 5000);
    expect(poll.outcome).toBe('reset');

    const again = await eventually(
      'the operator long-polling again',
      async () => tier.lb.inFlight(r => isPull(r) && r.startedAt > killedAt)[0],
      30_000,
    );
    failover.midLongPoll = {
      killed: victim.name,
      reconnectedMs: again.startedAt - killedAt,
    };
    expect(holder(again)).toBe(survivor.name);

    const changedAt = Date.now();
    await created(
      tier.api,
      'mcp-servers',
      anMcpServer('c6-after-kill', 'rep-c6', POOL),
    );
    await applied('c6-after-kill');
    const activeAgain = await active();
    Object.assign(failover.midLongPoll as object, {
      changeAppliedMs: Date.now() - changedAt,
      revision: activeAgain.desiredRevision,
    });

    // Back to two replicas for the next check.
    const restarted = Date.now();
    await bothRunning();
    (failover.midLongPoll as any).restartMs = Date.now() - restarted;
  });

  it('killed mid apply: the apply completes, the other replica takes the report, a later change is applied', async () => {
    await bothRunning();
    const poll = await parkedLongPoll();
    const host = tier.replica(holder(poll));
    const hostApi = tier.direct[tier.replicas.indexOf(host)];
    gate.hold();
    // Through the replica holding the long poll, so this check does not
    // depend on check 1 (a change reaching the other replica).
    await created(
      hostApi,
      'mcp-servers',
      anMcpServer('c6-mid-apply', 'rep-c6', POOL),
    );
    await gate.waitForHeldApply(30_000);
    const served = tier.lb.log.filter(r => isPull(r) && r.status === 200);
    const bundleFrom = served[served.length - 1].upstream!;
    const victim = tier.replica(bundleFrom);
    const killedAt = Date.now();
    await victim.killHard();
    await sleep(500);
    gate.release();
    await applied('c6-mid-apply');
    const changedAt = Date.now();
    await created(
      tier.api,
      'mcp-servers',
      anMcpServer('c6-after-second-kill', 'rep-c6', POOL),
    );
    await applied('c6-after-second-kill');
    const activeAgain = await active();
    failover.midApply = {
      killed: victim.name,
      activeAfterKillMs: Date.now() - killedAt,
      changeAppliedMs: Date.now() - changedAt,
      revision: activeAgain.desiredRevision,
    };
  });

  it('applied every revision once and lost nothing', async () => {
    // Every revision served to the operator once...
    const served = tier.lb.log
      .filter(r => isPull(r) && r.status === 200 && r.outcome === 'ok')
      .map(r => ({ revision: r.etag!, at: r.startedAt }));
    const servedTwice = duplicates(served.map(s => s.revision));
    // ...applied once (the operator's log)...
    const appliedRevisions = operator.appliedRevisions();
    // ...and each object patched once per revision (the cluster's side).
    const patches = new Map<string, number>();
    for (const apply of gate.applies) {
      const revision = served.filter(s => s.at <= apply.at).pop()?.revision;
      const key = `${revision} ${apply.path}`;
      patches.set(key, (patches.get(key) ?? 0) + 1);
    }
    failover.revisionsServed = served.map(s => s.revision);
    failover.revisionsApplied = appliedRevisions;
    failover.applyRequests = gate.applies.length;
    expect(servedTwice).toEqual([]);
    expect(duplicates(appliedRevisions)).toEqual([]);
    expect([...patches].filter(([, n]) => n > 1)).toEqual([]);

    // Nothing lost: the cluster holds exactly the pool's current runtime objects.
    const bundle = (await tier.api.get(`/pools/${POOL}/manifests`)).body;
    const desired = (bundle.objects as any[])
      .filter(
        o => o.metadata.labels?.['ai-gateway.backstage.io/stage'] === 'runtime',
      )
      .map(o => `${o.kind}/${o.metadata.name}`);
    const objects = kubeConfig.makeApiClient(KubernetesObjectApi);
    const live: string[] = [];
    for (const { apiVersion, kind } of bundle.kinds as Array<{
      apiVersion: string;
      kind: string;
    }>) {
      const list = await objects.list(
        apiVersion,
        kind,
        NAMESPACE,
        undefined,
        undefined,
        undefined,
        undefined,
        `ai-gateway.backstage.io/pool=${POOL},ai-gateway.backstage.io/stage=runtime`,
      );
      live.push(...list.items.map(o => `${kind}/${o.metadata!.name}`));
    }
    expect(sorted(live)).toEqual(sorted(desired));
    expect(appliedRevisions[appliedRevisions.length - 1]).toBe(bundle.revision);
  });
});
