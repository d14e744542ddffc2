import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  derivePoolHealth,
  heartbeatSchema,
  type AiBackend,
  type FleetEntry,
  type Heartbeat,
  type McpServer,
  type Policy,
  type Pool,
  type PoolStatus,
  type Project,
  type ResourceChangeEvent,
  type ResourceKind,
  formatZodIssues,
  CONTROL_PLANE_OPERATOR,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  bundleToGitopsFiles,
  bundleToYaml,
  deployerRules,
  describeError,
  diffBundle,
  readBundleHealth,
  KubernetesApplier,
  type ApplyResult,
  type BudgetRefusal,
  type BundleDiff,
  type ManifestBundle,
  type ManifestObject,
  objectsOfStage,
  poolLabelSelector,
  type PolicyRule,
  type PoolDesiredState,
  RendererRegistry,
  type RenderOptions,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import { mcpRiskByPool, noMcpRisk } from '../contracts/fleetMcpRisk';
import type { LeaseStore } from '../database/LeaseStore';
import type { PoolChangeFeed, PoolChanges } from '../database/PoolChangeFeed';
import type {
  PoolStatusStore,
  StoredPoolStatus,
} from '../database/PoolStatusStore';
import { invalidInput } from '../service/errors';
import type { Caller, ResourceService } from '../service/ResourceService';
import type { ClusterConnector } from '@ai-gateway-backstage/plugin-ai-gateway-node';

const PAGE = 500;
/**
 * A bundle is re-rendered at least this often even without a change event.
 * Change events reach every replica (and a replica that may have missed some
 * drops everything), so this is only a safety net; short, it made the health
 * monitor re-render every pool on most passes.
 */
const BUNDLE_TTL_MS = 15 * 60_000;
/** A replica that dies mid-reconcile holds its pool's lease at most this long. */
const RECONCILE_LEASE_MS = 60_000;
/** Status saves that lose a race with another replica are derived again this often. */
const STATUS_SAVE_ATTEMPTS = 5;

export type AgentBundle = {
  pool: string;
  namespace: string;
  revision: string;
  objects: ManifestObject[];
  kinds: ManifestBundle['kinds'];
  labelSelector: string;
  /** Apply everything even if the revision is the one running. */
  reseed: boolean;
};

export type DiffResult = {
  pool: string;
  revision: string;
  /** What the diff was taken against: the cluster itself, or the bundle the operator last reported running. */
  against: 'cluster' | 'running-revision' | 'nothing-running';
  runningRevision?: string;
  diff: BundleDiff;
};

type Waiter = () => void;

/** A heartbeat or pull without a valid pool token. */
const AGENT_TOKEN_REQUIRED =
  'A valid pool enrollment token is required (Authorization: Bearer aigw_...); it may have been rotated';

/**
 * Drives the operator: renders each pool's bundle, serves it to agents
 * (heartbeat + conditional pull), applies it itself for direct pools, and
 * keeps every pool's phase and conditions (the health monitor).
 */
