import type {
  AiBackend,
  McpServer,
  Policy,
  Pool,
  Project,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '../manifests/types';

/**
 * A pool and everything attached to it: what a renderer turns into objects.
 *
 * @public
 */
export type PoolDesiredState = {
  pool: Pool;
  mcpServers: McpServer[];
  aiBackends: AiBackend[];
  policies: Policy[];
  /**
   * The projects of the pool and of its MCP servers and AI backends, for
   * the usage attribution a renderer configures (a project's owner is the
   * team its traffic is counted for). Optional: without them the team is
   * unknown.
   */
  projects?: Array<Pick<Project, 'name' | 'owner'>>;
  /**
   * Budgets whose hard limit is reached, with the pool's objects whose
   * traffic they cover: the gateway refuses (or down-routes) that traffic
   * until the budget's window ends. Optional: none when absent.
   */
  budgetRefusals?: BudgetRefusal[];
};

/**
 * A budget over its hard limit, as one pool enforces it.
 *
 * @public
 */
export type BudgetRefusal = {
  /** The budget's name (unique across the control plane). */
  budget: string;
  /** Whose spend it limits, for the refusal's message and the policy's labels. */
  scope: { kind: 'team' | 'project' | 'aiBackend'; name: string };
  /** The pool's AI backends whose routes are refused or down-routed. */
  aiBackends: string[];
  /** The pool's MCP servers whose routes are refused (MCP calls spend no tokens, but a team budget covers them). */
  mcpServers: string[];
  /**
   * `refuse`: answer 429 with `message`; `downRoute`: send the AI backends'
   * requests to `model` instead (MCP routes are refused either way).
   */
  action: { kind: 'refuse' } | { kind: 'downRoute'; model: string };
  /** Said to the client, e.g. "Budget team-a-monthly of group:default/team-a is spent until 2027-01-01T00:00:00Z". */
  message: string;
  /** When the window ends and the refusal is lifted (ISO 8601). */
  until: string;
};

/** @public */
export type RenderOptions = {
  /** Where the operator reaches the control plane (agent and gitops modes). */
  controlPlaneUrl: string;
  /** Images used when the pool leaves them empty. */
  defaultImages?: { operator: string; gateway: string };
};

/** @public */
export type ManagedKind = {
  apiVersion: string;
  kind: string;
  /**
   * `bootstrap`: objects of this kind only ever appear in the bootstrap stage
   * (the operator's ServiceAccount and RBAC). The installer applies those and
   * the operator neither applies nor prunes them, so its Roles need no rights
   * on the kind, not even to list it.
   */
  stage?: 'bootstrap';
};

/** @public */
export type RenderResult = {
  objects: ManifestObject[];
  /** Settings the gateway cannot express, said plainly (nothing is dropped silently). */
  warnings: string[];
};

/**
 * Turns a pool's desired state into Kubernetes objects for one gateway
 * implementation. Must be pure and deterministic: the same state gives the
 * same objects, so the bundle revision tells whether a cluster is in sync.
 *
 * @public
 */
export interface ManifestRenderer {
  /** The pool `gateway` value it renders, e.g. `agentgateway`. */
  readonly gateway: string;
  /**
   * Every kind it can render: what pruning lists, so an object whose kind no
   * longer appears in a bundle is still found and removed.
   */
  readonly managedKinds: ReadonlyArray<ManagedKind>;
  render(state: PoolDesiredState, options: RenderOptions): RenderResult;
}
