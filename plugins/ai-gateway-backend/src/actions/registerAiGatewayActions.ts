import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { isError } from '@backstage/errors';
import {
  aiBackendEndpoint,
  aiGatewayDestructiveActionsPermission,
  describeRemovedState,
  describeServedState,
  explainPoolStatus,
  type Pool,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { bundleToYaml } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { BudgetService } from '../budgets/BudgetService';
import type { PoolDeliveryService } from '../delivery/PoolDeliveryService';
import { invalidInput } from '../service/errors';
import type {
  Caller,
  ResourceService,
  ResourceView,
} from '../service/ResourceService';

/** The zod (v3) the actions registry hands to an action's schema functions. */
type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** Everything one page of a list may hold (the REST API's maximum). */
const PAGE_LIMIT = 500;

/**
 * The body fields of a write action. The registry only takes zod v3 schemas
 * (`zod/v3`), while the suite's domain schemas are zod v4, and the registry
 * refuses input that fails its schema with a message that names no field.
 * So these schemas only describe the fields to MCP clients (all optional,
 * unknown fields passed on) and ResourceService/BudgetService validate the
 * input with the domain schema, as for the REST API, naming every field at
 * fault.
 */
const text = (z: Zod, description: string) =>
  z.string().optional().describe(description);
const object = (z: Zod, description: string) =>
  z.record(z.unknown()).optional().describe(description);

const placementFields = (z: Zod) => ({
  name: text(z, 'Name (required): lowercase letters, digits and dashes'),
  description: text(z, 'What it is for'),
  project: text(z, 'The project it belongs to (required)'),
  pool: text(z, 'The pool (gateway) it is served by (required)'),
});

/** What every action that changes what a pool serves reports. */
const servedStateOutput = (z: Zod) => ({
  served: z
    .boolean()
    .describe(
      'True when the pool runs the revision with the change and is Active',
    ),
  poolPhase: z.string().describe("The pool's phase"),
  state: z
    .string()
    .describe(
      'One sentence: served, or registered and why the pool does not serve it yet',
    ),
  nextStep: z
    .string()
    .optional()
    .describe('What to do so that the pool serves it; absent when served'),
});

/**
 * Registers the suite's operations as Backstage actions (served to MCP
 * clients by `@backstage/plugin-mcp-actions-backend`). Each runs as the
 * calling user through the services the REST API uses, so permissions,
 * validation, audit events and errors are those of the REST API.
 */
export function registerAiGatewayActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  resources: ResourceService;
  delivery: PoolDeliveryService;
  budgets: BudgetService;
}) {
  const {
    actionsRegistry: registry,
    auth,
    resources,
    delivery,
    budgets,
  } = options;

  const callerOf = (credentials: BackstageCredentials): Caller => ({
    credentials,
    actor: auth.isPrincipal(credentials, 'user')
      ? credentials.principal.userEntityRef
      : `service:${(credentials.principal as { subject: string }).subject}`,
  });

  /** A pool's spec and delivery status, as the caller may see them. */
  const poolNow = async (pool: string, caller: Caller) => ({
    spec: (await resources.get('pool', pool, caller)).spec as Pool,
    status: await delivery.status(pool, caller),
  });

  /** The pool's served state after a change, as the scaffolder reports it (without waiting). */
  const servedState = async (pool: string, what: string, caller: Caller) => {
    const { spec, status } = await poolNow(pool, caller);
    const described = describeServedState(what, spec, status);
    return {
      spec,
      served: described.served,
      poolPhase: status.phase,
      state: described.message,
      ...(described.nextStep ? { nextStep: described.nextStep } : {}),
    };
  };

  /**
   * Creates an object of a pool as the caller and reports the pool's served
   * state for it: what every write action that adds to a pool answers.
   */
  const createServed = async (
    kind: 'mcpServer' | 'aiBackend' | 'policy',
    what: string,
    input: unknown,
    credentials: BackstageCredentials,
  ) => {
    const caller = callerOf(credentials);
    const { object: created } = await resources.create(kind, input, caller);
    const pool = String(created.spec.pool);
    const { spec, ...state } = await servedState(
      pool,
      `${what} ${created.name}`,
      caller,
    );
    return { object: created, pool, poolSpec: spec, state };
  };

  const allOf = async (kind: ResourceKind, pool: string, caller: Caller) => {
    const items: ResourceView[] = [];
    let cursor: string | undefined;
    do {
      const page = await resources.list(
        kind,
        { filters: { pool }, limit: PAGE_LIMIT, cursor },
        caller,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  registry.register({
    name: 'list-pools',
    title: 'List AI Gateway pools',
    description:
      'Lists the AI Gateway pools (gateways in a Kubernetes namespace) you may see, with their project, cluster, namespace, delivery mode, phase (Pending, Active, OutOfSync, Degraded, Stale) and why a pool is not Ready.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          project: z
            .string()
            .optional()
            .describe('Only the pools of this project'),
        }),
      output: z =>
        z.object({
          pools: z.array(
            z.object({
              name: z.string(),
              project: z.string(),
              description: z.string().optional(),
              cluster: z.string(),
              namespace: z.string(),
              deliveryMode: z.string().describe('agent, direct or gitops'),
              phase: z.string(),
              reason: z
                .string()
                .optional()
                .describe('Why the pool is not Ready; absent when it is'),
            }),
          ),
        }),
    },
    async action({ input, credentials }) {
      const fleet = await delivery.fleet(callerOf(credentials));
      return {
        output: {
          pools: fleet
            .filter(p => !input.project || p.project === input.project)
            .map(p => ({
              name: p.pool,
              project: p.project,
              ...(p.description ? { description: p.description } : {}),
              cluster: p.cluster.name,
              namespace: p.namespace,
              deliveryMode: p.delivery,
              phase: p.phase,
              ...(p.reason ? { reason: p.reason } : {}),
            })),
        },
      };
    },
  });

  registry.register({
    name: 'describe-pool',
    title: 'Describe an AI Gateway pool',
    description:
      'Describes a pool: its spec in short, its phase and conditions, whether it serves its desired configuration, why not and what to do next, and the MCP servers (with their URLs) and AI backends (with their endpoints) it serves.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ name: z.string().describe('The pool') }),
      output: z =>
        z.object({
          name: z.string(),
          project: z.string(),
          description: z.string().optional(),
          cluster: z.string(),
          namespace: z.string(),
          gateway: z.string(),
          deliveryMode: z.string(),
          version: z.number(),
          phase: z.string(),
          served: z
            .boolean()
            .describe(
              'True when the pool runs its desired revision and is Active',
            ),
          cause: z.string().describe('Why the pool is in its phase'),
          nextStep: z.string().optional(),
          conditions: z.array(
            z.object({
              type: z.string(),
              status: z.string(),
              reason: z.string().optional(),
              message: z.string().optional(),
            }),
          ),
          desiredRevision: z.string().optional(),
          runningRevision: z.string().optional(),
          mcpServers: z.array(
            z.object({ name: z.string(), prefix: z.string(), url: z.string() }),
          ),
          aiBackends: z.array(
            z.object({
              name: z.string(),
              kind: z.string(),
              endpoint: z.string(),
            }),
          ),
        }),
    },
    async action({ input, credentials }) {
      const caller = callerOf(credentials);
      const pool = await resources.get('pool', input.name, caller);
      const spec = pool.spec as Pool;
      const [status, servers, backends] = await Promise.all([
        delivery.status(input.name, caller),
        allOf('mcpServer', input.name, caller),
        allOf('aiBackend', input.name, caller),
      ]);
      const guidance = explainPoolStatus(spec, status);
      const running = status.heartbeat?.runningRevision ?? undefined;
      return {
        output: {
          name: pool.name,
          project: pool.project,
          ...(spec.description ? { description: spec.description } : {}),
          cluster: spec.cluster.name,
          namespace: spec.namespace,
          gateway: spec.gateway,
          deliveryMode: spec.delivery.mode,
          version: pool.version,
          phase: status.phase,
          served: guidance.served,
          cause: guidance.cause,
          ...(guidance.nextStep ? { nextStep: guidance.nextStep } : {}),
          conditions: status.conditions.map(c => ({
            type: c.type,
            status: c.status,
            ...(c.reason ? { reason: c.reason } : {}),
            ...(c.message ? { message: c.message } : {}),
          })),
          ...(status.desiredRevision
            ? { desiredRevision: status.desiredRevision }
            : {}),
          ...(running ? { runningRevision: running } : {}),
          mcpServers: servers.map(s => ({
            name: s.name,
            prefix: String(s.spec.prefix),
            url: s.derived?.url ?? '',
          })),
          aiBackends: backends.map(b => {
            const endpoint = aiBackendEndpoint(spec, {
              name: b.name,
              spec: b.spec.spec,
            });
            return {
              name: b.name,
              kind: String(b.spec.spec.kind),
              endpoint: endpoint.baseUrl,
            };
          }),
        },
      };
    },
  });

  registry.register({
    name: 'get-pool-manifests',
    title: "Get an AI Gateway pool's manifests",
    description:
      "The Kubernetes manifests the control plane renders for a pool: a summary (kind, name, namespace of each object) or the full multi-document YAML, and what applying them would change: against the cluster for direct delivery, else against the revision the pool's operator reports running.",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          name: z.string().describe('The pool'),
          format: z
            .string()
            .optional()
            .describe(
              "'summary' (default) or 'yaml' (adds the full manifests)",
            ),
          diff: z
            .boolean()
            .optional()
            .describe('Include what applying would change (default true)'),
        }),
      output: z =>
        z.object({
          pool: z.string(),
          revision: z.string(),
          renderer: z.string(),
          objects: z.array(
            z.object({
              apiVersion: z.string(),
              kind: z.string(),
              name: z.string(),
              namespace: z.string().optional(),
            }),
          ),
          warnings: z.array(z.string()),
          yaml: z.string().optional(),
          diff: z
            .object({
              against: z
                .string()
                .describe('cluster, running-revision or nothing-running'),
              runningRevision: z.string().optional(),
              added: z.array(z.string()),
              changed: z.array(z.string()),
              removed: z.array(z.string()),
              unchanged: z.number(),
            })
            .optional(),
          diffUnavailable: z
            .string()
            .optional()
            .describe('Why there is no diff, when the cluster cannot be read'),
        }),
    },
    async action({ input, credentials }) {
      const format = input.format ?? 'summary';
      if (format !== 'summary' && format !== 'yaml') {
        throw invalidInput(`Invalid format '${format}'`, [
          { field: 'format', message: "must be 'summary' or 'yaml'" },
        ]);
      }
      const caller = callerOf(credentials);
      const bundle = await delivery.manifests(input.name, caller);
      let diff;
      let diffUnavailable: string | undefined;
      if (input.diff ?? true) {
        try {
          const live = await delivery.diffLive(input.name, caller);
          const refs = (list: Array<{ ref: string }>) => list.map(o => o.ref);
          diff = {
            against: live.against,
            ...(live.runningRevision
              ? { runningRevision: live.runningRevision }
              : {}),
            added: refs(live.diff.added),
            changed: refs(live.diff.changed),
            removed: refs(live.diff.removed),
            unchanged: live.diff.unchanged,
          };
        } catch (error) {
          // An unreachable cluster leaves the manifests worth returning.
          if ((error as Error)?.name !== 'ServiceUnavailableError') throw error;
          diffUnavailable = (error as Error).message;
        }
      }
      return {
        output: {
          pool: bundle.pool,
          revision: bundle.revision,
          renderer: bundle.renderer,
          objects: bundle.objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            name: o.metadata.name,
            ...(o.metadata.namespace
              ? { namespace: o.metadata.namespace }
              : {}),
          })),
          warnings: bundle.warnings,
          ...(format === 'yaml' ? { yaml: bundleToYaml(bundle) } : {}),
          ...(diff ? { diff } : {}),
          ...(diffUnavailable ? { diffUnavailable } : {}),
        },
      };
    },
  });

  registry.register({
    name: 'deploy-mcp-server',
    title: 'Deploy an MCP server',
    description:
      'Deploys an MCP server (a container image or a remote URL) to a pool as you (POST /mcp-servers of the AI Gateway API); returns its gateway URL https://{pool mcp host}/{prefix}/mcp and whether the pool serves it yet, why not and what to do next.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            ...placementFields(z),
            prefix: text(
              z,
              "Path prefix on the pool's MCP host (required), unique in the pool",
            ),
            source: object(
              z,
              "Where the server runs (required): { type: 'image', image, port?, env?, secretEnv? } or { type: 'remote', url, authSecretRef? }",
            ),
            transport: text(z, "'streamable-http' (default) or 'sse'"),
            tools: object(
              z,
              'Tools exposed to clients: { allow: [names], deny: [names] }; all but deny when allow is empty',
            ),
          })
          .passthrough(),
      output: z =>
        z.object({
          name: z.string(),
          pool: z.string(),
          url: z
            .string()
            .describe('Where MCP clients reach it once the pool serves it'),
          ...servedStateOutput(z),
        }),
    },
    async action({ input, credentials }) {
      const {
        object: server,
        pool,
        state,
      } = await createServed('mcpServer', 'MCP server', input, credentials);
      return {
        output: {
          name: server.name,
          pool,
          url: server.derived?.url ?? '',
          ...state,
        },
      };
    },
  });

  registry.register({
    name: 'register-ai-backend',
    title: 'Register an AI backend',
    description:
      'Registers an AI backend in a pool as you (POST /ai-backends of the AI Gateway API): LLM provider groups in priority order (kind ai), a static host, a forward proxy or MCP targets; returns its endpoint and whether the pool serves it yet.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            ...placementFields(z),
            spec: object(
              z,
              "What it routes to (required), by kind: 'ai' (groups of LLM providers, models), 'static' (host, port), 'dynamicForwardProxy' or 'mcp' (targets)",
            ),
          })
          .passthrough(),
      output: z =>
        z.object({
          name: z.string(),
          pool: z.string(),
          endpoint: z
            .string()
            .describe(
              'Where clients reach it (an OpenAI-compatible base URL for kind ai)',
            ),
          ...servedStateOutput(z),
        }),
    },
    async action({ input, credentials }) {
      const {
        object: backend,
        pool,
        poolSpec,
        state,
      } = await createServed('aiBackend', 'AI backend', input, credentials);
      return {
        output: {
          name: backend.name,
          pool,
          endpoint: aiBackendEndpoint(poolSpec, {
            name: backend.name,
            spec: backend.spec.spec,
          }).baseUrl,
          ...state,
        },
      };
    },
  });

  registry.register({
    name: 'attach-policy',
    title: 'Attach a policy',
    description:
      "Attaches a policy (authentication, authorization, rate limits, prompt guard, retries, timeouts, headers) to a pool's gateway, a route or a backend as you (POST /policies of the AI Gateway API); returns whether the pool enforces it yet.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            ...placementFields(z),
            target: object(
              z,
              "What it applies to (required): { kind: 'gateway' | 'route' | 'backend', name }",
            ),
            jwtAuth: object(z, 'JWT authentication'),
            apiKeyAuth: object(z, 'API key authentication'),
            authorization: object(z, 'Authorization rules (CEL)'),
            rateLimit: object(z, 'Local or global rate limits'),
            promptGuard: object(
              z,
              'Prompt guard of LLM requests and responses',
            ),
          })
          .passthrough(),
      output: z =>
        z.object({
          name: z.string(),
          pool: z.string(),
          ...servedStateOutput(z),
        }),
    },
    async action({ input, credentials }) {
      const {
        object: policy,
        pool,
        state,
      } = await createServed('policy', 'Policy', input, credentials);
      return { output: { name: policy.name, pool, ...state } };
    },
  });

  registry.register({
    name: 'set-budget',
    title: 'Set a budget',
    description:
      "Creates a budget or replaces the one of that name as you (POST or PUT /budgets of the AI Gateway API): a spending or token limit per window for a team, a project or an AI backend, with soft thresholds and what happens when it is exceeded (refuse or downRoute). A team's budget needs a platform admin.",
    attributes: { readOnly: false, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            name: text(z, 'Name (required)'),
            description: text(z, 'What it is for'),
            scope: object(
              z,
              "Whose usage counts (required): { kind: 'team' | 'project' | 'aiBackend', name }",
            ),
            window: text(z, "'daily', 'weekly' or 'monthly' (required)"),
            limit: object(z, 'The limit (required): { usd } and/or { tokens }'),
            softThresholds: z
              .array(z.number())
              .optional()
              .describe('Fractions of the limit that notify, default [0.8]'),
            onExceeded: object(
              z,
              "What happens past the limit: { kind: 'refuse' } (default) or { kind: 'downRoute', model }",
            ),
          })
          .passthrough(),
      output: z =>
        z.object({
          name: z.string(),
          version: z.number(),
          created: z
            .boolean()
            .describe(
              'True when created, false when an existing one was replaced',
            ),
          spec: z.record(z.unknown()).describe('The budget as stored'),
        }),
    },
    async action({ input, credentials }) {
      const caller = callerOf(credentials);
      const name = typeof input.name === 'string' ? input.name : undefined;
      const existing = name
        ? await budgets.get(name, caller).catch(error => {
            if (isError(error) && error.name === 'NotFoundError') {
              return undefined;
            }
            throw error;
          })
        : undefined;
      const budget = existing
        ? await budgets.update(existing.name, input, existing.version, caller)
        : await budgets.create(input, caller);
      return {
        output: {
          name: budget.name,
          version: budget.version,
          created: !existing,
          spec: budget.spec,
        },
      };
    },
  });

  /**
   * The three ways of taking something off a pool. Destructive, so only
   * holders of `ai-gateway.actions.destructive` see or run them; the delete
   * itself is checked like DELETE in the REST API, cascade included.
   */
  const removals: Array<{
    name: string;
    kind: 'mcpServer' | 'aiBackend' | 'policy';
    what: string;
    title: string;
    rest: string;
  }> = [
    {
      name: 'remove-mcp-server',
      kind: 'mcpServer',
      what: 'MCP server',
      title: 'Remove an MCP server',
      rest: 'DELETE /mcp-servers/{name}',
    },
    {
      name: 'remove-ai-backend',
      kind: 'aiBackend',
      what: 'AI backend',
      title: 'Remove an AI backend',
      rest: 'DELETE /ai-backends/{name}',
    },
    {
      name: 'detach-policy',
      kind: 'policy',
      what: 'Policy',
      title: 'Detach a policy',
      rest: 'DELETE /policies/{name}',
    },
  ];
  for (const removal of removals) {
    registry.register({
      name: removal.name,
      title: removal.title,
      description: `Deletes ${
        removal.kind === 'policy' ? 'a policy' : `an ${removal.what}`
      } from its pool as you (${
        removal.rest
      } of the AI Gateway API). Clients using it lose it once the pool applies the change; refused while other objects depend on it. Returns whether the pool runs the change yet.`,
      attributes: { readOnly: false, destructive: true, idempotent: true },
      visibilityPermission: aiGatewayDestructiveActionsPermission,
      schema: {
        input: z =>
          z.object({
            name: z.string().describe(`The ${removal.what}'s name`),
            cascade: z
              .boolean()
              .optional()
              .describe(
                'Also delete what depends on it, each checked on its own (default false: refused while anything depends on it)',
              ),
          }),
        output: z =>
          z.object({
            name: z.string(),
            pool: z.string(),
            removed: z
              .array(z.object({ kind: z.string(), name: z.string() }))
              .describe(
                'What was deleted from the control plane (and audited): the object, and its dependents with cascade',
              ),
            applied: z
              .boolean()
              .describe(
                'True when the pool runs its newest revision (the one without it) and is Active',
              ),
            poolPhase: z.string(),
            state: z
              .string()
              .describe('One sentence on what the pool does now'),
            nextStep: z.string().optional(),
          }),
      },
      async action({ input, credentials }) {
        const caller = callerOf(credentials);
        const existing = await resources.get(removal.kind, input.name, caller);
        const pool = String(existing.spec.pool);
        const { deleted } = await resources.delete(
          removal.kind,
          input.name,
          { cascade: input.cascade ?? false },
          caller,
        );
        const { spec, status } = await poolNow(pool, caller);
        const removed = describeRemovedState(
          `${removal.what} ${input.name}`,
          spec,
          status,
        );
        return {
          output: {
            name: input.name,
            pool,
            removed: deleted.map(d => ({ kind: d.kind, name: d.name })),
            applied: removed.applied,
            poolPhase: status.phase,
            state: removed.message,
            ...(removed.nextStep ? { nextStep: removed.nextStep } : {}),
          },
        };
      },
    });
  }
}
