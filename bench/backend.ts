/*
 * The backend the benchmarks measure: a real Backstage backend with the
 * events bus, the catalog, the permission framework with the suite's policy,
 * and the suite's control plane. Started as a child process by the harness with
 * `--config <file>`, so its memory can be measured on its own.
 */
import { createBackend } from '@backstage/backend-defaults';
import { withStartupLock } from '../packages/backend/src/startupLock';

const backend = createBackend();
// The events bus, as in the portal: change events reach the catalog module on
// whichever replica listens (database-backed on PostgreSQL).
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-catalog-backend'));
if (process.env.BENCH_CATALOG_MODULE) {
  backend.add(
    import('@ai-gateway-backstage/plugin-catalog-backend-module-ai-gateway'),
  );
}
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@ai-gateway-backstage/plugin-permission-backend-module-ai-gateway-policy'
  ),
);
backend.add(import('@ai-gateway-backstage/plugin-ai-gateway-backend'));
backend.add(
  import('@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway'),
);
// Replicas started together take turns, as the portal's backend does.
withStartupLock(() => backend.start()).catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend startup failed', error);
  process.exit(1);
});
