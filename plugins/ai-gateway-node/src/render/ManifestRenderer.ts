import type {
  AiBackend,
  McpServer,
  Policy,
  Pool,
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
