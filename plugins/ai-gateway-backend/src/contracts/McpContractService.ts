import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  catalogEntityPath,
  mcpServerUrl,
  type McpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import pLimit from 'p-limit';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import type {
  ContractSnapshot,
  McpContractStore,
} from '../database/McpContractStore';
import type { Caller, ResourceService } from '../service/ResourceService';
import {
  contractHash,
  describeChanges,
  destructiveTools,
  diffContracts,
  riskClass,
  type McpContract,
  type McpContractChange,
  type McpRiskClass,
} from './contract';
import {
  contractEndpoint,
  type ContractConnectVia,
  type McpContractReader,
} from './McpContractReader';

/** The notification topic of MCP server contract drift. */
export const MCP_CONTRACT_NOTIFICATION_TOPIC = 'ai-gateway-mcp-contract';

/** The actor of the scheduled check in event logs. */
export const SCHEDULED_CHECK_ACTOR = 'ai-gateway:contract-check';

/** Older snapshots listed with the newest. */
const HISTORY_LIMIT = 20;

/** An MCP server's contract as the API answers it. */
export type McpContractView = {
  server: string;
  /** When the server was last checked, successfully or not. */
  lastCheckedAt?: string;
  /** What the last check failed with (the snapshot is then the one seen before). */
  error?: string;
  /** The newest contract seen; absent until a check succeeds. */
  snapshot?: {
    hash: string;
    riskClass: McpRiskClass;
    observedAt: string;
    destructiveTools: string[];
    contract: McpContract;
  };
  /** The contracts seen before, newest first. */
  previous: Array<{
    hash: string;
    riskClass?: McpRiskClass;
    observedAt: string;
  }>;
  /** From the previous contract to the newest one. */
  changes: McpContractChange[];
};

type CheckedServer = {
  name: string;
  project: string;
  version?: number;
  spec: McpServer;
  derived?: { url?: string };
};

/**
 * The live contracts of MCP servers: reads them with an MCP client, keeps a
 * snapshot per contract seen, records drift in the server's event log and
 * tells the project's owners when a destructive tool appears.
 */
export class McpContractService {
  readonly #contracts: McpContractStore;

  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      resources: ResourceService;
      reader: McpContractReader;
      connectVia: ContractConnectVia;
      /**
       * The Authorization header the scheduled check sends to a pool's
       * gateway (`aiGateway.contracts.gatewayAuthorization`), for pools whose
       * policies require credentials; never sent to a remote server itself.
       */
      gatewayAuthorization?: (pool: string) => string | undefined;
      notifications?: NotificationService;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {
    this.#contracts = deps.store.mcpContracts();
  }

  /** The newest contract of a server the caller may read. */
  async get(name: string, caller: Caller): Promise<McpContractView> {
    await this.deps.resources.authorizedView('mcpServer', name, 'read', caller);
    return this.view(name);
  }

  /**
   * Reads the server's contract now. Needs read and update of the MCP
   * server: a check records a snapshot, writes the server's event log and
   * may notify its owners. `authorization` is sent to the MCP server (the
   * gateway may require the caller's credentials) and never stored.
   */
  async check(
    name: string,
    caller: Caller,
    authorization?: string,
  ): Promise<McpContractView & { changed: boolean }> {
    return this.deps.resources.audited(
      'contract-check',
      'mcpServer',
      name,
      caller,
      async () => {
        const server = await this.deps.resources.authorizedView(
          'mcpServer',
          name,
          'update',
          caller,
        );
        const { changed } = await this.checkServer(
          {
            name: server.name,
            project: server.project,
            version: server.version,
            spec: server.spec as McpServer,
            derived: server.derived,
          },
          caller.actor,
          { any: authorization },
        );
        return { ...(await this.view(name)), changed };
      },
    );
  }

  /** Checks every MCP server (the scheduled drift check). */
  async checkAll(): Promise<
    Array<{ server: string; changed: boolean; error?: string }>
  > {
    const { store } = this.deps;
    const limit = pLimit(8);
    const results: Array<{ server: string; changed: boolean; error?: string }> =
      [];
    let after: string | undefined;
    for (;;) {
      const page = await store.list<McpServer>('mcpServer', {
        limit: 100,
        after,
      });
      const pools = new Map(
        (
          await store.getMany<any>('pool', [
            ...new Set(page.items.map(s => s.spec.pool)),
          ])
        ).map(p => [p.name, p.spec]),
      );
      await Promise.all(
        page.items.map(server =>
          limit(async () => {
            const pool = pools.get(server.spec.pool);
            try {
              const outcome = await this.checkServer(
                {
                  name: server.name,
                  project: server.project,
                  version: server.version,
                  spec: server.spec,
                  derived: pool
                    ? { url: mcpServerUrl(pool, server.spec) }
                    : undefined,
                },
                SCHEDULED_CHECK_ACTOR,
                {
                  gateway: this.deps.gatewayAuthorization?.(server.spec.pool),
                },
              );
              results.push({ server: server.name, ...outcome });
            } catch (error) {
              this.deps.logger.warn(
                'Could not check the contract of an MCP server',
                { server: server.name, error: String(error) },
              );
              results.push({
                server: server.name,
                changed: false,
                error: String(error),
              });
            }
          }),
        ),
      );
      if (!page.hasMore || page.items.length === 0) break;
      after = page.items[page.items.length - 1].name;
    }
    // A server deleted and created again under its name starts afresh.
    await this.#contracts.deleteOrphans();
    return results;
  }

