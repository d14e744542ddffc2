import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceKind } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LeaseStore } from '../database/LeaseStore';
import type { ResourceService } from '../service/ResourceService';

/** Files of the demo directory, in the order their objects depend on each other. */
const demoFiles: Array<[ResourceKind, string]> = [
  ['project', 'projects.yaml'],
  ['pool', 'pools.yaml'],
  ['mcpServer', 'mcp-servers.yaml'],
  ['aiBackend', 'ai-backends.yaml'],
  ['policy', 'policies.yaml'],
];

/**
 * Loads the demo data of the embedded default into an empty control plane,
 * through the same service (validation, integrity, event log) as the API.
 */
export async function loadDemoData(options: {
  directory: string;
  resources: ResourceService;
  /** Replicas starting together load the demo data once: the first to take the lease. */
  leases: LeaseStore;
  auth: AuthService;
  logger: LoggerService;
}): Promise<number> {
  const { leases } = options;
  return leases.withLease(
    'demo-data',
    { ttlMs: 60_000, waitMs: 10 * 60_000, retryMs: 500 },
    () => loadUnlessLoaded(options),
  );
}

async function loadUnlessLoaded(options: {
  directory: string;
  resources: ResourceService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<number> {
  const { directory, resources, auth, logger } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const caller = { credentials, actor: 'service:ai-gateway/demo-data' };
  const existing = await resources.list(
    'project',
    { filters: {}, limit: 1 },
    caller,
  );
  if (existing.items.length > 0) {
    logger.info('Demo data not loaded: the control plane already has projects');
    return 0;
  }
  let count = 0;
  for (const [kind, file] of demoFiles) {
    const text = await fs.readFile(path.resolve(directory, file), 'utf8');
    const objects = (parseYaml(text) ?? []) as unknown[];
    for (const object of objects) {
      await resources.create(kind, object, caller);
      count += 1;
    }
  }
  logger.info(`Loaded ${count} demo objects from ${directory}`);
  return count;
}
