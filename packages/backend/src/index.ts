/*
 * The portal's backend: a lean Backstage backend with the AI Gateway suite.
 */
import { createBackend } from '@backstage/backend-defaults';
import { withStartupLock } from './startupLock';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in (guest in the embedded default; configure a real provider in production).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// The events bus: change events reach the catalog module on whichever replica
// is listening (database-backed on PostgreSQL).
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-catalog-backend'));
// Pools, MCP servers, AI backends and projects as catalog entities.
backend.add(
  import('@ai-gateway-backstage/plugin-catalog-backend-module-ai-gateway'),
);
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-scaffolder-backend'));
// ai-gateway:* actions: create and install pools, deploy MCP servers...
backend.add(
  import('@ai-gateway-backstage/plugin-scaffolder-backend-module-ai-gateway'),
);
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Search: the catalog (pools, MCP servers, AI backends, projects) indexed with
// the default in-memory Lunr engine.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Permissions: the suite's policy (platform admins manage everything, teams
// manage their own projects).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@ai-gateway-backstage/plugin-permission-backend-module-ai-gateway-policy'
  ),
);

// Notifications (budget thresholds reached) and signals, which push them to
// the browser.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// The AI Gateway control plane, and its renderer for agentgateway pools.
backend.add(import('@ai-gateway-backstage/plugin-ai-gateway-backend'));
backend.add(
  import('@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway'),
);

// Actions of the plugins listed in backend.actions.pluginSources as MCP tools
// for agents, at /api/mcp-actions/v1 (as the calling user).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

withStartupLock(() => backend.start()).catch(error => {
  // Exit so that an orchestrator restarts the replica, instead of leaving it
  // running and never ready.
  // eslint-disable-next-line no-console
  console.error('Backend startup failed', error);
  process.exit(1);
});