export class PoolDeliveryService {
  readonly #bundles = new Map<string, { bundle: ManifestBundle; at: number }>();
  /**
   * Bumped on every change to a pool. A render that started before a change
   * must not cache what it read, and a long poll that reads while a change
   * lands must not then wait for it: both compare it before and after.
   */
  readonly #changes = new Map<string, number>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #reconciles = new Map<string, Promise<unknown>>();
  readonly #statuses: PoolStatusStore;
  readonly #leases: LeaseStore;
  /** Pools changed here and not yet told to the other replicas. */
  #unpublished?: Set<string>;
  /** Status updates of one pool run one at a time (read, derive, write). */
  readonly #statusLocks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      resources: ResourceService;
      registry: RendererRegistry;
      renderOptions: RenderOptions;
      clusters: ClusterConnector;
      /** Tells the other backend replicas which pools changed. */
      feed?: PoolChangeFeed;
      logger: LoggerService;
      clock?: () => Date;
      /** Waits before a direct pool is reconciled after a change, to batch bursts. */
      reconcileDelayMs?: number;
      /** The budgets exceeded now, as refusals of what a pool holds. */
      budgets?: {
        refusalsFor(contents: {
          mcpServers: McpServer[];
          aiBackends: AiBackend[];
          projects: Array<{ name: string; owner: string }>;
        }): Promise<BudgetRefusal[]>;
        /** Pools whose refusals changed without a change to their objects. */
        onPoolsChanged?(listener: (pools: string[]) => void): void;
        /** The budget state of each pool, for the fleet. */
        poolBudgets?(
          pools: string[],
        ): Promise<Map<string, NonNullable<FleetEntry['budgets']>>>;
      };
    },
  ) {
    this.#statuses = deps.store.poolStatus();
    this.#leases = deps.store.leases();
    deps.resources.onChange(change => this.#onChange(change));
    deps.feed?.subscribe(changes => this.#onRemoteChange(changes));
    deps.budgets?.onPoolsChanged?.(pools => this.renderAgain(pools));
  }

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  // --- desired state -----------------------------------------------------------

  async #all<T>(kind: ResourceKind, pool: string): Promise<T[]> {
    const out: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.store.list<T>(kind, {
        filters: { pool },
        after,
        limit: PAGE,
      });
      out.push(...page.items.map(i => i.spec));
      if (!page.hasMore) return out;
      after = page.items[page.items.length - 1].name;
    }
  }

  async desiredState(pool: string): Promise<PoolDesiredState | undefined> {
    const object = await this.deps.store.get<Pool>('pool', pool);
    if (!object) return undefined;
    const [mcpServers, aiBackends, policies] = await Promise.all([
      this.#all<McpServer>('mcpServer', pool),
      this.#all<AiBackend>('aiBackend', pool),
      this.#all<Policy>('policy', pool),
    ]);
    // Their owners are the teams the pool's traffic is counted for.
    const projectNames = new Set([
      object.spec.project,
      ...mcpServers.map(s => s.project),
      ...aiBackends.map(b => b.project),
    ]);
    const projects = (
      await this.deps.store.getMany<Project>('project', [...projectNames])
    ).map(p => ({ name: p.name, owner: p.spec.owner }));
    const budgetRefusals = await this.deps.budgets?.refusalsFor({
      mcpServers,
      aiBackends,
      projects,
    });
    return {
      pool: object.spec,
      mcpServers,
      aiBackends,
      policies,
      projects,
      ...(budgetRefusals?.length ? { budgetRefusals } : {}),
    };
  }

  /**
   * What these pools enforce changed outside their objects (a budget was
   * exceeded or lifted): render them again and wake their operators, here
   * and on the other replicas, as after a change to one of their objects.
   */
  renderAgain(pools: string[]) {
    for (const pool of pools) {
      this.#poolChanged(pool, {
        action: 'upserted',
        kind: 'pool',
        name: pool,
        project: '',
        version: 0,
      });
    }
  }

  /** The pools whose bundles name a project: its own pools and those holding its MCP servers or AI backends. */
  async #poolsOfProject(project: string): Promise<string[]> {
    const pools = new Set<string>();
    for (const kind of ['pool', 'mcpServer', 'aiBackend'] as const) {
      let after: string | undefined;
      for (;;) {
        const page = await this.deps.store.list(kind, {
          filters: { project },
          after,
          limit: PAGE,
        });
        page.items.forEach(i => pools.add(kind === 'pool' ? i.name : i.pool!));
        if (!page.hasMore) break;
        after = page.items[page.items.length - 1].name;
      }
    }
    return [...pools].sort();
  }

  /** The pool's bundle; re-rendered after any change to the pool or what it holds. */
  async bundle(pool: string): Promise<ManifestBundle | undefined> {
    const cached = this.#bundles.get(pool);
    if (cached && Date.now() - cached.at < BUNDLE_TTL_MS) return cached.bundle;
    const generation = this.#changes.get(pool) ?? 0;
    const state = await this.desiredState(pool);
    if (!state) return undefined;
    const bundle = this.deps.registry.renderBundle(
      state,
      this.deps.renderOptions,
    );
    if ((this.#changes.get(pool) ?? 0) === generation)
      this.#bundles.set(pool, { bundle, at: Date.now() });
    return bundle;
  }

  /** Something about the pool changed: drop what was rendered, wake its long polls. */
  #changed(pool: string) {
    this.#changes.set(pool, (this.#changes.get(pool) ?? 0) + 1);
    this.#bundles.delete(pool);
    this.#statuses.forgetSavedRevision(pool);
    const waiters = this.#waiters.get(pool);
    if (!waiters) return;
    this.#waiters.delete(pool);
    waiters.forEach(w => w());
  }

  /** Tells the other replicas, once per tick however many changes a request made. */
  #publish(pool: string) {
    if (!this.deps.feed) return;
    if (this.#unpublished) {
      this.#unpublished.add(pool);
      return;
    }
    this.#unpublished = new Set([pool]);
    setImmediate(() => {
      const pools = [...(this.#unpublished ?? [])];
      this.#unpublished = undefined;
      this.deps.feed!.publish(pools).catch(error =>
        // Their caches still expire (BUNDLE_TTL_MS); their waiters time out.
        this.deps.logger.warn(
          `Could not tell the other replicas that pools ${pools.join(
            ', ',
          )} changed`,
          error,
        ),
      );
    });
  }

  /** Another replica changed these pools (or, with 'all', any pool may have changed). */
  #onRemoteChange(changes: PoolChanges) {
    const pools =
      changes === 'all'
        ? new Set([...this.#bundles.keys(), ...this.#waiters.keys()])
        : changes;
    for (const pool of pools) this.#changed(pool);
  }

  #onChange(change: ResourceChangeEvent) {
    if (change.kind === 'project' && change.action !== 'deleted') {
      // Its owner may have changed: the team its pools' traffic is counted for.
      this.#poolsOfProject(change.name)
        .then(pools => pools.forEach(pool => this.#poolChanged(pool, change)))
        .catch(error =>
          this.deps.logger.warn(
            `Could not find the pools of project ${change.name} to render again`,
            error,
          ),
        );
      return;
    }
    const pool = change.kind === 'pool' ? change.name : change.pool;
    if (!pool) return;
    this.#poolChanged(pool, change);
  }

  #poolChanged(pool: string, change: ResourceChangeEvent) {
    this.#changed(pool);
    this.#publish(pool);
    if (change.kind === 'pool' && change.action === 'deleted') {
      this.#statuses
        .delete(pool)
        .catch(error =>
          this.deps.logger.warn(
            `Could not drop the status of pool ${pool}`,
            error,
          ),
        );
      return;
    }
    // Desired revision changed: the pool's phase may have too (OutOfSync).
    this.#later(pool, async () => {
      const object = await this.deps.store.get<Pool>('pool', pool);
      if (object?.spec.delivery.mode === 'direct')
        await this.reconcileDirect(pool, { reseed: false });
      // A pool no operator has reported from stays Pending whatever changes:
      // rendering it after every change would only refresh its desired
      // revision, which the health monitor does on its next pass.
      else if ((await this.#statuses.get(pool))?.heartbeat)
        await this.refresh(pool);
    });
  }

  /** Runs `task` for a pool after a short delay, once per burst of changes. */
  #later(pool: string, task: () => Promise<unknown>) {
    if (this.#reconciles.has(`later:${pool}`)) return;
    const run = new Promise<void>(resolve =>
      setTimeout(resolve, this.deps.reconcileDelayMs ?? 50),
    ).then(async () => {
      this.#reconciles.delete(`later:${pool}`);
      try {
        await task();
      } catch (error) {
        this.deps.logger.warn(
          `Reconciling pool ${pool} failed`,
          error as Error,
        );
      }
    });
    this.#reconciles.set(`later:${pool}`, run);
  }

  /** Resolves when something about the pool changes, or after `ms`. */
  #waitForChange(
    pool: string,
    ms: number,
    signal?: AbortSignal,
  ): Promise<void> {
    return new Promise(resolve => {
      const set = this.#waiters.get(pool) ?? new Set<Waiter>();
      this.#waiters.set(pool, set);
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
      // A hoisted declaration: the timer above calls it, and it clears that timer.
      function done() {
        clearTimeout(timer);
        set.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  // --- what people ask for -------------------------------------------------------

  async manifests(pool: string, caller: Caller): Promise<ManifestBundle> {
    await this.deps.resources.authorizedPool(pool, 'read', caller);
    return this.#requireBundle(pool);
  }

  /** The bundle as multi-document YAML (serialised only when asked: ~0.7 s for 5,000 objects). */
  async manifestsYaml(
    pool: string,
    caller: Caller,
  ): Promise<{ revision: string; yaml: string }> {
    const bundle = await this.manifests(pool, caller);
    return { revision: bundle.revision, yaml: bundleToYaml(bundle) };
  }

  /** The bundle as a kustomize directory (gitops delivery; the scaffolder publishes it). */
  async gitopsFiles(
    pool: string,
    caller: Caller,
  ): Promise<{
    pool: string;
    revision: string;
    files: Record<string, string>;
  }> {
    await this.deps.resources.authorizedPool(pool, 'read', caller);
    const bundle = await this.#requireBundle(pool);
    await this.#statuses.saveRevision(bundle, this.#now());
    return {
      pool,
      revision: bundle.revision,
      files: bundleToGitopsFiles(bundle),
    };
  }

  async #requireBundle(pool: string): Promise<ManifestBundle> {
    const bundle = await this.bundle(pool);
    if (!bundle) throw new NotFoundError(`Pool '${pool}' not found`);
    return bundle;
  }

  /**
   * What applying the bundle would change. Direct pools are compared with
   * the cluster itself; agent and gitops pools (which the control plane
   * cannot reach) with the bundle the operator reports running.
   */
  async diffLive(pool: string, caller: Caller): Promise<DiffResult> {
    const object = await this.deps.resources.authorizedPool<Pool>(
      pool,
      'read',
      caller,
    );
    const bundle = await this.#requireBundle(pool);
    const desired = objectsOfStage(bundle, 'runtime').concat(
      objectsOfStage(bundle, 'bootstrap'),
    );
    if (object.spec.delivery.mode === 'direct') {
      const applier = this.#applier(object.spec);
      let live: Awaited<ReturnType<KubernetesApplier['list']>>;
      try {
        live = await applier.list(bundle.kinds, poolLabelSelector(pool));
      } catch (error) {
        // The cluster, not the request, is at fault.
        throw new ServiceUnavailableError(
          `Cannot read pool ${pool} from cluster '${
            object.spec.cluster.name
          }': ${describeError(error).message}`,
        );
      }
      return {
        pool,
        revision: bundle.revision,
        against: 'cluster',
        diff: diffBundle(desired, live),
      };
    }
    const running =
      (await this.#statuses.get(pool))?.heartbeat?.runningRevision ?? undefined;
    const runningObjects = running
      ? await this.#statuses.getRevision(pool, running)
      : undefined;
    return {
      pool,
      revision: bundle.revision,
      against: runningObjects ? 'running-revision' : 'nothing-running',
      ...(running ? { runningRevision: running } : {}),
      diff: diffBundle(desired, (runningObjects ?? []) as ManifestObject[]),
    };
  }

  /** The namespace-scoped Role a person needs to install the pool . */
  async deployerRole(pool: string, caller: Caller): Promise<ManifestObject> {
    const object = await this.deps.resources.authorizedPool<Pool>(
      pool,
      'read',
      caller,
    );
    return {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: {
        name: 'aigateway-deployer',
        namespace: object.spec.namespace,
      },
      rules: deployerRules({
        poolProvidedServiceAccount: !!object.spec.serviceAccount,
        grantedRules: objectsOfStage(
          await this.#requireBundle(pool),
          'bootstrap',
        )
          .filter(o => o.kind === 'Role')
          .flatMap(o => (o as { rules?: PolicyRule[] }).rules ?? []),
      }),
    };
  }

  async status(pool: string, caller: Caller): Promise<PoolStatus> {
    await this.deps.resources.authorizedPool(pool, 'read', caller);
    return this.refresh(pool);
  }

  /** Force sync (re-read and reconcile now) or reseed (re-apply everything). */
  async request(
    pool: string,
    what: 'sync' | 'reseed',
    caller: Caller,
  ): Promise<{
    pool: string;
    requested: 'sync' | 'reseed';
    mode: string;
    result?: PoolStatus;
  }> {
    return this.deps.resources.audited(what, 'pool', pool, caller, async () => {
      const object = await this.deps.resources.authorizedPool<Pool>(
        pool,
        'update',
        caller,
      );
      const now = this.#now();
      this.#changed(pool);
      await this.deps.resources.appendPoolEvent(
        object,
        `${what}-requested`,
        caller.actor,
        what === 'sync'
          ? 'Force sync requested: the operator reconciles now'
          : 'Reseed requested: every object is re-applied from the control plane',
      );
      if (object.spec.delivery.mode === 'direct') {
        const result = await this.reconcileDirect(pool, {
          reseed: what === 'reseed',
        });
        return { pool, requested: what, mode: 'direct', result };
      }
      await this.#statuses.request(pool, what, now);
      this.#changed(pool);
      this.#publish(pool);
      return { pool, requested: what, mode: object.spec.delivery.mode };
    });
  }

  // --- the operator's side (agent delivery) -------------------------------------------

  async #agentPool(token: string | undefined): Promise<StoredPoolObject> {
    const pool = token
      ? await this.deps.resources.verifyEnrollmentToken(token)
      : undefined;
    const object = pool
      ? await this.deps.store.get<Pool>('pool', pool)
      : undefined;
    if (!object) throw new AuthenticationError(AGENT_TOKEN_REQUIRED);
    return object;
  }

  /** Stores a heartbeat, re-derives the pool's status and says what the operator should do. */
  async heartbeat(token: string | undefined, body: unknown) {
    const object = await this.#agentPool(token);
    const parsed = heartbeatSchema.safeParse(body);
    if (!parsed.success) {
      const issues = formatZodIssues(parsed.error);
      throw invalidInput(
        `Invalid heartbeat: ${issues
          .map(i => `${i.field}: ${i.message}`)
          .join('; ')}`,
        issues,
      );
    }
    const status = await this.#recordHeartbeat(object, parsed.data);
    const stored = await this.#statuses.get(object.name);
    return {
      pool: object.name,
      phase: status.phase,
      desiredRevision: status.desiredRevision,
      syncRequested: !!stored?.syncRequestedAt,
      reseedRequested: !!stored?.reseedRequestedAt,
    };
  }

  /**
   * The runtime objects for the operator. With `ifNoneMatch` equal to the
   * desired revision and nothing requested, waits up to `waitMs` for a change
   * (long poll) and answers `undefined` (HTTP 304) if none came.
   */
  async pull(
    token: string | undefined,
    options: { ifNoneMatch?: string; waitMs?: number; signal?: AbortSignal },
  ): Promise<AgentBundle | undefined> {
    const object = await this.#agentPool(token);
    const deadline = Date.now() + Math.min(options.waitMs ?? 0, 60_000);
    for (;;) {
      const changes = this.#changes.get(object.name) ?? 0;
      const bundle = await this.#requireBundle(object.name);
      const stored = await this.#statuses.get(object.name);
      const reseed = !!stored?.reseedRequestedAt;
      const sync = !!stored?.syncRequestedAt;
      if (bundle.revision !== options.ifNoneMatch || reseed || sync) {
        const now = this.#now();
        await this.#statuses.saveRevision(bundle, now);
        if (stored && (reseed || sync))
          await this.#statuses.clearRequests(object.name, now.toISOString());
        return {
          pool: object.name,
          namespace: bundle.namespace,
          revision: bundle.revision,
          objects: objectsOfStage(bundle, 'runtime'),
          kinds: bundle.kinds,
          labelSelector: poolLabelSelector(object.name, 'runtime'),
          reseed,
        };
      }
      const left = deadline - Date.now();
      if (left <= 0 || options.signal?.aborted) return undefined;
      if ((this.#changes.get(object.name) ?? 0) !== changes) continue;
      await this.#waitForChange(object.name, left, options.signal);
    }
  }

  // --- direct delivery -----------------------------------------------------------------

  #applier(pool: Pool): KubernetesApplier {
    const kubeConfig = this.deps.clusters.kubeConfig(pool.cluster.name);
    if (!kubeConfig) {
      throw new InputError(
        `cluster '${
          pool.cluster.name
        }' is not in kubernetes.clusterLocatorMethods (known: ${
          this.deps.clusters.clusters.join(', ') || 'none'
        }); direct delivery needs it`,
      );
    }
    return new KubernetesApplier(kubeConfig, { namespace: pool.namespace });
  }

  /**
   * Applies a direct pool's bundle (one reconcile per pool at a time), reads
   * its components back and records the outcome as the pool's heartbeat.
   */
  async reconcileDirect(
    pool: string,
    options: { reseed: boolean },
  ): Promise<PoolStatus> {
    const previous = this.#reconciles.get(pool) ?? Promise.resolve();
    // One reconcile per pool across replicas: another replica's is waited for.
    const run = previous
      .catch(() => undefined)
      .then(() =>
        this.#leases.withLease(
          `reconcile:${pool}`,
          { ttlMs: RECONCILE_LEASE_MS, waitMs: 2 * RECONCILE_LEASE_MS },
          () => this.#reconcileDirectNow(pool, options),
        ),
      );
    this.#reconciles.set(pool, run);
    try {
      return await run;
    } finally {
      if (this.#reconciles.get(pool) === run) this.#reconciles.delete(pool);
    }
  }

  async #reconcileDirectNow(
    pool: string,
    options: { reseed: boolean },
  ): Promise<PoolStatus> {
    const object = await this.deps.store.get<Pool>('pool', pool);
    if (!object) throw new NotFoundError(`Pool '${pool}' not found`);
    if (object.spec.delivery.mode !== 'direct') {
      throw new ConflictError(
        `Pool '${pool}' is delivered in ${object.spec.delivery.mode} mode, not direct`,
      );
    }
    const bundle = await this.#requireBundle(pool);
    const previous = (await this.#statuses.get(pool))?.heartbeat;
    const now = () => this.#now().toISOString();
    let result: ApplyResult | undefined;
    let failure: string | undefined;
    let components: Heartbeat['components'] = previous?.components ?? [];
    try {
      const applier = this.#applier(object.spec);
      const objects = objectsOfStage(bundle, 'runtime');
      const unchanged =
        previous?.runningRevision === bundle.revision &&
        previous?.lastApply?.succeeded;
      if (!unchanged || options.reseed) {
        const problems = await applier.preflight(objects);
        if (problems.length) {
          failure = problems.map(p => p.message).join('; ');
        } else {
          result = await applier.apply(objects, {
            prune: {
              labelSelector: poolLabelSelector(pool, 'runtime'),
              kinds: bundle.kinds,
            },
          });
          if (result.failed.length) {
            failure = result.failed
              .slice(0, 5)
              .map(f => `${f.ref}: ${f.code ? `${f.code} ` : ''}${f.message}`)
              .join('; ');
          }
        }
      }
      if (!failure) components = await this.#readHealth(applier, bundle);
    } catch (error) {
      const { code, message } = describeError(error);
      failure =
        code === 0 && !(error instanceof InputError)
          ? `the Kubernetes API server cannot be reached: ${message}`
          : message;
    }
    const applied =
      !failure &&
      (result !== undefined || previous?.runningRevision === bundle.revision);
    if (applied) await this.#statuses.saveRevision(bundle, this.#now());
    const heartbeat: Heartbeat = {
      operatorVersion: CONTROL_PLANE_OPERATOR,
      runningRevision: applied
        ? bundle.revision
        : previous?.runningRevision ?? null,
      receivedAt: now(),
      components,
      lastApply:
        result || failure
          ? {
              revision: bundle.revision,
              succeeded: !failure,
              appliedAt: now(),
              objects: result?.applied.length ?? 0,
              ...(failure ? { message: failure.slice(0, 32000) } : {}),
            }
          : previous?.lastApply,
    };
    return this.#recordHeartbeat(object, heartbeat);
  }

  #readHealth(
    applier: KubernetesApplier,
    bundle: ManifestBundle,
  ): Promise<Heartbeat['components']> {
    return readBundleHealth(applier, bundle, poolLabelSelector(bundle.pool));
  }

  // --- status --------------------------------------------------------------------------

  async #serial<T>(pool: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#statusLocks.get(pool) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.#statusLocks.set(pool, run);
    try {
      return await run;
    } finally {
      if (this.#statusLocks.get(pool) === run) this.#statusLocks.delete(pool);
    }
  }

  #recordHeartbeat(
    object: StoredPoolObject,
    heartbeat: Heartbeat,
  ): Promise<PoolStatus> {
    return this.#serial(object.name, () =>
      this.#recordHeartbeatNow(object, heartbeat),
    );
  }

  async #recordHeartbeatNow(
    object: StoredPoolObject,
    heartbeat: Heartbeat,
  ): Promise<PoolStatus> {
    const received: Heartbeat = {
      ...heartbeat,
      receivedAt:
        heartbeat.receivedAt &&
        heartbeat.operatorVersion === CONTROL_PLANE_OPERATOR
          ? heartbeat.receivedAt
          : this.#now().toISOString(),
    };
    const previous = await this.#statuses.get(object.name);
    const last = previous?.heartbeat?.lastApply;
    // Log an apply when its outcome changes, not every retry of the same failure
    // (a direct pool whose cluster is missing would otherwise flood its event log).
    const sameOutcome =
      last !== undefined &&
      received.lastApply?.succeeded === last.succeeded &&
      received.lastApply?.revision === last.revision &&
      received.lastApply?.message === last.message;
    if (
      received.lastApply &&
      received.lastApply.appliedAt !== last?.appliedAt &&
      !sameOutcome
    ) {
      const a = received.lastApply;
      await this.deps.resources.appendPoolEvent(
        object,
        a.succeeded ? 'applied' : 'apply-failed',
        received.operatorVersion === CONTROL_PLANE_OPERATOR
          ? 'control-plane'
          : `operator:${object.name}`,
        a.succeeded
          ? `Applied ${a.revision}${
              a.objects !== undefined ? ` (${a.objects} objects)` : ''
            }`
          : `Applying ${a.revision} failed: ${a.message ?? 'no reason given'}`,
      );
    }
    return this.#derive(object, received, previous);
  }

  /** Re-derives a pool's status now (the health monitor calls this for every pool). */
  async refresh(pool: string): Promise<PoolStatus> {
    return this.#serial(pool, async () => {
      const object = await this.deps.store.get<Pool>('pool', pool);
      if (!object) throw new NotFoundError(`Pool '${pool}' not found`);
      const previous = await this.#statuses.get(pool);
      return this.#derive(object, undefined, previous);
    });
  }

  async #derive(
    object: StoredPoolObject,
    heartbeat: Heartbeat | undefined,
    previous: StoredPoolStatus | undefined,
  ): Promise<PoolStatus> {
    let derivedFrom = previous;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#deriveOnce(object, heartbeat, derivedFrom);
      if (outcome.saved || attempt >= STATUS_SAVE_ATTEMPTS)
        return outcome.status;
      // Another replica saved this pool's status meanwhile: derive from its.
      derivedFrom = await this.#statuses.get(object.name);
    }
  }

  async #deriveOnce(
    object: StoredPoolObject,
    heartbeat: Heartbeat | undefined,
    previous: StoredPoolStatus | undefined,
  ): Promise<{ status: PoolStatus; saved: boolean }> {
    const bundle = await this.#requireBundle(object.name);
    const current = heartbeat ?? previous?.heartbeat;
    const now = this.#now();
    const derived = derivePoolHealth(
      {
        now,
        heartbeat: current,
        heartbeatStaleSeconds: object.spec.heartbeatStaleSeconds,
        desiredRevision: bundle.revision,
      },
      previous,
    );
    const status: PoolStatus = {
      pool: object.name,
      ...derived,
      desiredRevision: bundle.revision,
      ...(current ? { heartbeat: current } : {}),
    };
    const changed =
      !previous ||
      previous.phase !== status.phase ||
      previous.desiredRevision !== status.desiredRevision ||
      JSON.stringify(previous.conditions) !==
        JSON.stringify(status.conditions) ||
      heartbeat !== undefined;
    if (
      changed &&
      !(await this.#statuses.save({ ...status, heartbeat }, previous, now))
    ) {
      return { status, saved: false };
    }
    if (
      previous?.phase !== status.phase &&
      (previous || status.phase !== 'Pending')
    ) {
      const ready = status.conditions.find(c => c.type === 'Ready');
      await this.deps.resources.appendPoolEvent(
        object,
        'phase-changed',
        'control-plane',
        `${previous?.phase ?? 'Pending'} → ${status.phase}${
          ready?.status === 'True' ? '' : `: ${ready?.message ?? ''}`
        }`,
      );
    }
    return { status, saved: true };
  }

  /**
   * The fleet: every pool the caller may see, with its phase, heartbeat,
   * desired and running revision, and how many MCP servers, AI backends and
   * policies it holds. Statuses are as the monitor last derived them.
   */
  async fleet(caller: Caller): Promise<FleetEntry[]> {
    const pools: Array<{ name: string; project: string; spec: Pool }> = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.resources.list(
        'pool',
        { limit: PAGE, cursor, filters: {} },
        caller,
      );
      pools.push(
        ...page.items.map(p => ({
          name: p.name,
          project: p.project,
          spec: p.spec as Pool,
        })),
      );
      cursor = page.nextCursor;
    } while (cursor);
    const [statuses, servers, backends, policies, budgets, mcpRisk] =
      await Promise.all([
        this.#statuses.getMany(pools.map(p => p.name)),
        this.deps.store.countByPool('mcpServer'),
        this.deps.store.countByPool('aiBackend'),
        this.deps.store.countByPool('policy'),
        this.#fleetBudgets(pools.map(p => p.name)),
        this.#fleetMcpRisk(),
      ]);
    return pools.map(p => {
      const s = statuses.get(p.name);
      const ready = s?.conditions.find(c => c.type === 'Ready');
      return {
        pool: p.name,
        project: p.project,
        description: p.spec.description,
        cluster: p.spec.cluster,
        namespace: p.spec.namespace,
        delivery: p.spec.delivery.mode,
        phase: s?.phase ?? 'Pending',
        phaseSince: s?.phaseSince,
        reason: ready && ready.status !== 'True' ? ready.message : undefined,
        conditions: s?.conditions,
        heartbeatAt: s?.heartbeat?.receivedAt,
        operatorVersion: s?.heartbeat?.operatorVersion,
        desiredRevision: s?.desiredRevision,
        runningRevision: s?.heartbeat?.runningRevision ?? undefined,
        counts: {
          mcpServers: servers.get(p.name) ?? 0,
          aiBackends: backends.get(p.name) ?? 0,
          policies: policies.get(p.name) ?? 0,
        },
        budgets: budgets?.get(p.name),
        mcpRisk: mcpRisk && (mcpRisk.get(p.name) ?? noMcpRisk()),
      };
    });
  }

  /** The fleet answers without MCP risk classes rather than not at all. */
  async #fleetMcpRisk() {
    try {
      return mcpRiskByPool(await this.deps.store.mcpContracts().riskByServer());
    } catch (error) {
      this.deps.logger.warn(
        `The fleet is shown without MCP servers' risk classes, which could not be read: ${error}`,
      );
      return undefined;
    }
  }

  /** The fleet answers without budget states rather than not at all. */
  async #fleetBudgets(pools: string[]) {
    try {
      return await this.deps.budgets?.poolBudgets?.(pools);
    } catch (error) {
      this.deps.logger.warn(
        `The fleet is shown without budget states, which could not be read: ${error}`,
      );
      return undefined;
    }
  }

  /**
   * Every pool with its stored status, a page at a time (the health
   * monitor's pass: two queries per page, not two per pool).
   */
  async *poolPages(): AsyncGenerator<
    Array<{ object: StoredPoolObject; status?: StoredPoolStatus }>
  > {
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.store.list<Pool>('pool', {
        after,
        limit: PAGE,
      });
      const statuses = await this.#statuses.getMany(
        page.items.map(i => i.name),
      );
      yield page.items.map(object => ({
        object,
        status: statuses.get(object.name),
      }));
      if (!page.hasMore) return;
      after = page.items[page.items.length - 1].name;
    }
  }

  /** Re-derives a pool's status from what the caller read (compare-and-set catches a newer one). */
  async refreshFrom(
    object: StoredPoolObject,
    previous: StoredPoolStatus | undefined,
  ): Promise<PoolStatus> {
    return this.#serial(object.name, () =>
      this.#derive(object, undefined, previous),
    );
  }
}

type StoredPoolObject = {
  name: string;
  project: string;
  version: number;
  spec: Pool;
};