  private now() {
    return this.deps.clock?.() ?? new Date();
  }

  /**
   * `authorization.any` (the caller's own) goes to whichever endpoint is
   * read; `authorization.gateway` (the configured one) only to a gateway.
   */
  private async checkServer(
    server: CheckedServer,
    actor: string,
    authorization: { any?: string; gateway?: string } = {},
  ): Promise<{ changed: boolean; error?: string }> {
    const endpoint = contractEndpoint(server, this.deps.connectVia);
    let contract: McpContract;
    try {
      if ('error' in endpoint) throw new Error(endpoint.error);
      contract = await this.deps.reader.read(endpoint.url, {
        transport: endpoint.transport,
        authorization:
          authorization.any ??
          (endpoint.via === 'gateway' ? authorization.gateway : undefined),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.#contracts.recordError(server.name, message, this.now());
      return { changed: false, error: message };
    }
    const now = this.now();
    const hash = contractHash(contract);
    const risk = riskClass(contract);
    const recorded = await this.#contracts.recordContract(
      server.name,
      { hash, contract, riskClass: risk },
      now,
    );
    if (!recorded.changed) return { changed: false };
    // Only the replica whose snapshot landed gets here: one event, one notification.
    await this.onChange(server, recorded.previous, contract, hash, risk, actor);
    return { changed: true };
  }

  private async onChange(
    server: CheckedServer,
    previous: ContractSnapshot | undefined,
    contract: McpContract,
    hash: string,
    risk: McpRiskClass,
    actor: string,
  ) {
    const { store } = this.deps;
    const event = {
      kind: 'mcpServer' as const,
      name: server.name,
      project: server.project,
      actor,
      version: server.version,
    };
    if (!previous?.contract) {
      await store.appendEvent(
        {
          ...event,
          action: 'contract-recorded',
          message: `First contract seen: ${contract.tools.length} tools, ${contract.resources.length} resources, ${contract.prompts.length} prompts; risk class ${risk} (${hash})`,
        },
        this.now(),
      );
      return;
    }
    const changes = diffContracts(previous.contract, contract);
    await store.appendEvent(
      {
        ...event,
        action: 'contract-drift',
        message: `The contract changed (${
          previous.hash
        } -> ${hash}; risk class ${
          previous.riskClass
        } -> ${risk}): ${describeChanges(changes)}`,
      },
      this.now(),
    );
    const before = new Set(destructiveTools(previous.contract));
    const appeared = destructiveTools(contract).filter(t => !before.has(t));
    if (appeared.length > 0) {
      await this.notifyOwners(server, appeared, hash);
    }
  }

  private async notifyOwners(
    server: CheckedServer,
    tools: string[],
    hash: string,
  ) {
    const { notifications, store, logger } = this.deps;
    if (!notifications) return;
    const project = await store.get<{ owner: string }>(
      'project',
      server.project,
    );
    if (!project) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: project.spec.owner },
        payload: {
          title: `MCP server ${server.name} has a new destructive tool`,
          description: `${tools.length === 1 ? 'Tool' : 'Tools'} ${tools.join(
            ', ',
          )} of MCP server ${server.name} (project ${
            server.project
          }) may now destroy or overwrite data (its annotations say so, or leave it to the MCP default). Review the contract and the pool's tool allow/deny lists.`,
          severity: 'high',
          topic: MCP_CONTRACT_NOTIFICATION_TOPIC,
          scope: `mcp-contract:${server.name}:${hash}`,
          link: catalogEntityPath('mcpServer', server.name),
        },
      });
    } catch (error) {
      // The drift is in the event log; a notification backend that is down
      // must not fail the check.
      logger.warn(
        `Could not notify ${project.spec.owner} about MCP server ${server.name}`,
        error as Error,
      );
    }
  }

  private async view(name: string): Promise<McpContractView> {
    const latest = await this.#contracts.latest(name);
    const history = await this.#contracts.history(name, {
      limit: HISTORY_LIMIT + 1,
      withContracts: 2,
    });
    const [newest, before] = history;
    const view: McpContractView = {
      server: name,
      ...(latest ? { lastCheckedAt: latest.lastCheckedAt } : {}),
      ...(latest?.error ? { error: latest.error } : {}),
      previous: history.slice(1).map(s => ({
        hash: s.hash!,
        ...(s.riskClass ? { riskClass: s.riskClass } : {}),
        observedAt: s.observedAt,
      })),
      changes:
        newest?.contract && before?.contract
          ? diffContracts(before.contract, newest.contract)
          : [],
    };
    if (newest?.contract && newest.hash) {
      view.snapshot = {
        hash: newest.hash,
        riskClass: newest.riskClass ?? riskClass(newest.contract),
        observedAt: newest.observedAt,
        destructiveTools: destructiveTools(newest.contract),
        contract: newest.contract,
      };
    }
    return view;
  }
}
