import type { ResourceKind } from './resourceKinds';

/**
 * The events-service topic on which the control plane announces changes.
 *
 * @public
 */
export const AI_GATEWAY_CHANGES_TOPIC = 'ai-gateway.resource-changes';

/**
 * Published after a change is committed. Carries identifiers only: listeners
 * read the object through the REST API, with their own permissions.
 *
 * @public
 */
export type ResourceChangeEvent = {
  action: 'upserted' | 'deleted';
  kind: ResourceKind;
  name: string;
  project: string;
  /** The pool the object lives in, for kinds that live in a pool. */
  pool?: string;
  version?: number;
};
